package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code atoms_operator_agentreleases{ready_reason}}: how many releases carry each Ready reason,
 * counted from the operator's cache at scrape time, so deleted releases need no bookkeeping. One
 * pass over the cache serves every reason's gauge of a scrape (the counts are reused for {@link
 * #REUSE_NANOS}), so a scrape costs one pass at 50,000 releases, not one per reason.
 */
final class ReleaseGauges {

  static final String NO_STATUS = "NoStatus";

  /** How long one count serves the gauges: well within one scrape, far below any interval. */
  static final long REUSE_NANOS = 1_000_000_000L;

  private final Supplier<Stream<AgentRelease>> releases;
  private final LongSupplier nanoTime;
  private Map<String, Long> counts;
  private long countedAt;

  ReleaseGauges(Supplier<Stream<AgentRelease>> releases, LongSupplier nanoTime) {
    this.releases = releases;
    this.nanoTime = nanoTime;
  }

  static void register(MeterRegistry registry, Supplier<Stream<AgentRelease>> releases) {
    ReleaseGauges gauges = new ReleaseGauges(releases, System::nanoTime);
    for (String reason : reasons()) {
      Gauge.builder(OperatorMetrics.RELEASES, gauges, g -> g.count(reason))
          .description("AgentReleases by the reason of their Ready condition")
          .tag("ready_reason", reason)
          // Nobody else holds on to the gauges: keep them from being collected.
          .strongReference(true)
          .register(registry);
    }
  }

  static List<String> reasons() {
    List<String> reasons =
        new ArrayList<>(Reason.readyReasons().stream().map(Reason::value).toList());
    reasons.add(NO_STATUS);
    return reasons;
  }

  /** Releases whose Ready reason is {@code reason}, from a count at most a second old. */
  synchronized long count(String reason) {
    long now = nanoTime.getAsLong();
    if (counts == null || now - countedAt > REUSE_NANOS) {
      counts =
          new HashMap<>(
              releases
                  .get()
                  .collect(
                      Collectors.groupingBy(ReleaseGauges::readyReason, Collectors.counting())));
      countedAt = now;
    }
    return counts.getOrDefault(reason, 0L);
  }

  static String readyReason(AgentRelease release) {
    return Optional.ofNullable(release.getStatus())
        .flatMap(status -> status.ready())
        .map(Condition::getReason)
        .orElse(NO_STATUS);
  }
}
