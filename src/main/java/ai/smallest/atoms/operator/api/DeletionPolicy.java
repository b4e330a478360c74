package ai.smallest.atoms.operator.api;

/** What deleting an AgentRelease does to the agent's live version. */
public enum DeletionPolicy {
  /** Leave it as it is (the default). */
  Orphan,
  /** Re-activate the version that was live before this release's first activation. */
  Restore
}
