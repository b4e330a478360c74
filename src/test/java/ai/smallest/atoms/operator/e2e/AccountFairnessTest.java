package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 point 1: a saturated Atoms account costs its own releases time and never another
 * account's. Account A's requests are held in flight by the simulator (so "while A's slots are all
 * busy" is a fact, not a guess at timing); A has more releases than JOSDK has reconcile threads
 * (50), which is what used to starve every other account. The time it takes is measured by {@code
 * ./bench/run-tenants}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SlowAccountSimulatorResource.class, restrictToAnnotatedClass = true)
class AccountFairnessTest extends OperatorTestSupport {

  private static final int A_RELEASES = 60;

  @Test
  void anotherAccountsReleaseConvergesWhileEverySlotOfABusyAccountIsTaken() {
    String nsA = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    List<String> agentsA = new ArrayList<>();
    for (int i = 0; i < A_RELEASES; i++) {
      String agent = newAgent();
      sim().agent(agent).publishedVersions(2).activeVersion(1);
      sim().hold(agent);
      agentsA.add(agent);
      create(TestReleases.byNumber(nsA, "a-" + i, agent, 2, SECRET));
    }
    await().atMost(TIMEOUT).until(() -> held(agentsA) == SlowAccountSimulatorResource.CONCURRENCY);

    String nsB = namespaceWithKey(SlowAccountSimulatorResource.OTHER_API_KEY);
    String agentB = newAgent();
    sim().agent(agentB).publishedVersions(2).activeVersion(1);
    create(TestReleases.byNumber(nsB, "b", agentB, 2, SECRET));

    awaitReady(nsB, "b");
    assertThat(sim().calls(LIST_VERSIONS, agentB) + sim().calls(ACTIVATE_VERSION, agentB))
        .isEqualTo(2);
    // A is still exactly at its limit, and its waiting releases have written nothing.
    assertThat(held(agentsA)).isEqualTo(SlowAccountSimulatorResource.CONCURRENCY);
    assertThat(callsFor(agentsA)).isEqualTo(SlowAccountSimulatorResource.CONCURRENCY);
    assertThat(releasesIn(nsA)).allMatch(r -> r.getStatus() == null);

    agentsA.forEach(sim()::letGo);

    await()
        .atMost(TIMEOUT)
        .until(() -> releasesIn(nsA).stream().allMatch(AgentRelease::isReadyForCurrentGeneration));
    // Each of A's releases: one list, one activation, and two status writes (the intent and the
    // outcome): waiting cost no Atoms call and no write.
    assertThat(callsFor(agentsA)).isEqualTo(2 * A_RELEASES);
    assertThat(
            apiServer
                .requests()
                .count(
                    OPERATOR
                        .writes()
                        .resource(AGENT_RELEASES)
                        .subresource("status")
                        .namespace(nsA)))
        .isEqualTo(2L * A_RELEASES);
  }

  private static int held(List<String> agents) {
    return agents.stream().mapToInt(sim()::heldRequests).sum();
  }

  private static int callsFor(List<String> agents) {
    return agents.stream()
        .mapToInt(a -> sim().calls(LIST_VERSIONS, a) + sim().calls(ACTIVATE_VERSION, a))
        .sum();
  }

  private List<AgentRelease> releasesIn(String namespace) {
    return kubernetes.resources(AgentRelease.class).inNamespace(namespace).list().getItems();
  }
}
