package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.DriftGuard;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Findings;
import ai.smallest.atoms.operator.status.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Stops a release from fighting whoever keeps activating another version (Argo CD backs off its
 * self-heal for the same reason). Before each drift correction it counts the corrections in
 * status.history made within the window (and after the last resume): when they already reach
 * maxCorrections, the release stops enforcing with reason DriftLoop instead of correcting once
 * more. The count comes from status, not memory, so a restart or a new leader does not reset it.
 *
 * <p>A stopped release keeps observing at its resync interval, and is Ready again by itself if the
 * declared version becomes live; it corrects again only after a person acted: a spec change or a
 * reconcile request, which also restarts the count (status.driftGuardResetAt).
 */
@ApplicationScoped
public class DriftLoopGuard {

  private final OperatorConfig config;

  public DriftLoopGuard(OperatorConfig config) {
    this.config = config;
  }

  /** What the guard says before a drift correction: stop, or go ahead (noting a resume). */
  public record Decision(Optional<Outcome> stop, Findings findings) {}

  /** spec.driftGuard.maxCorrections, else atoms.drift.max-corrections (at least 1). */
  public int maxCorrections(AgentRelease release) {
    DriftGuard guard = release.getSpec() == null ? null : release.getSpec().getDriftGuard();
    int configured =
        guard != null && guard.getMaxCorrections() != null
            ? guard.getMaxCorrections()
            : config.drift().maxCorrections();
    return Math.max(1, configured);
  }

  /** spec.driftGuard.window when valid, else atoms.drift.window. */
  public Duration window(AgentRelease release) {
    DriftGuard guard = release.getSpec() == null ? null : release.getSpec().getDriftGuard();
    return Optional.ofNullable(guard)
        .flatMap(g -> Intervals.parse(g.getWindow()))
        .filter(d -> d.compareTo(ActivationWindows.MINIMUM_DURATION) >= 0)
        .orElse(config.drift().window());
  }

  /** status.history must hold at least as many entries as the guard counts. */
  public int historyLimit(AgentRelease release, int configured) {
    return Math.max(configured, maxCorrections(release));
  }

  /**
   * Before correcting drift: {@code live} is the version someone else activated (or null when
   * unknown).
   */
  public Decision beforeCorrecting(AgentRelease release, AgentVersion live, Instant now) {
    if (stopped(release)) {
      if (!personActed(release)) {
        // Stays stopped until a person acts, however old the counted corrections become.
        return new Decision(Optional.of(staysStopped(release, live)), Findings.NONE);
      }
      return new Decision(Optional.empty(), Findings.NONE); // resumed: see afterSync
    }
    Duration window = window(release);
    int max = maxCorrections(release);
    long recent =
        correctionsSince(release.getStatus(), countFrom(release.getStatus(), now, window));
    if (recent < max) {
      return new Decision(Optional.empty(), Findings.NONE);
    }
    Outcome stop =
        Outcome.notReady(Reason.DriftLoop, message(release, live, recent, window), live)
            .withFindings(Findings.NONE.withDriftLoopStarted());
    return new Decision(Optional.of(stop), stop.findings());
  }

  /**
   * After a sync of a stopped release that a person resumed (spec change or reconcile request),
   * whatever the result: the count restarts now, so corrections made before do not stop it again.
   */
  public Outcome afterSync(AgentRelease release, Outcome outcome, Instant now) {
    if (!stopped(release) || !personActed(release) || outcome.reason() == Reason.DriftLoop) {
      return outcome;
    }
    return outcome.withFindings(outcome.findings().withDriftGuardReset(now));
  }

  private static boolean personActed(AgentRelease release) {
    return release.hasUnhandledReconcileRequest()
        || !Objects.equals(
            release.getStatus().getObservedGeneration(), release.getMetadata().getGeneration());
  }

  /** Whether the stored status says this release stopped enforcing because of a drift loop. */
  public static boolean stopped(AgentRelease release) {
    return Optional.ofNullable(release.getStatus())
        .flatMap(AgentReleaseStatus::ready)
        .map(Condition::getReason)
        .filter(Reason.DriftLoop.value()::equals)
        .isPresent();
  }

  private static Instant countFrom(AgentReleaseStatus status, Instant now, Duration window) {
    Instant windowStart = now.minus(window);
    Instant reset = status == null ? null : parse(status.getDriftGuardResetAt());
    return reset != null && reset.isAfter(windowStart) ? reset : windowStart;
  }

  /** Drift corrections in history at or after {@code from}; undated entries are not counted. */
  static long correctionsSince(AgentReleaseStatus status, Instant from) {
    if (status == null) {
      return 0;
    }
    return status.getHistory().stream()
        .filter(r -> ActivationRecord.BY_DRIFT_CORRECTION.equals(r.getBy()))
        .map(r -> parse(r.getActivatedAt()))
        .filter(Objects::nonNull)
        .filter(at -> !at.isBefore(from))
        .count();
  }

  private Outcome staysStopped(AgentRelease release, AgentVersion live) {
    AgentReleaseStatus status = release.getStatus();
    String stored = status.ready().map(Condition::getMessage).orElse(null);
    // Same live version as when it stopped: the same words, so nothing is written.
    String message =
        stored != null && live != null && Objects.equals(status.getVersionId(), live.id())
            ? stored
            : message(release, live, correctionsSince(status, Instant.EPOCH), window(release));
    return Outcome.notReady(Reason.DriftLoop, message, live);
  }

  private String message(
      AgentRelease release, AgentVersion live, long corrections, Duration window) {
    String declared = release.getSpec().describeDesiredVersion();
    return "Stopped correcting drift: after "
        + corrections
        + " drift correction"
        + (corrections == 1 ? "" : "s")
        + " within "
        + Intervals.format(window)
        + " (driftGuard allows "
        + maxCorrections(release)
        + "), "
        + whoKeepsActivating(live)
        + " instead of "
        + declared
        + ". Find and stop what keeps switching it, then resume with a spec change or: kubectl"
        + " annotate agr "
        + release.getMetadata().getName()
        + " "
        + AgentRelease.RECONCILE_REQUESTED_AT
        + "=\"$(date +%s)\" --overwrite";
  }

  /** "version 5 ("v5") was activated again by Bob Smith (user_123)". */
  static String whoKeepsActivating(AgentVersion live) {
    if (live == null) {
      return "another version was activated again";
    }
    String label =
        live.label() == null || live.label().isBlank() ? "" : " (\"" + live.label() + "\")";
    String name = live.activatedByName();
    String id = live.activatedBy();
    String by =
        id == null && name == null
            ? "someone outside the operator"
            : name == null || name.isBlank() ? id : id == null ? name : name + " (" + id + ")";
    return "version " + live.versionNumber() + label + " was activated again by " + by;
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (RuntimeException unreadable) {
      try {
        return java.time.OffsetDateTime.parse(timestamp).toInstant();
      } catch (RuntimeException stillUnreadable) {
        return null;
      }
    }
  }
}
