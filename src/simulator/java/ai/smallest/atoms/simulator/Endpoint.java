package ai.smallest.atoms.simulator;

/** The two Atoms API operations the simulator serves; used to count calls and target faults. */
public enum Endpoint {
  /** {@code GET /agent/{id}/versions} */
  LIST_VERSIONS,
  /** {@code PATCH /agent/{id}/versions/{versionId}/activate} */
  ACTIVATE_VERSION
}
