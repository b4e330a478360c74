package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.PendingActivation;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.api.Reason.Verdict;
import ai.smallest.atoms.operator.api.SelectedVersion;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns an {@link Outcome} into the next status, starting from the current one so that unchanged
 * facts stay byte-for-byte equal. The caller writes status only when the result differs from what
 * is stored: an unchanged reconcile is silent.
 */
public final class StatusCalculator {

  /**
   * How many resync intervals a confirmed Ready survives failed checks (see
   * lastConfirmationStands).
   */
  static final int CONFIRMATION_TOLERANCE = 2;

  private StatusCalculator() {}

  /**
   * {@link #next(AgentRelease, Outcome, Instant, SyncTiming, int)} with lastSyncedAt rewritten by
   * every routine resync ({@link SyncTiming#everyResync}).
   */
  public static AgentReleaseStatus next(
      AgentRelease release,
      Outcome outcome,
      Instant now,
      Duration resyncInterval,
      int historyLimit) {
    return next(release, outcome, now, SyncTiming.everyResync(resyncInterval), historyLimit);
  }

  /**
   * @param timing the release's resync interval, the status heartbeat and its last confirmation in
   *     memory
   * @param historyLimit how many activations status.history keeps
   */
  public static AgentReleaseStatus next(
      AgentRelease release, Outcome outcome, Instant now, SyncTiming timing, int historyLimit) {
    AgentReleaseStatus current =
        release.getStatus() == null ? new AgentReleaseStatus() : release.getStatus();
    AgentReleaseStatus next = copyOf(current);
    Long generation = release.getMetadata().getGeneration();
    String timestamp = format(now);

    next.setObservedGeneration(generation);
    if (outcome.liveVersion() != null) {
      recordLiveVersion(next, current, outcome.liveVersion(), outcome.activatedNow());
    }
    if (outcome.activatedNow()) {
      recordActivation(next, outcome, historyLimit, now);
    }
    if (outcome.activatedNow()
        && next.getPreviousVersion() == null
        && outcome.findings().previousVersion() != null) {
      next.setPreviousVersion(outcome.findings().previousVersion());
    }
    if (outcome.findings().selected() != null) {
      next.setSelected(selected(current, outcome.findings().selected().orElse(null), timestamp));
    }
    if (outcome.findings().driftGuardReset() != null) {
      next.setDriftGuardResetAt(format(outcome.findings().driftGuardReset()));
    }
    if (outcome.reason().requeue() != Reason.Requeue.BACKOFF) {
      // A request is handled once its check completed; a failed one is retried with backoff, and
      // must not let the quiet path skip that retry. So is an activate-now: whether or not it let
      // an activation through, a later activation must not find it still pending.
      release.reconcileRequest().ifPresent(next::setLastHandledReconcileAt);
      release.activateNowRequest().ifPresent(next::setLastHandledActivateNow);
    }

    ConditionList conditions = new ConditionList(current.getConditions());
    String reason = outcome.reason().value();
    switch (outcome.verdict()) {
      case READY -> {
        Reason ready =
            Boolean.TRUE.equals(next.getActivated()) ? Reason.Activated : Reason.UpToDate;
        conditions.set(
            Conditions.READY,
            Conditions.TRUE,
            ready.value(),
            readyMessage(release, next),
            generation,
            timestamp);
        conditions.remove(Conditions.RECONCILING);
        conditions.remove(Conditions.STALLED);
      }
      case RECONCILING -> {
        if (outcome.liveUnseen() && lastConfirmationStands(release, now, timing)) {
          keepReady(conditions, release, next, outcome, generation, timestamp, timing);
          break;
        }
        conditions.set(
            Conditions.READY, Conditions.FALSE, reason, outcome.message(), generation, timestamp);
        conditions.set(
            Conditions.RECONCILING,
            Conditions.TRUE,
            reason,
            outcome.message(),
            generation,
            timestamp);
        conditions.remove(Conditions.STALLED);
      }
      case STALLED -> {
        conditions.set(
            Conditions.READY, Conditions.FALSE, reason, outcome.message(), generation, timestamp);
        conditions.set(
            Conditions.STALLED, Conditions.TRUE, reason, outcome.message(), generation, timestamp);
        conditions.remove(Conditions.RECONCILING);
      }
      case NOT_READY -> {
        conditions.set(
            Conditions.READY, Conditions.FALSE, reason, outcome.message(), generation, timestamp);
        conditions.remove(Conditions.RECONCILING);
        conditions.remove(Conditions.STALLED);
      }
      case EVENT_ONLY -> throw new IllegalArgumentException(reason + " is not a condition reason");
    }
    next.setConditions(conditions.toList());

    if (outcome.verdict() != Verdict.RECONCILING) {
      // The outcome is known: confirmed (and recorded above), or refused. A transient failure
      // leaves it unknown whether the activation landed, so the intent stays for the next look.
      next.setPendingActivation(null);
    }
    if (outcome.verdict() == Verdict.READY) {
      refreshLastSynced(next, current, now, timing.heartbeat());
    }
    return next;
  }

  /**
   * The stored status plus {@code intent}, written before an activate call; nothing else changes,
   * so conditions and Events are decided by the final write alone.
   */
  public static AgentReleaseStatus withPendingActivation(
      AgentRelease release, PendingActivation intent) {
    AgentReleaseStatus next =
        copyOf(release.getStatus() == null ? new AgentReleaseStatus() : release.getStatus());
    next.setPendingActivation(intent);
    return next;
  }

  /**
   * A routine resync that could not even list the versions (Atoms down, rate limited) says nothing
   * about what is live. The last confirmation stands while it is younger than {@link
   * #CONFIRMATION_TOLERANCE} resync intervals: Ready stays True, with the failed check in its
   * message, so one 503 does not flip a release (and Argo CD, and kubectl wait) to not-ready.
   */
  private static boolean lastConfirmationStands(
      AgentRelease release, Instant now, SyncTiming timing) {
    Instant confirmed = lastConfirmed(release.getStatus(), timing.confirmedInMemory());
    return release.isReadyForCurrentGeneration()
        && within(confirmed, now, timing.resyncInterval(), CONFIRMATION_TOLERANCE);
  }

  private static void keepReady(
      ConditionList conditions,
      AgentRelease release,
      AgentReleaseStatus next,
      Outcome outcome,
      Long generation,
      String timestamp,
      SyncTiming timing) {
    String reason =
        conditions.get(Conditions.READY).map(Condition::getReason).orElse(Reason.UpToDate.value());
    String message =
        readyMessage(release, next)
            + ", last confirmed at "
            + format(lastConfirmed(next, timing.confirmedInMemory()))
            + "; the latest check failed ("
            + outcome.reason()
            + ": "
            + outcome.message()
            + ")";
    conditions.set(Conditions.READY, Conditions.TRUE, reason, message, generation, timestamp);
  }

  /**
   * status.selected for {@code version}: selectedAt moves only when another version is selected
   * (null: none is).
   */
  private static SelectedVersion selected(
      AgentReleaseStatus current, AgentVersion version, String now) {
    if (version == null) {
      return null;
    }
    SelectedVersion before = current.getSelected();
    String since =
        before != null && Objects.equals(before.getVersionId(), version.id())
            ? before.getSelectedAt()
            : now;
    return new SelectedVersion(version.versionNumber(), version.id(), version.label(), since);
  }

  /** status.lastSyncedAt, or null when never synced or unreadable. */
  public static Instant lastSynced(AgentReleaseStatus status) {
    if (status == null || status.getLastSyncedAt() == null) {
      return null;
    }
    try {
      return Instant.parse(status.getLastSyncedAt());
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * The later of status.lastSyncedAt and {@code inMemory} (null: neither): when the live version
   * was last confirmed against Atoms, as far as anyone knows.
   */
  public static Instant lastConfirmed(AgentReleaseStatus status, Instant inMemory) {
    Instant stored = lastSynced(status);
    if (stored == null || (inMemory != null && inMemory.isAfter(stored))) {
      return inMemory;
    }
    return stored;
  }

  /**
   * Whether a confirmation at {@code confirmed} is still fresh: not in the future and younger than
   * 0.9 resync intervals, so the periodic resync (at the interval, ±10%) always finds it stale
   * while an early, unrelated reconcile does not.
   */
  public static boolean isFresh(Instant confirmed, Instant now, Duration resyncInterval) {
    return within(confirmed, now, resyncInterval, SyncTiming.FRESH_SHARE);
  }

  /** Whether {@code at} is readable, not in the future, and younger than share x interval. */
  private static boolean within(Instant at, Instant now, Duration interval, double share) {
    if (at == null) {
      return false;
    }
    Duration age = Duration.between(at, now);
    return !age.isNegative() && age.toMillis() < interval.toMillis() * share;
  }

  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static void recordLiveVersion(
      AgentReleaseStatus next,
      AgentReleaseStatus current,
      AgentVersion live,
      boolean activatedNow) {
    boolean sameVersionAsBefore = Objects.equals(current.getVersionId(), live.id());
    next.setVersionNumber(live.versionNumber());
    next.setVersionId(live.id());
    next.setLabel(live.label());
    next.setActivatedAt(live.activatedAt());
    next.setActivatedBy(live.activatedBy());
    if (activatedNow) {
      next.setActivated(true);
    } else if (!sameVersionAsBefore || current.getActivated() == null) {
      // The live version changed without us (or we see it for the first time): not our activation.
      next.setActivated(false);
    }
  }

  /**
   * Newest first, bounded. An entry is dated by Atoms' activatedAt, or by the operator's clock when
   * Atoms did not say: the drift-loop guard counts corrections by these dates.
   */
  private static void recordActivation(
      AgentReleaseStatus next, Outcome outcome, int historyLimit, Instant now) {
    AgentVersion live = outcome.liveVersion();
    String by =
        outcome.activation() == Outcome.Activation.DRIFT_CORRECTION
            ? ActivationRecord.BY_DRIFT_CORRECTION
            : ActivationRecord.BY_OPERATOR;
    List<ActivationRecord> history = new ArrayList<>();
    String at = live.activatedAt() != null ? live.activatedAt() : format(now);
    history.add(new ActivationRecord(live.versionNumber(), live.id(), at, by));
    history.addAll(next.getHistory());
    next.setHistory(
        new ArrayList<>(history.subList(0, Math.min(history.size(), Math.max(0, historyLimit)))));
  }

  /**
   * A confirmation is written with any other change, and otherwise only once lastSyncedAt is a
   * heartbeat old: a routine resync that finds what status already says writes nothing (no patch,
   * no watch event for every informer, no etcd write), while lastSyncedAt still shows a working
   * operator.
   */
  private static void refreshLastSynced(
      AgentReleaseStatus next, AgentReleaseStatus current, Instant now, Duration heartbeat) {
    boolean somethingElseChanged = !next.equals(current);
    if (somethingElseChanged || !within(lastSynced(current), now, heartbeat, 1.0)) {
      next.setLastSyncedAt(format(now));
    }
  }

  private static String readyMessage(AgentRelease release, AgentReleaseStatus status) {
    String label =
        status.getLabel() == null || status.getLabel().isBlank()
            ? ""
            : " (\"" + status.getLabel() + "\")";
    return "Agent "
        + release.getSpec().getAgentId()
        + " serves version "
        + status.getVersionNumber()
        + label;
  }

  private static AgentReleaseStatus copyOf(AgentReleaseStatus source) {
    AgentReleaseStatus copy = new AgentReleaseStatus();
    copy.setObservedGeneration(source.getObservedGeneration());
    copy.setVersionNumber(source.getVersionNumber());
    copy.setVersionId(source.getVersionId());
    copy.setLabel(source.getLabel());
    copy.setActivatedAt(source.getActivatedAt());
    copy.setActivatedBy(source.getActivatedBy());
    copy.setActivated(source.getActivated());
    copy.setLastSyncedAt(source.getLastSyncedAt());
    copy.setLastHandledReconcileAt(source.getLastHandledReconcileAt());
    copy.setLastHandledActivateNow(source.getLastHandledActivateNow());
    copy.setDriftGuardResetAt(source.getDriftGuardResetAt());
    copy.setSelected(source.getSelected());
    copy.setPreviousVersion(source.getPreviousVersion());
    copy.setRestoreAttempts(source.getRestoreAttempts());
    copy.setPendingActivation(source.getPendingActivation());
    copy.setHistory(new ArrayList<>(source.getHistory()));
    copy.setConditions(new ConditionList(source.getConditions()).toList());
    return copy;
  }
}
