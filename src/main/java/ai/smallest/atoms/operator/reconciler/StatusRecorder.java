package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.PendingActivation;
import ai.smallest.atoms.operator.api.Reason.Verdict;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes what a reconcile found into the status subresource: the activation intent before the
 * activate call, the outcome afterwards (only when the status changed), and, when that write loses
 * a race after an activation landed, the record of the activation on the object as stored now.
 */
final class StatusRecorder {

  /** The status a reconcile started from and the one it left (equal when nothing was written). */
  record Change(AgentReleaseStatus before, AgentReleaseStatus after) {}

  /** How often an activation that landed is written again after its status write lost a race. */
  static final int RECORD_ATTEMPTS = 3;

  private final ReleaseSync sync;
  private final RequeuePolicy requeue;
  private final StatusWriter statusWriter;
  private final OperatorConfig config;

  StatusRecorder(
      ReleaseSync sync, RequeuePolicy requeue, StatusWriter statusWriter, OperatorConfig config) {
    this.sync = sync;
    this.requeue = requeue;
    this.statusWriter = statusWriter;
    this.config = config;
  }

  /** The status this outcome leads to. */
  AgentReleaseStatus next(AgentRelease release, Outcome outcome, Instant now) {
    int history = sync.historyLimit(release, config.historyLimit());
    return StatusCalculator.next(release, outcome, now, requeue.timing(release), history);
  }

  /**
   * Writes the status the outcome leads to, unless it equals the stored one.
   *
   * @throws LookAgainLater when the write lost a race ({@link
   *     CachingStatusWriter.StatusWriteConflict})
   */
  Change write(AgentRelease release, Outcome outcome, Instant now, Context<AgentRelease> context) {
    AgentReleaseStatus before = release.getStatus(); // with the intent, when one was written
    AgentReleaseStatus after = next(release, outcome, now);
    if (!after.equals(before)) {
      statusWriter.write(release, after, context);
    }
    if (outcome.verdict() == Verdict.READY) {
      requeue.confirmed(release, now);
    }
    return new Change(before, after);
  }

  /** Writes the intent, and makes the write the base of this reconcile's final status write. */
  void persistIntent(
      AgentRelease release, PendingActivation intent, Context<AgentRelease> context) {
    AgentReleaseStatus withIntent = StatusCalculator.withPendingActivation(release, intent);
    AgentRelease written = statusWriter.write(release, withIntent, context);
    release.setStatus(withIntent);
    release.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
  }

  /**
   * The reconcile must look again later. When that is because the status write recording an
   * activation that landed lost a race (a 409: a spec edit, or another writer), looking again later
   * is not enough: by then the spec may ask for another version, or someone may have made another
   * version live, and the next activation would replace the intent, so the record of this one would
   * be lost. It is written again on the object as stored now, for the generation it served, a
   * bounded number of times.
   *
   * @param outcome the sync's outcome, null when the sync itself asked to look again later
   * @return the status before and after the write that recorded it; empty when there is nothing to
   *     record or it could not be written
   */
  Optional<Change> recordDespiteLostRace(
      LookAgainLater later,
      AgentRelease release,
      Outcome outcome,
      Instant now,
      Context<AgentRelease> context) {
    if (!(later instanceof CachingStatusWriter.StatusWriteConflict)
        || outcome == null
        || !outcome.activatedNow()) {
      return Optional.empty();
    }
    for (int attempt = 0; attempt < RECORD_ATTEMPTS; attempt++) {
      Optional<AgentRelease> latest = statusWriter.latest(release, context);
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      AgentRelease stored = latest.get();
      Long storedFor =
          stored.getStatus() == null ? null : stored.getStatus().getObservedGeneration();
      Long served = release.getMetadata().getGeneration();
      if (storedFor != null && served != null && storedFor > served) {
        return Optional.empty(); // a newer look already wrote status: nothing to add to it
      }
      // The spec and generation this activation served, with the status as stored now.
      AgentRelease view = new AgentRelease();
      view.setMetadata(release.getMetadata());
      view.setSpec(release.getSpec());
      view.setStatus(stored.getStatus());
      AgentReleaseStatus after = next(view, outcome, now);
      try {
        statusWriter.write(stored, after, context);
        return Optional.of(new Change(stored.getStatus(), after));
      } catch (CachingStatusWriter.StatusWriteConflict again) {
        // Raced once more: read again.
      }
    }
    return Optional.empty();
  }
}
