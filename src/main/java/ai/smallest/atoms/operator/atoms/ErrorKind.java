package ai.smallest.atoms.operator.atoms;

/**
 * How a failed Atoms call should be handled. Permanent kinds need a person (fix the key, the spec,
 * the console) and are retried only after a long interval; transient kinds back off and retry.
 */
public enum ErrorKind {
  BAD_REQUEST(false),
  UNAUTHORIZED(false),
  FORBIDDEN(false),
  NOT_FOUND(false),
  RATE_LIMITED(true),
  SERVER_ERROR(true),
  /** Timeouts, refused or reset connections: no HTTP answer at all. */
  NETWORK(true),
  /** A 2xx whose body is not the documented envelope: likely a proxy or an API change. */
  MALFORMED_RESPONSE(true);

  private final boolean transientFailure;

  ErrorKind(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }

  public static ErrorKind fromHttpStatus(int status) {
    return switch (status) {
      case 400, 422 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404, 410 -> NOT_FOUND;
      case 429 -> RATE_LIMITED;
      // 408 and 5xx are the server's or a proxy's trouble; anything else unexpected is treated
      // as transient too, so an odd proxy answer backs off instead of stalling a release forever.
      default -> status >= 400 && status < 500 && status != 408 ? BAD_REQUEST : SERVER_ERROR;
    };
  }
}
