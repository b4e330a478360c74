package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Conditions.Reasons;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a release is looked at next. Ready releases resync at their interval with ±10% jitter, so
 * thousands of releases created together do not hit the Atoms API together forever after.
 */
@ApplicationScoped
public class RequeuePolicy {

  static final double RESYNC_JITTER = 0.1;

  private final OperatorConfig config;
  private final RetryBackoff backoff;
  private final DoubleSupplier random;

  @Inject
  public RequeuePolicy(OperatorConfig config, RetryBackoff backoff) {
    this(config, backoff, () -> ThreadLocalRandom.current().nextDouble());
  }

  RequeuePolicy(OperatorConfig config, RetryBackoff backoff, DoubleSupplier random) {
    this.config = config;
    this.backoff = backoff;
    this.random = random;
  }

  /** spec.interval when valid, else the operator-wide resync interval. */
  public Duration resyncInterval(AgentRelease release) {
    return Optional.ofNullable(release.getSpec())
        .flatMap(spec -> Intervals.parse(spec.getInterval()))
        .filter(d -> d.compareTo(Intervals.MINIMUM) >= 0)
        .orElse(config.resyncInterval());
  }

  public Duration jittered(Duration interval) {
    double factor = 1 - RESYNC_JITTER + 2 * RESYNC_JITTER * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, (long) (interval.toMillis() * factor)));
  }

  public Optional<Duration> after(AgentRelease release, Outcome outcome) {
    String uid = release.getMetadata().getUid();
    if (outcome.kind() == Outcome.Kind.RETRYING) {
      return Optional.of(backoff.nextDelay(uid, outcome.retryAfter()));
    }
    backoff.reset(uid);
    return switch (outcome.kind()) {
      case READY, OUT_OF_SYNC -> Optional.of(jittered(resyncInterval(release)));
      // Only a spec edit can fix these; the edit itself triggers a reconcile.
      case SUSPENDED -> Optional.empty();
      case STALLED ->
          switch (outcome.reason()) {
            case Reasons.INVALID_SPEC -> Optional.empty();
            // A local cache check, no API call: cheap enough to look again soon.
            case Reasons.CONFLICT -> Optional.of(config.conflictRecheckInterval());
            default -> Optional.of(config.errorRetryInterval());
          };
      case RETRYING -> throw new IllegalStateException("handled above");
    };
  }
}
