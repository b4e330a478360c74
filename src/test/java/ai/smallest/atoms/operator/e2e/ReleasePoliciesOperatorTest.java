package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.simulator.SimVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The release policies of issue #15 end to end (activation windows, the drift-loop guard, restore
 * on delete, version selectors): the operator running for real against the embedded Kubernetes API
 * server and the Atoms simulator, with the exact Atoms calls each one makes.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AtomsSimulatorResource.class, restrictToAnnotatedClass = true)
class ReleasePoliciesOperatorTest extends OperatorTestSupport {

  private static int activations(String agent) {
    return sim().calls(ACTIVATE_VERSION, agent);
  }

  private static int lists(String agent) {
    return sim().calls(LIST_VERSIONS, agent);
  }

  private static int liveNumber(String agent) {
    return sim().activeVersion(agent).map(SimVersion::versionNumber).orElseThrow();
  }

  private void annotate(String ns, String name, String key, String value) {
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              Map<String, String> annotations = new HashMap<>();
              if (r.getMetadata().getAnnotations() != null) {
                annotations.putAll(r.getMetadata().getAnnotations());
              }
              annotations.put(key, value);
              r.getMetadata().setAnnotations(annotations);
              return r;
            });
  }

  // ---- activation windows ----

  /** A daily window that opens two hours from now (UTC): closed for the whole test. */
  private static ActivationWindow closedWindow() {
    int hour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(2).getHour();
    return new ActivationWindow("0 " + hour + " * * *", "1h", "UTC");
  }

  @Test
  void outsideTheWindowsNothingIsActivatedUntilAnActivateNowLetsItThroughOnce() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(5);
    AgentRelease release = TestReleases.byNumber(ns, "windowed", agent, 3, SECRET);
    release.getSpec().setActivationWindows(List.of(closedWindow()));

    create(release);
    AgentRelease waiting = awaitReason(ns, "windowed", Reason.OutsideActivationWindow.value());

    assertThat(condition(waiting, Conditions.READY).getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(condition(waiting, Conditions.READY).getMessage())
        .contains("version 3 will be activated when the next window opens at")
        .contains("version 5 stays live");
    assertThat(condition(waiting, Conditions.RECONCILING).getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(waiting.getStatus().getVersionNumber()).isEqualTo(5);
    assertThat(lists(agent)).isEqualTo(1);
    assertThat(activations(agent)).isZero();
    awaitEvent(ns, "windowed", "Normal", Reason.OutsideActivationWindow.value());

    annotate(ns, "windowed", AgentRelease.ACTIVATE_NOW, "2026-11-23T10:00:00Z");
    AgentRelease ready = awaitReady(ns, "windowed");

    assertThat(ready.getStatus().getLastHandledActivateNow()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(3);
    assertThat(liveNumber(agent)).isEqualTo(3);
    assertThat(lists(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(1);
  }

  @Test
  void insideAnOpenWindowTheDeclaredVersionIsActivatedAtOnce() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(4);
    AgentRelease release = TestReleases.byNumber(ns, "open", agent, 2, SECRET);
    // Every hour, for an hour: always open.
    release.getSpec().setActivationWindows(List.of(new ActivationWindow("0 * * * *", "1h", "UTC")));

    create(release);
    awaitReady(ns, "open");

    assertThat(liveNumber(agent)).isEqualTo(2);
    assertThat(lists(agent)).isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);
  }

  // ---- drift-loop guard ----

  @Test
  void aDriftLoopStopsEnforcingAfterThreeCorrectionsAndAReconcileRequestResumesIt() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "fought", agent, 2, SECRET);
    release.getSpec().setInterval("1s");
    create(release);
    awaitReady(ns, "fought");
    String other = sim().agent(agent).versionNumber(1).id();

    // A script keeps activating v1; the operator corrects it three times (the default).
    for (int correction = 1; correction <= 3; correction++) {
      sim().consoleActivate(agent, other, "user_script");
      int expected = 1 + correction;
      org.awaitility.Awaitility.await()
          .atMost(TIMEOUT)
          .until(() -> activations(agent) == expected && liveNumber(agent) == 2);
    }
    sim().consoleActivate(agent, other, "user_script");
    AgentRelease stopped = awaitReason(ns, "fought", Reason.DriftLoop.value());

    assertThat(condition(stopped, Conditions.STALLED).getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(condition(stopped, Conditions.READY).getMessage())
        .contains("version 1")
        .contains("activated again by user_script");
    assertThat(stopped.getStatus().getVersionNumber()).isEqualTo(1);
    awaitEvent(ns, "fought", "Warning", Reason.DriftLoop.value());
    // It keeps observing every second, and never activates again by itself.
    int listsWhenStopped = lists(agent);
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> lists(agent) >= listsWhenStopped + 2);
    assertThat(activations(agent)).isEqualTo(4);
    assertThat(liveNumber(agent)).isEqualTo(1);
    assertThat(eventsFor(ns, "fought").stream().filter(e -> "DriftLoop".equals(e.getReason())))
        .hasSize(1);

    requestReconcile(ns, "fought", "resume");
    AgentRelease resumed = awaitReady(ns, "fought");

    assertThat(resumed.getStatus().getDriftGuardResetAt()).isNotBlank();
    assertThat(liveNumber(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(5);
  }
}
