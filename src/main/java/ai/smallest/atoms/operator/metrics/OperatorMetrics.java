package ai.smallest.atoms.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The operator's own Prometheus metrics (served at /q/metrics next to JOSDK's and the JVM's). Names
 * and tags are documented in README.md; keep the two in step.
 */
@ApplicationScoped
public class OperatorMetrics {

  public static final String RECONCILES = "atoms_operator_reconciles";
  public static final String ACTIVATIONS = "atoms_operator_activations";
  public static final String DRIFT_CORRECTIONS = "atoms_operator_drift_corrections";
  public static final String API_REQUESTS = "atoms_api_requests";
  public static final String API_DURATION = "atoms_api_request_duration";
  public static final String RELEASES = "atoms_operator_agentreleases";

  private final MeterRegistry registry;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * One reconcile that reached a result; outcome is the Ready reason, or "Skipped" for the quiet
   * path.
   */
  public void reconciled(String outcome) {
    Counter.builder(RECONCILES)
        .description("Reconciles by outcome (the Ready reason)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void activated(String trigger) {
    Counter.builder(ACTIVATIONS)
        .description("Successful activate calls by trigger (declared, drift)")
        .tag("trigger", trigger)
        .register(registry)
        .increment();
  }

  public void driftCorrected() {
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
