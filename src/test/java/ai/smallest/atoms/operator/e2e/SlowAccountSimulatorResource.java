package ai.smallest.atoms.operator.e2e;

import java.util.HashMap;
import java.util.Map;

/**
 * The simulator of {@link AtomsSimulatorResource}, with timeouts long enough that requests the
 * simulator holds stay in flight until the test lets them go, and a second account.
 */
public class SlowAccountSimulatorResource extends AtomsSimulatorResource {

  public static final String OTHER_API_KEY = "sim-key-other-8d2e41";
  public static final int CONCURRENCY = 2;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    simulator().addApiKey(OTHER_API_KEY, "user_other");
    config.put("atoms.read-timeout", "120s");
    config.put("atoms.request-deadline", "120s");
    config.put("atoms.rate-limit.concurrency", String.valueOf(CONCURRENCY));
    return config;
  }
}
