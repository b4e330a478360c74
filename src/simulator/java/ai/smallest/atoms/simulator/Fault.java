package ai.smallest.atoms.simulator;

import java.time.Duration;

/**
 * A one-shot misbehaviour applied to the next request of an endpoint.
 *
 * <p>{@code status == 0} means "no status override": the request is answered normally after {@code
 * delay}, which is how a slow server that makes the client time out is modelled.
 */
public record Fault(int status, Integer retryAfterSeconds, Duration delay) {

  public Fault {
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException(
          "fault status must be 0 (none) or 400..599, was " + status);
    }
    if (retryAfterSeconds != null && retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
    delay = delay == null ? Duration.ZERO : delay;
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
  }

  /** Answers with {@code status} and the error envelope, e.g. 500 or 503. */
  public static Fault status(int status) {
    if (status < 400) {
      throw new IllegalArgumentException("a status fault needs an error status, was " + status);
    }
    return new Fault(status, null, Duration.ZERO);
  }

  /** Answers 429 with a {@code Retry-After} header. */
  public static Fault tooManyRequests(int retryAfterSeconds) {
    return new Fault(429, retryAfterSeconds, Duration.ZERO);
  }

  /** Sleeps {@code delay}, then answers normally, so a client with a shorter timeout gives up. */
  public static Fault timeout(Duration delay) {
    return new Fault(0, null, delay);
  }

  boolean overridesStatus() {
    return status != 0;
  }
}
