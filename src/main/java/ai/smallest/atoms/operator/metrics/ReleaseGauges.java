package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code atoms_operator_agentreleases{ready_reason}}: how many releases carry each Ready reason,
 * counted from the operator's cache at scrape time, so deleted releases need no bookkeeping.
 */
final class ReleaseGauges {

  static final String NO_STATUS = "NoStatus";

  private ReleaseGauges() {}

  static void register(MeterRegistry registry, Supplier<Stream<AgentRelease>> releases) {
    List<String> reasons =
        new ArrayList<>(Reason.readyReasons().stream().map(Reason::value).toList());
    reasons.add(NO_STATUS);
    for (String reason : reasons) {
      Gauge.builder(
              OperatorMetrics.RELEASES,
              releases,
              all -> all.get().filter(r -> reason.equals(readyReason(r))).count())
          .description("AgentReleases by the reason of their Ready condition")
          .tag("ready_reason", reason)
          // Nobody else holds on to the supplier: keep it from being collected.
          .strongReference(true)
          .register(registry);
    }
  }

  static String readyReason(AgentRelease release) {
    return Optional.ofNullable(release.getStatus())
        .flatMap(status -> status.ready())
        .map(Condition::getReason)
        .orElse(NO_STATUS);
  }
}
