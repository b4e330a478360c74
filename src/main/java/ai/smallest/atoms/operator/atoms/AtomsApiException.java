package ai.smallest.atoms.operator.atoms;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failed Atoms API call, classified. The message is built from the HTTP status and the API's
 * {@code errors} array only: never from request headers, so it cannot carry the API key.
 */
public class AtomsApiException extends RuntimeException {

  private final ErrorKind kind;
  private final int httpStatus;
  private final List<String> errors;
  private final Duration retryAfter;

  public AtomsApiException(
      ErrorKind kind, int httpStatus, List<String> errors, Duration retryAfter, Throwable cause) {
    super(describe(kind, httpStatus, errors), cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfter = retryAfter;
  }

  public static AtomsApiException http(int httpStatus, List<String> errors, Duration retryAfter) {
    return new AtomsApiException(
        ErrorKind.fromHttpStatus(httpStatus), httpStatus, errors, retryAfter, null);
  }

  public static AtomsApiException network(String what, Throwable cause) {
    return new AtomsApiException(ErrorKind.NETWORK, 0, List.of(what), null, cause);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** 0 when no HTTP answer was received. */
  public int httpStatus() {
    return httpStatus;
  }

  public List<String> errors() {
    return errors;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  private static String describe(ErrorKind kind, int httpStatus, List<String> errors) {
    String detail =
        errors == null || errors.isEmpty() ? "no error details" : String.join("; ", errors);
    return httpStatus > 0
        ? "Atoms API answered HTTP " + httpStatus + ": " + detail
        : "Atoms API unreachable: " + detail;
  }
}
