package ai.smallest.atoms.operator.api;

/**
 * Condition types, as documented constants (Flux style). kstatus reads Ready, Reconciling and
 * Stalled; the latter two are present only while True. Their reasons are {@link Reason}s.
 */
public final class Conditions {

  private Conditions() {}

  /** True when the desired version is the live version on Atoms. */
  public static final String READY = "Ready";

  /** True while work is under way: an activation, or a retry after a transient API error. */
  public static final String RECONCILING = "Reconciling";

  /** True when progress needs a person: bad spec, credentials, unknown agent or version. */
  public static final String STALLED = "Stalled";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";
}
