package ai.smallest.atoms.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A misbehaviour applied to a request of an endpoint (see {@link
 * AtomsSimulator#injectFault(Endpoint, Fault, int)}): after {@link #delay()}, answer with an error
 * {@link #status()}, with a {@link HostileAnswer}, or normally.
 *
 * <p>{@code status == 0} means "no status override": the request is answered normally after {@code
 * delay}, which is how a slow server that makes the client time out is modelled.
 */
public final class Fault {

  private final int status;
  private final Integer retryAfterSeconds;
  private final Duration delay;
  private final HostileAnswer hostile;
  private final Duration trickleEvery;

  public Fault(int status, Integer retryAfterSeconds, Duration delay) {
    this(status, retryAfterSeconds, delay, null, null);
  }

  private Fault(
      int status,
      Integer retryAfterSeconds,
      Duration delay,
      HostileAnswer hostile,
      Duration trickleEvery) {
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
    if (trickleEvery != null && (trickleEvery.isNegative() || trickleEvery.isZero())) {
      throw new IllegalArgumentException("the trickle interval must be positive");
    }
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.delay = delay;
    this.hostile = hostile;
    this.trickleEvery = trickleEvery;
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

  /** Answers with {@code kind} (see {@link HostileAnswer}). */
  public static Fault hostile(HostileAnswer kind) {
    return new Fault(0, null, Duration.ZERO, Objects.requireNonNull(kind, "kind"), null);
  }

  /** {@link HostileAnswer#TRICKLE} at one byte per {@code every}. */
  public static Fault trickle(Duration every) {
    return new Fault(
        0, null, Duration.ZERO, HostileAnswer.TRICKLE, Objects.requireNonNull(every, "every"));
  }

  /** 0 when the status is not overridden. */
  public int status() {
    return status;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Duration delay() {
    return delay;
  }

  public Optional<HostileAnswer> hostile() {
    return Optional.ofNullable(hostile);
  }

  /** How often a trickling answer sends a byte (default 1 s). */
  public Duration trickleEvery() {
    return trickleEvery == null ? Duration.ofSeconds(1) : trickleEvery;
  }

  boolean overridesStatus() {
    return status != 0;
  }

  @Override
  public String toString() {
    if (hostile != null) {
      return "Fault[" + hostile + "]";
    }
    return "Fault[status="
        + status
        + ", retryAfterSeconds="
        + retryAfterSeconds
        + ", delay="
        + delay
        + "]";
  }
}
