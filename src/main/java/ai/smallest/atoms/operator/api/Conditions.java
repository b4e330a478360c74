package ai.smallest.atoms.operator.api;

/**
 * Condition types and reasons, as documented constants (Flux style). kstatus reads Ready,
 * Reconciling and Stalled; the latter two are present only while True.
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

  /** CamelCase reasons carried by the conditions above. */
  public static final class Reasons {
    private Reasons() {}

    /** Every reason the Ready condition can carry, for metrics. */
    public static java.util.List<String> readyReasons() {
      return java.util.List.of(
          ACTIVATED,
          UP_TO_DATE,
          SUSPENDED,
          INVALID_SPEC,
          SECRET_NOT_FOUND,
          UNAUTHORIZED,
          FORBIDDEN,
          AGENT_NOT_FOUND,
          VERSION_NOT_FOUND,
          VERSION_NOT_PUBLISHED,
          BAD_REQUEST,
          API_UNAVAILABLE,
          RATE_LIMITED,
          CONFLICT,
          DRIFT_DETECTED,
          OBSERVE_ONLY,
          RECONCILE_ERROR);
    }

    /** The desired version is live and this operator activated it. */
    public static final String ACTIVATED = "Activated";

    /** The desired version was already live; nothing to do. */
    public static final String UP_TO_DATE = "UpToDate";

    public static final String SUSPENDED = "Suspended";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String AGENT_NOT_FOUND = "AgentNotFound";
    public static final String VERSION_NOT_FOUND = "VersionNotFound";
    public static final String VERSION_NOT_PUBLISHED = "VersionNotPublished";
    public static final String BAD_REQUEST = "BadRequest";
    public static final String API_UNAVAILABLE = "ApiUnavailable";
    public static final String RATE_LIMITED = "RateLimited";

    /** Event reason: the declared version was restored after a change made outside the operator. */
    public static final String DRIFT_CORRECTED = "DriftCorrected";

    /** Another AgentRelease, created earlier, manages the same agent. */
    public static final String CONFLICT = "Conflict";

    /** driftPolicy Report: the live version differs from the declared one; not corrected. */
    public static final String DRIFT_DETECTED = "DriftDetected";

    /** managementPolicy Observe: the declared version is not live; Manage would activate it. */
    public static final String OBSERVE_ONLY = "ObserveOnly";

    /** An unexpected failure inside the operator (e.g. the Kubernetes API refused a read). */
    public static final String RECONCILE_ERROR = "ReconcileError";
  }
}
