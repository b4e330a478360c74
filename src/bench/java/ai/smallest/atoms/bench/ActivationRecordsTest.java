package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.simulator.SimActivation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the chaos suite counts lost and phantom activation records. */
class ActivationRecordsTest {

  private static final Instant T0 = Instant.parse("2026-11-23T14:00:00.000Z");
  private static final String V1 = "665f1e000000000000000001";
  private static final String V2 = "665f1e000000000000000002";

  @Test
  void anActivationIsRecordedByAHistoryEntryOfTheSameVersionAtTheSameTime() {
    AgentRelease r = release("a", entry(V1, T0.plusMillis(3)));

    ActivationRecords.Result result =
        compare(List.of(landed("a", V1, T0)), List.of(r), List.of(activated("r-a")));

    assertThat(result.landed).isEqualTo(1);
    assertThat(result.recorded).isEqualTo(1);
    assertThat(result.missing).isEmpty();
    assertThat(result.phantom).isEmpty();
    assertThat(result.withoutEvent).isZero();
  }

  @Test
  void anActivationNoHistoryHoldsIsMissingAndLacksItsEvent() {
    AgentRelease r = release("a", entry(V1, T0));

    ActivationRecords.Result result =
        compare(
            List.of(landed("a", V1, T0), landed("a", V2, T0.plusSeconds(30))),
            List.of(r),
            List.of(activated("r-a")));

    assertThat(result.recorded).isEqualTo(1);
    assertThat(result.missing).singleElement().asString().contains(V2);
    assertThat(result.withoutEvent).isEqualTo(1);
  }

  @Test
  void oneEntryRecordsOneActivationOnly() {
    // The same version activated twice (drift corrected), recorded once: one is missing.
    AgentRelease r = release("a", entry(V1, T0.plusSeconds(60)));

    ActivationRecords.Result result =
        compare(
            List.of(landed("a", V1, T0), landed("a", V1, T0.plusSeconds(60))),
            List.of(r),
            List.of());

    assertThat(result.recorded).isEqualTo(1);
    assertThat(result.missing).singleElement().asString().contains(T0.toString());
  }

  @Test
  void anEntryForAnActivationSomeoneElseMadeIsAPhantom() {
    SimActivation console =
        new SimActivation(T0, "a", V1, 1, "someone", SimActivation.Outcome.ACTIVATED, true);
    AgentRelease r = release("a", entry(V1, T0));

    ActivationRecords.Result result = compare(List.of(console), List.of(r), List.of());

    assertThat(result.landed).isZero();
    assertThat(result.phantom).singleElement().asString().contains("default/r-a");
  }

  @Test
  void anEntryFarFromTheActivationTimeDoesNotRecordIt() {
    AgentRelease r = release("a", entry(V1, T0.plusSeconds(5)));

    ActivationRecords.Result result = compare(List.of(landed("a", V1, T0)), List.of(r), List.of());

    assertThat(result.missing).hasSize(1);
    assertThat(result.phantom).hasSize(1);
  }

  @Test
  void activationsOlderThanAFullHistoryCountAsPrunedNotLost() {
    AgentRelease r = release("a", entry(V2, T0.plusSeconds(60)), entry(V1, T0.plusSeconds(30)));

    ActivationRecords.Result result =
        ActivationRecords.compare(
            List.of(
                landed("a", V1, T0),
                landed("a", V1, T0.plusSeconds(30)),
                landed("a", V2, T0.plusSeconds(60))),
            Set.of("op"),
            List.of(r),
            List.of(),
            2);

    assertThat(result.recorded).isEqualTo(2);
    assertThat(result.prunedByHistoryLimit).isEqualTo(1);
    assertThat(result.missing).isEmpty();
  }

  @Test
  void onlyActivationsThatSwitchedTheLiveVersionWithAnOperatorKeyCount() {
    List<SimActivation> log =
        List.of(
            new SimActivation(T0, "a", V1, 1, "op", SimActivation.Outcome.ALREADY_ACTIVE, false),
            new SimActivation(T0, "a", V1, 1, "op", SimActivation.Outcome.NOT_PUBLISHED, false),
            new SimActivation(T0, "a", V1, 1, "other-key", SimActivation.Outcome.ACTIVATED, false));

    ActivationRecords.Result result = compare(log, List.of(release("a")), List.of());

    assertThat(result.landed).isZero();
    assertThat(result.missing).isEmpty();
  }

  private static ActivationRecords.Result compare(
      List<SimActivation> log, List<AgentRelease> releases, List<Event> events) {
    return ActivationRecords.compare(log, Set.of("op"), releases, events, 100);
  }

  private static SimActivation landed(String agent, String versionId, Instant at) {
    return new SimActivation(at, agent, versionId, 1, "op", SimActivation.Outcome.ACTIVATED, false);
  }

  private static ActivationRecord entry(String versionId, Instant activatedAt) {
    return new ActivationRecord(1, versionId, activatedAt.toString(), ActivationRecord.BY_OPERATOR);
  }

  private static AgentRelease release(String agent, ActivationRecord... history) {
    AgentRelease r = new AgentRelease();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("r-" + agent).build());
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agent);
    spec.setVersionNumber(1);
    r.setSpec(spec);
    AgentReleaseStatus status = new AgentReleaseStatus();
    status.setHistory(new ArrayList<>(List.of(history)));
    r.setStatus(status);
    return r;
  }

  private static Event activated(String releaseName) {
    return new EventBuilder()
        .withReason("Activated")
        .withNewInvolvedObject()
        .withNamespace("default")
        .withName(releaseName)
        .endInvolvedObject()
        .build();
  }
}
