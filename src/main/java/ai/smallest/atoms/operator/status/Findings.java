package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.VersionReference;
import java.time.Instant;

/**
 * What a reconcile learned beyond its verdict, for the status fields the release policies own
 * (issue #15). Kept apart from {@link Outcome}'s verdict so that a policy adds a field here, not a
 * parameter to every outcome.
 *
 * @param driftGuardReset enforcement resumed after a DriftLoop at this instant: corrections before
 *     it no longer count (status.driftGuardResetAt); null when nothing resumed
 * @param driftLoopStarted this reconcile stopped enforcing because of a drift loop (counted once in
 *     atoms_operator_drift_loops_total)
 * @param previousVersion what was live before this activation, for deletionPolicy Restore
 *     (status.previousVersion, kept from the first activation on); an empty reference when nothing
 *     was live; null when not recorded
 */
public record Findings(
    Instant driftGuardReset, boolean driftLoopStarted, VersionReference previousVersion) {

  public static final Findings NONE = new Findings(null, false, null);

  public Findings withDriftGuardReset(Instant at) {
    return new Findings(at, driftLoopStarted, previousVersion);
  }

  public Findings withDriftLoopStarted() {
    return new Findings(driftGuardReset, true, previousVersion);
  }

  public Findings withPreviousVersion(VersionReference previous) {
    return new Findings(driftGuardReset, driftLoopStarted, previous);
  }
}
