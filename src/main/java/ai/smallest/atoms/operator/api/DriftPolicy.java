package ai.smallest.atoms.operator.api;

/**
 * What to do when the live version changed on Atoms behind the operator's back (e.g. in the
 * console).
 */
public enum DriftPolicy {
  /** Re-activate the declared version at the next resync (default). */
  Enforce,
  /** Only report: Ready=False with reason DriftDetected and an Event; no activation. */
  Report
}
