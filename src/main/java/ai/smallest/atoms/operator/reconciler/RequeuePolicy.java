package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import ai.smallest.atoms.operator.status.SyncTiming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a release is looked at next. Ready releases resync at their interval with ±10% jitter, so
 * thousands of releases created together do not hit the Atoms API together forever after; a Ready
 * release this process has not checked yet (it just started, or took over the Lease or the shard)
 * is first checked at a random moment within one interval, so a restart does not send the whole
 * fleet's list calls at once. When each release was last confirmed is kept in a {@link
 * CheckLedger}, since status.lastSyncedAt is written only with a change or once a heartbeat.
 */
@ApplicationScoped
public class RequeuePolicy {

  static final double RESYNC_JITTER = 0.1;

  /** How soon to look again after a status write lost a race with another writer. */
  static final Duration AFTER_CONFLICT = Duration.ofSeconds(1);

  private final OperatorConfig config;
  private final RetryBackoff backoff;
  private final DoubleSupplier random;
  private final CheckLedger ledger;

  @Inject
  public RequeuePolicy(OperatorConfig config, RetryBackoff backoff, ReleaseIndex releases) {
    this(
        config,
        backoff,
        () -> ThreadLocalRandom.current().nextDouble(),
        new CheckLedger(releases::cachedUids));
  }

  RequeuePolicy(OperatorConfig config, RetryBackoff backoff) {
    this(config, backoff, () -> ThreadLocalRandom.current().nextDouble());
  }

  RequeuePolicy(OperatorConfig config, RetryBackoff backoff, DoubleSupplier random) {
    this(config, backoff, random, new CheckLedger(() -> uid -> true));
  }

  RequeuePolicy(
      OperatorConfig config, RetryBackoff backoff, DoubleSupplier random, CheckLedger ledger) {
    this.config = config;
    this.backoff = backoff;
    this.random = random;
    this.ledger = ledger;
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

  /** What status calculation needs to know of the release's timing. */
  public SyncTiming timing(AgentRelease release) {
    return new SyncTiming(
        resyncInterval(release), config.statusHeartbeat(), ledger.confirmedAt(uid(release)));
  }

  /** The release's live version was confirmed against Atoms at {@code at}. */
  public void confirmed(AgentRelease release, Instant at) {
    ledger.confirmed(uid(release), at);
  }

  /**
   * The quiet path: when the release is Ready for its current spec and no reconcile was requested,
   * there is nothing to ask the API yet if it was confirmed against Atoms within its resync
   * interval, or if this process has not checked it yet and the random moment of its first check
   * has not come. Returns how long it may stay quiet, else empty.
   */
  public Optional<Duration> quietFor(AgentRelease release, Instant now) {
    if (!release.isReadyForCurrentGeneration()
        || release.hasUnhandledReconcileRequest()
        || release.hasUnhandledActivateNow()) {
      return Optional.empty();
    }
    Duration resync = resyncInterval(release);
    String uid = uid(release);
    Instant inMemory = ledger.confirmedAt(uid);
    Instant confirmed = StatusCalculator.lastConfirmed(release.getStatus(), inMemory);
    if (StatusCalculator.isFresh(confirmed, now, resync)) {
      return Optional.of(jittered(resync.minus(Duration.between(confirmed, now))));
    }
    if (inMemory == null) {
      long spread = (long) (resync.toMillis() * random.getAsDouble());
      Instant firstCheck = ledger.firstCheckAt(uid, now.plusMillis(spread));
      if (firstCheck.isAfter(now)) {
        return Optional.of(Duration.between(now, firstCheck));
      }
    }
    return Optional.empty();
  }

  private static String uid(AgentRelease release) {
    return release.getMetadata().getUid();
  }

  private Duration scheduled(AgentRelease release, Duration at) {
    Duration resync = jittered(resyncInterval(release));
    if (at == null) {
      return resync;
    }
    // Never zero: JOSDK would run it at once, and a clock a hair behind the timer must not spin.
    Duration exact = at.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : at;
    return exact.compareTo(resync) <= 0 ? exact : resync;
  }

  /** When to look at the release again after {@code outcome}; empty: only on a spec change. */
  public Optional<Duration> after(AgentRelease release, Outcome outcome) {
    String uid = release.getMetadata().getUid();
    if (outcome.reason().requeue() == Reason.Requeue.BACKOFF) {
      return Optional.of(backoff.nextDelay(uid, outcome.retryAfter()));
    }
    backoff.reset(uid);
    return switch (outcome.reason().requeue()) {
      case RESYNC -> Optional.of(jittered(resyncInterval(release)));
      case ERROR_RETRY -> Optional.of(config.errorRetryInterval());
      // A local cache check, no API call: cheap enough to look again soon.
      case CONFLICT_RECHECK -> Optional.of(config.conflictRecheckInterval());
      // Only a spec edit can fix these; the edit itself triggers a reconcile.
      case ON_SPEC_CHANGE -> Optional.empty();
      // A known moment (the next activation window), unless the resync comes first: meanwhile the
      // release keeps reporting what is live, at the cost of a Ready release.
      case SCHEDULED -> Optional.of(scheduled(release, outcome.retryAfter()));
      case BACKOFF -> throw new IllegalStateException("handled above");
    };
  }
}
