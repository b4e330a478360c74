package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.apiserver.Fault;
import ai.smallest.atoms.apiserver.Faults;
import ai.smallest.atoms.apiserver.RequestFilter;
import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.simulator.SimVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a real Kubernetes API does to an operator's watches and writes, and the operator surviving
 * it: expired watches (410 Gone, then a relist), a history compacted while the operator was away,
 * dropped watches, 409 Conflict on status writes and a slow API server. After each, the release is
 * still managed: a spec change is picked up, and no version is ever activated twice (the Atoms
 * simulator counts every call).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AtomsSimulatorResource.class, restrictToAnnotatedClass = true)
class KubernetesApiDisruptionTest extends OperatorTestSupport {

  private static final RequestFilter OPERATOR_RELEASE_LISTS =
      OPERATOR.verbs("list").resource(AGENT_RELEASES);
  private static final RequestFilter OPERATOR_RELEASE_WATCHES =
      OPERATOR.verbs("watch").resource(AGENT_RELEASES);
  private static final RequestFilter OPERATOR_STATUS_WRITES =
      OPERATOR.verbs("patch", "update").resource(AGENT_RELEASES).subresource("status");

  @AfterEach
  void clearFaults() {
    apiServer.faults().clear();
  }

  /** A managed release, Ready on version 2 of 5 after exactly one list and one activate call. */
  private Release readyRelease() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReady(ns, "support");
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
    return new Release(ns, agent);
  }

  private record Release(String ns, String agent) {}

  private long count(RequestFilter filter) {
    return apiServer.requests().count(filter);
  }

  /**
   * The release is still managed: version 4 is asked for and activated with one more list and one
   * more activate call, and nothing was activated twice.
   */
  private void changingTheSpecStillActivatesExactlyOnce(Release release) {
    int lists = sim().calls(LIST_VERSIONS, release.agent());
    int activations = sim().calls(ACTIVATE_VERSION, release.agent());
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(release.ns())
        .withName("support")
        .edit(
            r -> {
              r.getSpec().setVersionNumber(4);
              return r;
            });
    AgentRelease ready =
        awaitStatus(
            release.ns(),
            "support",
            r ->
                Integer.valueOf(4).equals(r.getStatus().getVersionNumber())
                    && r.isReadyForCurrentGeneration());
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(sim().activeVersion(release.agent())).map(SimVersion::versionNumber).contains(4);
    assertThat(sim().calls(ACTIVATE_VERSION, release.agent())).isEqualTo(activations + 1);
    assertThat(sim().calls(LIST_VERSIONS, release.agent())).isEqualTo(lists + 1);
    assertThat(sim().activationLog())
        .filteredOn(a -> a.agentId().equals(release.agent()) && !a.viaConsole())
        .as("no version activated twice")
        .extracting(a -> a.versionNumber())
        .doesNotHaveDuplicates();
  }

  @Test
  void anExpiredWatchMakesTheOperatorListAgainQuietlyAndKeepManaging() {
    Release release = readyRelease();
    long lists = count(OPERATOR_RELEASE_LISTS);

    assertThat(apiServer.expireWatches()).as("the operator's watches").isGreaterThanOrEqualTo(2);

    await().atMost(TIMEOUT).until(() -> count(OPERATOR_RELEASE_LISTS) > lists);
    await().atMost(TIMEOUT).until(() -> apiServer.watches().size() >= 2);
    assertThat(sim().calls(LIST_VERSIONS, release.agent()))
        .as("a relist of a Ready release costs no Atoms call")
        .isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, release.agent())).isEqualTo(1);
    changingTheSpecStillActivatesExactlyOnce(release);
  }

  @Test
  void aSpecChangeMadeWhileTheWatchWasDownAndTheHistoryCompactedIsFoundByTheRelist() {
    Release release = readyRelease();
    long lists = count(OPERATOR_RELEASE_LISTS);
    long watches = count(OPERATOR_RELEASE_WATCHES);
    // Keep the operator from watching AgentReleases again while the change is made.
    Faults.Rule down = apiServer.faults().add(Fault.respond(503).on(OPERATOR_RELEASE_WATCHES));
    apiServer.closeWatches(w -> w.resource().equals(AGENT_RELEASES));
    await().atMost(TIMEOUT).until(() -> down.hits() >= 1);

    int activations = sim().calls(ACTIVATE_VERSION, release.agent());
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(release.ns())
        .withName("support")
        .edit(
            r -> {
              r.getSpec().setVersionNumber(3);
              return r;
            });
    apiServer.compact();
    apiServer.faults().remove(down.id());

    AgentRelease ready =
        awaitStatus(
            release.ns(),
            "support",
            r ->
                Integer.valueOf(3).equals(r.getStatus().getVersionNumber())
                    && r.isReadyForCurrentGeneration());
    assertThat(count(OPERATOR_RELEASE_WATCHES)).isGreaterThan(watches);
    assertThat(count(OPERATOR_RELEASE_LISTS)).as("410 Gone, then a relist").isGreaterThan(lists);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(sim().calls(ACTIVATE_VERSION, release.agent())).isEqualTo(activations + 1);
    assertThat(sim().calls(LIST_VERSIONS, release.agent())).isEqualTo(2);
  }

  @Test
  void droppedWatchesAreResumedWithoutAListAndWithoutAnyAtomsCall() {
    Release release = readyRelease();
    long lists = count(OPERATOR_RELEASE_LISTS);
    long watches = count(OPERATOR_RELEASE_WATCHES);

    for (int drop = 1; drop <= 3; drop++) {
      long expected = watches + drop;
      // The informer's watch is open between resumes; on a loaded machine the resume may lag.
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  apiServer.watches().stream().anyMatch(w -> w.resource().equals(AGENT_RELEASES)));
      assertThat(apiServer.closeWatches(w -> w.resource().equals(AGENT_RELEASES))).isEqualTo(1);
      await().atMost(TIMEOUT).until(() -> count(OPERATOR_RELEASE_WATCHES) >= expected);
    }

    assertThat(count(OPERATOR_RELEASE_LISTS)).as("resumed, not listed again").isEqualTo(lists);
    assertThat(sim().calls(LIST_VERSIONS, release.agent())).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, release.agent())).isEqualTo(1);
    changingTheSpecStillActivatesExactlyOnce(release);
  }

  @Test
  void conflictsOnStatusWritesNeverCauseASecondActivation() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(1);
    Faults.Rule conflicts =
        apiServer.faults().add(Fault.respond(409).on(OPERATOR_STATUS_WRITES).times(2));

    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    assertThat(conflicts.hits()).isEqualTo(2);
    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(2);
    assertThat(sim().activeVersion(agent)).map(SimVersion::versionNumber).contains(2);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).as("activated once").isEqualTo(1);
    assertThat(sim().calls(LIST_VERSIONS, agent))
        .as("one look per attempt: the refused two and the one that was stored")
        .isEqualTo(3);
    changingTheSpecStillActivatesExactlyOnce(new Release(ns, agent));
  }

  @Test
  void aSlowApiServerSlowsTheOperatorDownButChangesNothingElse() {
    Faults.Rule slow =
        apiServer
            .faults()
            .add(
                Fault.delay(Duration.ofMillis(400))
                    .on(OPERATOR.verbs("get", "list", "create", "update", "patch", "watch")));
    Release release = readyRelease();
    assertThat(slow.hits()).as("the operator's requests were held").isPositive();

    changingTheSpecStillActivatesExactlyOnce(release);
    assertThat(eventsFor(release.ns(), "support")).noneMatch(e -> "Warning".equals(e.getType()));
  }
}
