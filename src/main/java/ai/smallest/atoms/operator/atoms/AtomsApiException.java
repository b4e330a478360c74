package ai.smallest.atoms.operator.atoms;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failed Atoms API call, classified. The message is built from the HTTP status, the API's {@code
 * errors} array (each text cut, at most five) and the client's own finding: never from request
 * headers, so it cannot carry the API key, and never longer than {@link
 * ErrorTexts#MAX_MESSAGE_CHARS}.
 */
public class AtomsApiException extends RuntimeException {

  private final ErrorKind kind;
  private final int httpStatus;
  private final List<String> errors;
  private final Duration retryAfter;
  private final ResponseProblem problem;
  private final String parameter;

  private AtomsApiException(
      ErrorKind kind,
      int httpStatus,
      List<String> errors,
      Duration retryAfter,
      ResponseProblem problem,
      String parameter,
      Throwable cause) {
    super(describe(kind, httpStatus, ErrorTexts.bound(errors)), cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.errors = List.copyOf(ErrorTexts.bound(errors));
    this.retryAfter = retryAfter;
    this.problem = problem;
    this.parameter = parameter;
  }

  /** An error status, classified by status and error texts ({@link ErrorKind#fromHttpStatus}). */
  public static AtomsApiException http(int httpStatus, List<String> errors, Duration retryAfter) {
    return new AtomsApiException(
        ErrorKind.fromHttpStatus(httpStatus, errors),
        httpStatus,
        errors,
        retryAfter,
        null,
        null,
        null);
  }

  /** As {@link #http} with the kind decided by the caller, e.g. a call-specific refinement. */
  public static AtomsApiException http(
      ErrorKind kind, int httpStatus, List<String> errors, Duration retryAfter) {
    return new AtomsApiException(kind, httpStatus, errors, retryAfter, null, null, null);
  }

  /** No HTTP answer at all. */
  public static AtomsApiException network(String what, Throwable cause) {
    return new AtomsApiException(ErrorKind.NETWORK, 0, List.of(what), null, null, null, cause);
  }

  /** No complete answer in time. */
  public static AtomsApiException timeout(String what, Throwable cause) {
    return new AtomsApiException(ErrorKind.TIMEOUT, 0, List.of(what), null, null, null, cause);
  }

  /** An answer that was not believed; {@code httpStatus} as received. */
  public static AtomsApiException malformed(
      ResponseProblem problem, int httpStatus, String finding) {
    return new AtomsApiException(
        ErrorKind.MALFORMED_RESPONSE, httpStatus, List.of(finding), null, problem, null, null);
  }

  /**
   * An ID that cannot be sent as one path segment; no request was made.
   *
   * @param parameter {@code agentId} or {@code versionId}
   */
  public static AtomsApiException invalidId(String parameter, String finding) {
    return new AtomsApiException(
        ErrorKind.INVALID_ID, 0, List.of(finding), null, null, parameter, null);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** 0 when no HTTP answer was received (or, for {@link ErrorKind#INVALID_ID}, no request sent). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The API's error texts, or the client's finding; bounded by {@link ErrorTexts#bound}. */
  public List<String> errors() {
    return errors;
  }

  /** The server's Retry-After, already capped at {@code atoms.backoff.max} by the client. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** What was wrong with the answer, for {@link ErrorKind#MALFORMED_RESPONSE}. */
  public Optional<ResponseProblem> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Which path parameter was refused ({@code agentId} or {@code versionId}), for {@link
   * ErrorKind#INVALID_ID}.
   */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }

  private static String describe(ErrorKind kind, int httpStatus, List<String> errors) {
    String detail = errors.isEmpty() ? "no error details" : String.join("; ", errors);
    String message =
        switch (kind) {
          case INVALID_ID -> "Not sent to the Atoms API: " + detail;
          case MALFORMED_RESPONSE ->
              (httpStatus > 0 ? "Atoms API answered HTTP " + httpStatus : "Atoms API answered")
                  + " with an answer the operator cannot use: "
                  + detail;
          default ->
              httpStatus > 0
                  ? "Atoms API answered HTTP " + httpStatus + ": " + detail
                  : "Atoms API unreachable: " + detail;
        };
    return ErrorTexts.cut(message, ErrorTexts.MAX_MESSAGE_CHARS);
  }
}
