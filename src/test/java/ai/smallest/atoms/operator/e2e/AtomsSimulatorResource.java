package ai.smallest.atoms.operator.e2e;

import ai.smallest.atoms.simulator.AtomsSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the project's Atoms API simulator for a Quarkus test run and points the operator at it.
 * Intervals are set so that tests can tell a retry apart from silence: transient errors retry
 * within a second, errors that need a person would only retry after an hour.
 */
public class AtomsSimulatorResource implements QuarkusTestResourceLifecycleManager {

  public static final String API_KEY = "sim-key-3f9a7c";
  public static final String USER_ID = "user_operator";
  private static AtomsSimulator simulator;

  public static AtomsSimulator simulator() {
    return simulator;
  }

  @Override
  public Map<String, String> start() {
    simulator = AtomsSimulator.start();
    simulator.addApiKey(API_KEY, USER_ID);
    return Map.of(
        "atoms.base-url", simulator.baseUrl(),
        "atoms.allow-insecure-http", "true",
        "atoms.backoff.initial", "0.2s",
        "atoms.backoff.max", "1s",
        "atoms.error-retry-interval", "1h",
        "atoms.resync-interval", "1h",
        "atoms.read-timeout", "2s",
        "atoms.conflict-recheck-interval", "1s");
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
