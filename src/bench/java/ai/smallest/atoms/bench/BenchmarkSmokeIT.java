package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.harness.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short benchmark run in {@code ./mvnw verify} (failsafe, after package: it starts the packaged
 * operator jar). Asserts correctness, never timing: every release Ready on its declared version,
 * Atoms calls exactly the ideal per agent, the concurrency limit respected, and a steady state of
 * one list call per resync (even for a version on page 3) with no activation. Full runs: {@code
 * ./bench/run-benchmark}.
 */
class BenchmarkSmokeIT {

  @Test
  void aSmallWorkloadConvergesWithTheIdealCallsAndStaysQuiet() throws Exception {
    int n = 30;
    int concurrency = 4;
    BenchmarkRunner.Scenario scenario =
        new BenchmarkRunner.Scenario(
            n,
            Duration.ofMillis(10),
            concurrency,
            10_000,
            null,
            Duration.ofSeconds(6),
            2,
            3,
            6,
            n,
            OperatorProcess.PRODUCTION_JVM_OPTIONS,
            Duration.ofSeconds(120),
            Path.of("target", "bench-smoke"),
            0);

    BenchmarkResult r =
        new BenchmarkRunner(line -> System.out.println("[bench-smoke] " + line)).run(scenario);

    assertThat(r.ready).as("releases Ready").isEqualTo(n);
    assertThat(r.agentsOnWrongVersion).as("agents not on their declared version").isZero();
    assertThat(r.listCalls + r.activateCalls).as("Atoms calls").isEqualTo(r.idealCalls);
    assertThat(r.activateCalls).as("activations").isEqualTo(r.idealActivations);
    assertThat(r.agentsOffIdeal).as("agents whose calls differ from the ideal").isZero();
    assertThat(r.maxInFlight).as("requests in flight at once").isBetween(1, concurrency);
    // One outcome write per release, and one intent write before each activation (issue #12).
    assertThat(r.statusWrites).as("status writes to converge").isEqualTo(n + r.idealActivations);
    assertThat(r.otherWrites).as("writes other than status and Events").isZero();
    assertThat(r.steadyActivations).as("activations in steady state").isZero();
    assertThat(r.steadyResyncs).as("resyncs in two periods").isGreaterThanOrEqualTo(n);
    assertThat(r.steadyListsPerResyncPage1)
        .as("lists per resync, version on page 1")
        .isEqualTo(1.0);
    assertThat(r.steadyListsPerResyncPage3)
        .as("lists per resync, version on page 3")
        .isEqualTo(1.0);
    assertThat(r.apiKeyInLog).as("API key in the operator's log").isFalse();
    assertThat(r.naiveCalls).as("naive script calls").isEqualTo(r.idealListCalls + n);
  }
}
