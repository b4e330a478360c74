package ai.smallest.atoms.operator.api;

/** How spec.versionSelector picks the version that should be live. */
public enum VersionStrategy {
  /** The highest published versionNumber. */
  Latest,
  /** The highest published versionNumber among the pinned versions. */
  LatestPinned,
  /** The highest published versionNumber among the versions whose label equals the label. */
  LatestLabeled
}
