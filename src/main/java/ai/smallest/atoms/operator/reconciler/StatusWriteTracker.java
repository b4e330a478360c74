package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sees through a stale informer cache. JOSDK 5 does not put a status patch's result into its cache,
 * so a reconcile that follows the previous one closely (a Secret event, a retry) may still see the
 * status from before that patch. "Write only when changed" would then compare with the wrong
 * baseline: when the new status equals the stale one, nothing is written and the older write stays
 * on the object (the chaos suite caught a release left ApiUnavailable although the next check had
 * found Unauthorized). JOSDK's patch would also be empty, being a diff against the same stale
 * object.
 *
 * <p>So the reconciler notes, per release, which resourceVersion each status write was based on and
 * what it wrote. A reconcile that sees that same resourceVersion again, and wants a status
 * different from the one written, knows its view is behind: it writes nothing and looks again
 * shortly, once the cache has caught up. The note is dropped at that point, so a write that never
 * landed (a refused patch) costs one extra look, never a loop.
 */
final class StatusWriteTracker {

  /**
   * How soon to look again when the cache is behind our own write (it catches up in milliseconds).
   */
  static final Duration RECHECK = Duration.ofSeconds(1);

  /**
   * Notes older than this are dropped when many accumulate (releases deleted right after a write).
   */
  private static final long STALE_NOTE_NANOS = Duration.ofMinutes(10).toNanos();

  private static final int TIDY_ABOVE = 10_000;

  private record Write(String basedOnResourceVersion, int statusHash, long atNanos) {}

  private final Map<String, Write> lastWrites = new ConcurrentHashMap<>();

  /** The reconciler asks JOSDK to patch {@code release}'s status to {@code written}. */
  void writing(AgentRelease release, AgentReleaseStatus written) {
    long now = System.nanoTime();
    lastWrites.put(
        key(release),
        new Write(release.getMetadata().getResourceVersion(), written.hashCode(), now));
    if (lastWrites.size() > TIDY_ABOVE) {
      lastWrites.values().removeIf(w -> now - w.atNanos() > STALE_NOTE_NANOS);
    }
  }

  /**
   * Whether this copy of the release predates a status write of ours that differs from {@code
   * wanted}. Answers true at most once per write.
   */
  boolean cacheIsBehind(AgentRelease release, AgentReleaseStatus wanted) {
    String key = key(release);
    Write last = lastWrites.get(key);
    if (last == null) {
      return false;
    }
    lastWrites.remove(key, last);
    return Objects.equals(last.basedOnResourceVersion(), release.getMetadata().getResourceVersion())
        && last.statusHash() != wanted.hashCode();
  }

  private static String key(AgentRelease release) {
    var metadata = release.getMetadata();
    return metadata.getUid() != null
        ? metadata.getUid()
        : metadata.getNamespace() + "/" + metadata.getName();
  }
}
