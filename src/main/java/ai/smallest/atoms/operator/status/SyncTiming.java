package ai.smallest.atoms.operator.status;

import java.time.Duration;
import java.time.Instant;

/**
 * How a release's checks against Atoms are timed, for {@link StatusCalculator}.
 *
 * @param resyncInterval the release's resync interval (spec.interval or the operator default)
 * @param heartbeat how long status.lastSyncedAt may go unwritten while nothing else in the status
 *     changes (atoms.status-heartbeat): a routine resync that confirms what status already says
 *     writes nothing until then, as the kubelet reports an unchanged node status only every
 *     nodeStatusReportFrequency
 * @param confirmedInMemory when this process last confirmed the release against Atoms, which may be
 *     later than the lastSyncedAt it wrote; null when it has not since it started
 */
public record SyncTiming(Duration resyncInterval, Duration heartbeat, Instant confirmedInMemory) {

  /** The share of a resync interval after which a confirmation is no longer fresh. */
  static final double FRESH_SHARE = 0.9;

  /**
   * lastSyncedAt rewritten by every routine resync (the behaviour before atoms.status-heartbeat),
   * with nothing remembered in memory.
   */
  public static SyncTiming everyResync(Duration resyncInterval) {
    return new SyncTiming(
        resyncInterval, Duration.ofMillis((long) (resyncInterval.toMillis() * FRESH_SHARE)), null);
  }
}
