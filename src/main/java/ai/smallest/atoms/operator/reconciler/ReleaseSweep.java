package ai.smallest.atoms.operator.reconciler;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Forgets the entries that deleted releases leave in a per-release map: whenever the map's keys
 * (release UIDs) have doubled since the last sweep, those of releases no longer cached are removed,
 * so the entries never outnumber twice the releases that exist (plus {@link #MINIMUM}), at a
 * constant cost per insertion on average.
 */
final class ReleaseSweep {

  static final int MINIMUM = 256;

  private final AtomicInteger sweepAbove = new AtomicInteger(MINIMUM);
  private final Supplier<Predicate<String>> liveReleases;

  /**
   * @param liveReleases a test of the UIDs of the releases that exist now, taken once per sweep
   */
  ReleaseSweep(Supplier<Predicate<String>> liveReleases) {
    this.liveReleases = liveReleases;
  }

  /** Called after a key was added to {@code uids}; sweeps it if it has doubled. */
  void added(Collection<String> uids) {
    if (uids.size() > sweepAbove.get()) {
      uids.removeIf(liveReleases.get().negate());
      sweepAbove.set(Math.max(MINIMUM, 2 * uids.size()));
    }
  }
}
