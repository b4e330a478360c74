package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.VersionReference;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import java.time.Instant;
import java.util.Optional;

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
 * @param selected the published version the spec resolved to (status.selected); empty when it
 *     resolves to none (a selector without a match); null when this reconcile did not resolve it
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // null: not looked; empty: none
public record Findings(
    Instant driftGuardReset,
    boolean driftLoopStarted,
    VersionReference previousVersion,
    Optional<AgentVersion> selected) {

  public static final Findings NONE = new Findings(null, false, null, null);

  public Findings withDriftGuardReset(Instant at) {
    return new Findings(at, driftLoopStarted, previousVersion, selected);
  }

  public Findings withDriftLoopStarted() {
    return new Findings(driftGuardReset, true, previousVersion, selected);
  }

  public Findings withPreviousVersion(VersionReference previous) {
    return new Findings(driftGuardReset, driftLoopStarted, previous, selected);
  }

  public Findings withSelected(Optional<AgentVersion> version) {
    return new Findings(driftGuardReset, driftLoopStarted, previousVersion, version);
  }
}
