package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Exponential backoff with jitter for transient Atoms errors, per release. Waiting happens by
 * rescheduling the reconcile, never by sleeping on a reconcile thread, so one slow agent cannot
 * starve the others; a server's Retry-After is honoured as a floor, up to the maximum (a server
 * must not park a release for a year).
 *
 * <p>Attempt counts live in memory: after an operator restart a failing release starts again from
 * the initial delay, which only errs on the side of retrying sooner. A release deleted while it was
 * failing leaves its count behind; those are swept whenever the counts have doubled since the last
 * sweep, so they never outnumber twice the releases that exist ({@link ReleaseSweep}).
 */
@ApplicationScoped
public class RetryBackoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final ReleaseSweep sweep;

  @Inject
  public RetryBackoff(OperatorConfig config, ReleaseIndex releases) {
    this(
        config.backoff().initial(),
        config.backoff().max(),
        () -> ThreadLocalRandom.current().nextDouble(),
        releases::cachedUids);
  }

  RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this(initial, max, random, () -> uid -> true);
  }

  RetryBackoff(
      Duration initial,
      Duration max,
      DoubleSupplier random,
      Supplier<Predicate<String>> liveReleases) {
    this.initial = initial;
    this.max = max;
    this.random = random;
    this.sweep = new ReleaseSweep(liveReleases);
  }

  /** Delay before the next attempt for this release; counts the failure. */
  public Duration nextDelay(String releaseUid, Duration retryAfter) {
    int attempt = attempts.merge(releaseUid, 1, Integer::sum);
    if (attempt == 1) {
      sweep.added(attempts.keySet());
    }
    long ceiling = ceilingMillis(attempt);
    // "Equal jitter" (AWS architecture blog): uniform in [ceiling/2, ceiling], so thousands of
    // releases failing together spread out but never retry sooner than half the schedule.
    long jittered = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
    long floor =
        retryAfter == null || retryAfter.isNegative()
            ? 0
            : Math.min(millis(retryAfter), max.toMillis());
    return Duration.ofMillis(Math.min(Math.max(jittered, floor), max.toMillis()));
  }

  /** The release succeeded or hit a non-transient error: start over next time. */
  public void reset(String releaseUid) {
    attempts.remove(releaseUid);
  }

  /** Releases with a count in memory (for tests). */
  int releasesCounted() {
    return attempts.size();
  }

  int attempts(String releaseUid) {
    return attempts.getOrDefault(releaseUid, 0);
  }

  private static long millis(Duration d) {
    return d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toMillis();
  }

  private long ceilingMillis(int attempt) {
    long base = Math.max(1, initial.toMillis());
    int doublings = Math.min(attempt - 1, 30);
    long ceiling = base << doublings;
    return ceiling <= 0 ? max.toMillis() : Math.min(ceiling, max.toMillis());
  }
}
