package ai.smallest.atoms.simulator;

/**
 * The order in which the list endpoint returns published versions. The contract (List published
 * versions) promises none, and the real API's is not documented; the simulator lists newest first
 * by default (versionNumber descending), and can list otherwise so that a client can prove it does
 * not depend on an order. Every order is stable across page calls, or paging would be meaningless.
 */
public enum ListOrder {
  /** versionNumber descending: the default. */
  NEWEST_FIRST,
  /** versionNumber ascending. */
  OLDEST_FIRST,
  /** A fixed pseudo-random permutation derived from the version IDs. */
  SHUFFLED
}
