package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.harness.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Short runs of {@code ./bench/run-tenants} in {@code ./mvnw verify} (failsafe, after package: they
 * start the packaged operator jar). They assert what does not depend on the machine's speed; the
 * timings are the full run's job.
 */
class TenantsSmokeIT {

  private static final Path WORK = Path.of("target", "tenants-smoke");

  @Test
  void aSaturatedAccountDelaysOnlyItsOwnReleasesAndWaitsQuietly() throws Exception {
    int releases = 8;
    int concurrency = 2;
    TenantsResult.Fairness r =
        new TenantsRunner(line -> System.out.println("[tenants-smoke] " + line))
            .fairness(
                new TenantsRunner.FairnessConfig(
                    releases,
                    Duration.ofSeconds(2),
                    concurrency,
                    10,
                    4, // fewer reconcile threads than A has releases, as 50 against 80
                    Duration.ofSeconds(3),
                    OperatorProcess.PRODUCTION_JVM_OPTIONS,
                    WORK));

    assertThat(r.bReadySeconds).as("B Ready").isNotNegative();
    assertThat(r.aReady).as("A's releases Ready").isEqualTo(releases);
    // B converged while A still had most of its queue ahead of it.
    assertThat(r.bCreatedAfterSeconds + r.bReadySeconds).isLessThan(r.aTotalSeconds);
    assertThat(r.aAtomsCalls).as("A's Atoms calls: a list and an activation each").isEqualTo(16);
    assertThat(r.aStatusWrites).as("A's status writes: intent and outcome").isEqualTo(16);
    assertThat(r.maxInFlight).isLessThanOrEqualTo(concurrency + 1);
    assertThat(r.apiKeyInLog).isFalse();
  }

  @Test
  void unrelatedSecretsInWatchedNamespacesLeaveTheHeapAlone() throws Exception {
    int secrets = 60;
    TenantsResult.Secrets r =
        new TenantsRunner(line -> System.out.println("[tenants-smoke] " + line))
            .secrets(
                new TenantsRunner.SecretsConfig(
                    secrets, 100, 3, OperatorProcess.PRODUCTION_JVM_OPTIONS, WORK));

    // Cached whole, 60 Secrets of 100 KiB hold about 8 MiB (135 KiB each, measured); kept as
    // metadata, next to nothing. Half of that leaves room for the measurement's noise.
    assertThat(r.heapGrowthMiB).as("live heap growth, MiB").isLessThan(4);
    assertThat(r.missingKeyPickupSeconds).as("missing key used").isNotNegative();
    assertThat(r.rotationPickupSeconds).as("rotated key used").isNotNegative();
    assertThat(r.apiKeyInLog).isFalse();
  }
}
