package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.status.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's own Prometheus metrics (served at /q/metrics next to JOSDK's and the JVM's). Names
 * and tags are documented in README.md; keep the two in step.
 */
@ApplicationScoped
public class OperatorMetrics {

  public static final String RECONCILES = "atoms_operator_reconciles";
  public static final String ACTIVATIONS = "atoms_operator_activations";
  public static final String DRIFT_CORRECTIONS = "atoms_operator_drift_corrections";
  public static final String DRIFT_LOOPS = "atoms_operator_drift_loops";
  public static final String API_REQUESTS = "atoms_api_requests";
  public static final String API_DURATION = "atoms_api_request_duration";
  public static final String RELEASES = "atoms_operator_agentreleases";

  static final String SKIPPED = "Skipped";

  private final MeterRegistry registry;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The quiet path: the release was confirmed recently, nothing was asked of Atoms. */
  public void skipped() {
    reconciled(SKIPPED);
  }

  /** One reconcile that reached a result: its Ready reason, and the activation it made. */
  public void reconciled(Outcome outcome, AgentReleaseStatus after) {
    after.ready().ifPresent(ready -> reconciled(ready.getReason()));
    switch (outcome.activation()) {
      case DECLARED -> activated("declared");
      case DRIFT_CORRECTION -> {
        activated("drift");
        driftCorrected();
      }
      case NONE -> {}
    }
    if (outcome.findings().driftLoopStarted()) {
      Counter.builder(DRIFT_LOOPS)
          .description(
              "Releases that stopped enforcing because something kept activating another version")
          .register(registry)
          .increment();
    }
  }

  /**
   * Counts {@code atoms_operator_agentreleases{ready_reason}} from {@code releases} at scrape time
   * (the controller's cache: deleted releases need no bookkeeping).
   */
  public void countReleasesFrom(Supplier<Stream<AgentRelease>> releases) {
    ReleaseGauges.register(registry, releases);
  }

  private void reconciled(String outcome) {
    Counter.builder(RECONCILES)
        .description("Reconciles by outcome (the Ready reason)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private void activated(String trigger) {
    Counter.builder(ACTIVATIONS)
        .description("Successful activate calls by trigger (declared, drift)")
        .tag("trigger", trigger)
        .register(registry)
        .increment();
  }

  private void driftCorrected() {
    Counter.builder(DRIFT_CORRECTIONS)
        .description("Live versions restored after someone changed them on Atoms")
        .register(registry)
        .increment();
  }

  /**
   * @param statusClass 2xx, 4xx, 5xx; "malformed" for an answer that was not believed, "timeout"
   *     when no complete answer came in time, "network" when no HTTP answer came back
   */
  public void apiRequest(String endpoint, String statusClass, Duration latency) {
    Counter.builder(API_REQUESTS)
        .description("Atoms API requests by endpoint and status class")
        .tag("endpoint", endpoint)
        .tag("status_class", statusClass)
        .register(registry)
        .increment();
    Timer.builder(API_DURATION)
        .description("Atoms API request latency")
        .tag("endpoint", endpoint)
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
