package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.harness.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 points 2 and 4, in {@code ./mvnw verify} (failsafe: it starts the packaged operator
 * twice). Two instances with disjoint label selectors and Leases of their own on one Kubernetes API
 * and one Atoms API: each calls Atoms only for its own releases, exactly the ideal; a rival release
 * in the other shard loses to the older owner of its agent without a call; and when the owner goes,
 * the rival takes over at once (woken by the cross-shard watch, the periodic re-check being set to
 * an hour). Asserts counts, never timing. Full run: {@code ./bench/run-sharding}.
 */
class ShardingSmokeIT {

  @Test
  void twoShardsCallAtomsOnlyForTheirOwnReleasesAndKeepOneReleasePerAgentClusterWide()
      throws Exception {
    int perShard = 8;
    int conflicts = 3;
    ShardedRunner.Scenario scenario =
        new ShardedRunner.Scenario(
            perShard,
            conflicts,
            Duration.ofMillis(5),
            4,
            2,
            OperatorProcess.PRODUCTION_JVM_OPTIONS,
            Duration.ofSeconds(120),
            Path.of("target", "sharding-smoke"),
            false,
            true);

    ShardedResult r =
        new ShardedRunner(line -> System.out.println("[sharding-smoke] " + line)).run(scenario);

    // Each shard: one list and one activate per release of its own, nothing for the other's.
    assertThat(r.callsDefault)
        .as("default shard's Atoms calls")
        .isEqualTo(
            Map.of("list", (long) perShard + conflicts, "activate", (long) perShard + conflicts));
    assertThat(r.callsShard)
        .as("shard b's Atoms calls (its rivals made none)")
        .isEqualTo(Map.of("list", (long) perShard, "activate", (long) perShard));
    assertThat(r.simulatorCalls).as("calls the Atoms API saw").isEqualTo(r.idealCalls);
    assertThat(r.agentsOffIdeal).as("agents whose calls differ from the ideal").isZero();
    assertThat(r.agentsOnWrongVersion).as("agents not on their declared version").isZero();
    assertThat(r.releasesSeenDefault)
        .as("releases in the default shard's cache")
        .isEqualTo(perShard + conflicts);
    assertThat(r.releasesSeenShard)
        .as("releases in shard b's cache")
        .isEqualTo(perShard + conflicts);

    // One release per agent across shards: the older owner's version is live, activated once.
    assertThat(r.rivalsInConflict).as("rivals in Conflict").isEqualTo(conflicts);
    assertThat(r.contestedAgentsActivatedMoreThanOnce).isZero();
    assertThat(r.contestedAgentsNotOnOwnersVersion).isZero();
    assertThat(r.rivalConflictMessage)
        .contains("AgentRelease " + ShardedRunner.ownerName(0))
        .contains("already manages agent " + ShardedRunner.conflictAgent(0));

    // A Lease per shard, each held by its own instance.
    assertThat(r.leaseHolders)
        .containsEntry("atoms-operator-leader", "operator-default")
        .containsEntry("atoms-operator-leader-b", "operator-shard-b");

    // The owner goes: the rival activates its own version, with one list and one activate.
    assertThat(r.takeoverCalls).as("calls for the takeover").isEqualTo(2);
    assertThat(r.takeoverLiveVersion).as("live version after the takeover").isEqualTo(3);
    assertThat(r.apiKeyInLog).as("an API key in an operator's log").isFalse();
    assertThat(r.stoppedWithinGrace)
        .as("both operators (leader election on) ended on SIGTERM without being killed")
        .isTrue();
  }
}
