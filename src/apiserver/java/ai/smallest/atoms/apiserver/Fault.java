package ai.smallest.atoms.apiserver;

import java.time.Duration;

/**
 * A fault rule: which requests it applies to, what it does to them (delay them, answer them with an
 * error instead of serving them, or both), and how often.
 *
 * <pre>{@code
 * // 409 Conflict for 10% of the operator's status writes, seeded
 * Fault.respond(409).on(RequestFilter.any().client("atoms-operator").verbs("patch", "update")
 *     .resource("agentreleases").subresource("status")).ratio(0.1, 6)
 * // the next 3 lists of Secrets fail with 500
 * Fault.respond(500).on(RequestFilter.any().verbs("list").resource("secrets")).times(3)
 * // every get or list waits 300 ms
 * Fault.delay(Duration.ofMillis(300)).on(RequestFilter.any().verbs("get", "list"))
 * }</pre>
 *
 * @param match the requests it applies to
 * @param status the HTTP status to answer with (409, 429, 5xx, ...), or 0 to serve the request
 * @param retryAfterSeconds for 429 and 503: the {@code Retry-After} the answer carries (0: none)
 * @param latency how long to hold a matching request before handling it (zero: none)
 * @param times how many requests it applies to at most (-1: no limit)
 * @param ratio the probability it applies to a matching request (1: always)
 * @param seed the seed of the random draws when {@code ratio < 1}
 */
public record Fault(
    RequestFilter match,
    int status,
    int retryAfterSeconds,
    Duration latency,
    int times,
    double ratio,
    long seed) {

  public Fault {
    if (match == null) {
      match = RequestFilter.any();
    }
    if (latency == null) {
      latency = Duration.ZERO;
    }
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status must be 4xx or 5xx, not " + status);
    }
    if (ratio < 0 || ratio > 1) {
      throw new IllegalArgumentException("ratio must be within [0, 1], not " + ratio);
    }
    if (status == 0 && latency.isZero()) {
      throw new IllegalArgumentException("a fault needs a status, a latency or both");
    }
  }

  /** Answers every request with {@code status}. */
  public static Fault respond(int status) {
    return new Fault(RequestFilter.any(), status, 0, Duration.ZERO, -1, 1, 0);
  }

  /** Holds every request for {@code latency}, then serves it. */
  public static Fault delay(Duration latency) {
    return new Fault(RequestFilter.any(), 0, 0, latency, -1, 1, 0);
  }

  public Fault on(RequestFilter match) {
    return new Fault(match, status, retryAfterSeconds, latency, times, ratio, seed);
  }

  public Fault retryAfter(int seconds) {
    return new Fault(match, status, seconds, latency, times, ratio, seed);
  }

  public Fault withLatency(Duration latency) {
    return new Fault(match, status, retryAfterSeconds, latency, times, ratio, seed);
  }

  /** Applies to the next {@code times} matching requests only. */
  public Fault times(int times) {
    return new Fault(match, status, retryAfterSeconds, latency, times, ratio, seed);
  }

  /** Applies to each matching request with probability {@code ratio}, drawn from {@code seed}. */
  public Fault ratio(double ratio, long seed) {
    return new Fault(match, status, retryAfterSeconds, latency, times, ratio, seed);
  }
}
