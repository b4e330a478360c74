package ai.smallest.atoms.operator.atoms;

/**
 * How a failed Atoms call should be handled. Permanent kinds need a person (fix the key, the spec,
 * the console) and are retried only after a long interval; transient kinds back off and retry.
 *
 * <p>Classified from the contract (activate: 400 invalid input, 401, 403, 404 agent or version not
 * found, 500; list: 400, 401, 403, 404 agent not found, 500), from what the client refuses to send,
 * and from answers it refuses to believe.
 */
public enum ErrorKind {
  /**
   * An agentId or versionId that would not stay exactly one path segment ({@link PathSegments}):
   * refused before any HTTP call. See {@link AtomsApiException#parameter()}.
   */
  INVALID_ID(false),
  /**
   * 400 that is not about publishing, 409, 413, 415, 422 and any other unexpected 4xx: the API
   * refused the request itself.
   */
  BAD_REQUEST(false),
  /** Activate answered 400 and its body says the version is not published (a draft, archived). */
  VERSION_NOT_PUBLISHED(false),
  UNAUTHORIZED(false),
  FORBIDDEN(false),
  /** 404 whose body names the agent. */
  AGENT_NOT_FOUND(false),
  /** 404 whose body names the version. */
  VERSION_NOT_FOUND(false),
  /** 404 that does not say which of agent or version is missing (or a 410). */
  NOT_FOUND(false),
  RATE_LIMITED(true),
  /** 5xx and 408. */
  SERVER_ERROR(true),
  /** Refused, reset or closed connections, TLS failures: no HTTP answer at all. */
  NETWORK(true),
  /**
   * No complete answer in time: the connect or read timeout, or the whole-request deadline (a
   * server that trickles its answer).
   */
  TIMEOUT(true),
  /**
   * An answer the client cannot believe: a 2xx that is not the documented envelope or contradicts
   * the request or earlier pages, a body over the size cap, a redirect or another status outside
   * 2xx/4xx/5xx. See {@link AtomsApiException#problem()}.
   */
  MALFORMED_RESPONSE(true);

  private final boolean transientFailure;

  ErrorKind(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }

  /**
   * Classifies an error status and the API's error texts. Only the 400 and 404 bodies matter: a 400
   * that speaks of publishing (or of a draft or archived version) is {@link
   * #VERSION_NOT_PUBLISHED}; a 404 that names only the agent or only the version says which one is
   * missing.
   */
  public static ErrorKind fromHttpStatus(int status, java.util.List<String> errors) {
    String text = errors == null ? "" : String.join(" ", errors).toLowerCase(java.util.Locale.ROOT);
    return switch (status) {
      case 400 -> saysNotPublished(text) ? VERSION_NOT_PUBLISHED : BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> notFound(text);
      case 410 -> NOT_FOUND;
      case 429 -> RATE_LIMITED;
      // 408 and 5xx are the server's or a proxy's trouble.
      case 408 -> SERVER_ERROR;
      default -> {
        if (status >= 400 && status < 500) {
          yield BAD_REQUEST;
        }
        yield status >= 500 && status < 600 ? SERVER_ERROR : MALFORMED_RESPONSE;
      }
    };
  }

  /** As {@link #fromHttpStatus(int, java.util.List)} without error texts. */
  public static ErrorKind fromHttpStatus(int status) {
    return fromHttpStatus(status, java.util.List.of());
  }

  private static boolean saysNotPublished(String text) {
    return text.contains("publish") || text.contains("draft") || text.contains("archived");
  }

  private static ErrorKind notFound(String text) {
    boolean agent = text.contains("agent");
    boolean version = text.contains("version");
    if (agent && !version) {
      return AGENT_NOT_FOUND;
    }
    if (version && !agent) {
      return VERSION_NOT_FOUND;
    }
    return NOT_FOUND;
  }
}
