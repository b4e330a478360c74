package ai.smallest.atoms.operator.reconciler;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What this process knows of each release's checks against Atoms beyond what its status says: when
 * it last confirmed the live version (status.lastSyncedAt is written only with a change or once a
 * heartbeat, so it may be older), and, for a Ready release it has not checked since it started,
 * when that first check is due.
 *
 * <p>One small entry per release (two longs), keyed by UID. A release deleted meanwhile leaves its
 * entry behind; those are swept whenever the entries have doubled since the last sweep, so they
 * never outnumber twice the releases that exist ({@link ReleaseSweep}).
 */
final class CheckLedger {

  /** Epoch milliseconds; 0 when unknown. */
  private record Entry(long confirmedAt, long firstCheckAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final ReleaseSweep sweep;

  CheckLedger(Supplier<Predicate<String>> liveReleases) {
    this.sweep = new ReleaseSweep(liveReleases);
  }

  /** The live version of release {@code uid} was confirmed against Atoms at {@code at}. */
  void confirmed(String uid, Instant at) {
    put(uid, new Entry(at.toEpochMilli(), 0));
  }

  /** When this process last confirmed release {@code uid}; null when it has not. */
  Instant confirmedAt(String uid) {
    Entry entry = entries.get(uid);
    return entry == null || entry.confirmedAt() == 0
        ? null
        : Instant.ofEpochMilli(entry.confirmedAt());
  }

  /**
   * When the first check of release {@code uid} by this process is due: {@code proposed} the first
   * time it is asked, the same instant ever after until the release is confirmed.
   */
  Instant firstCheckAt(String uid, Instant proposed) {
    Entry entry = entries.get(uid);
    if (entry != null && entry.firstCheckAt() != 0) {
      return Instant.ofEpochMilli(entry.firstCheckAt());
    }
    long due = proposed.toEpochMilli();
    Entry merged =
        entries.merge(
            uid,
            new Entry(0, due),
            (old, fresh) -> old.firstCheckAt() != 0 ? old : new Entry(old.confirmedAt(), due));
    sweep.added(entries.keySet());
    return Instant.ofEpochMilli(merged.firstCheckAt());
  }

  int size() {
    return entries.size();
  }

  private void put(String uid, Entry entry) {
    if (entries.put(uid, entry) == null) {
      sweep.added(entries.keySet());
    }
  }
}
