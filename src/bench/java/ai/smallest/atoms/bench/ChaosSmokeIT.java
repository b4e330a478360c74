package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short chaos run in {@code ./mvnw verify} (failsafe, after package: it kills and restarts the
 * packaged operator jar). Every invariant of the full suite is asserted; only the scale and the
 * window are smaller. Full runs: {@code ./bench/run-chaos}.
 */
class ChaosSmokeIT {

  @Test
  void invariantsHoldUnderFaultsDriftEditsRestartsConflictsAndHostileTenants() throws Exception {
    Duration readTimeout = Duration.ofSeconds(2);
    ChaosRunner.Config config =
        new ChaosRunner.Config(
            20,
            4,
            Duration.ofSeconds(20),
            Duration.ofSeconds(60),
            1,
            6,
            6,
            0.10,
            ChaosRunner.Config.issueMix(11, readTimeout),
            Duration.ofMillis(10),
            Duration.ofSeconds(8),
            readTimeout,
            11,
            Path.of("target", "chaos-smoke"),
            4,
            HostileCases.Selection.SMOKE);

    ChaosResult r =
        new ChaosRunner(line -> System.out.println("[chaos-smoke] " + line)).run(config);
    System.out.println(ChaosMain.markdown(config, r));

    assertThat(r.violations()).as("violated invariants").isEmpty();
    assertThat(r.restarts).isEqualTo(1);
    assertThat(r.badInputKinds).isGreaterThanOrEqualTo(20);
    assertThat(r.faultsInjected.values().stream().mapToInt(Integer::intValue).sum())
        .as("faults injected")
        .isPositive();
    assertThat(r.goodConverged).isEqualTo(r.goodReleases);
    assertThat(r.lateReady).as("releases created after the poison").isEqualTo(4);
    assertThat(r.hostileOutcomes).hasSize(HostileCases.SMOKE.size());
    assertThat(r.activationsLanded).as("activations that landed").isPositive();
    assertThat(r.activationsMissingFromHistory).as("lost activation records").isEmpty();
  }
}
