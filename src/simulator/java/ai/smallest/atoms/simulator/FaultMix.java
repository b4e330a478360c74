package ai.smallest.atoms.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A seeded random mix of misbehaviour, drawn independently for every request that has no queued
 * {@link Fault}: e.g. 10% 500/503, 5% 429 with Retry-After, 2% timeouts or connection resets, and
 * latency spikes. Probabilities are per request; their sum must not exceed 1.
 *
 * <pre>{@code
 * simulator.setFaultMix(FaultMix.seeded(42)
 *     .probability(FaultKind.HTTP_500, 0.05).probability(FaultKind.HTTP_503, 0.05)
 *     .probability(FaultKind.HTTP_429, 0.05).retryAfterSeconds(1)
 *     .probability(FaultKind.TIMEOUT, 0.01).timeoutDelay(Duration.ofSeconds(3))
 *     .probability(FaultKind.CONNECTION_RESET, 0.01)
 *     .probability(FaultKind.LATENCY_SPIKE, 0.05).spikeDelay(Duration.ofMillis(500)));
 * }</pre>
 */
public final class FaultMix {

  private final long seed;
  private final Map<FaultKind, Double> probabilities = new EnumMap<>(FaultKind.class);
  private final Set<Endpoint> endpoints = EnumSet.allOf(Endpoint.class);
  private int retryAfterSeconds = 1;
  private Duration timeoutDelay = Duration.ofSeconds(20);
  private Duration spikeDelay = Duration.ofMillis(500);

  private FaultMix(long seed) {
    this.seed = seed;
  }

  /** An empty mix (no faults) whose draws come from {@code new Random(seed)}. */
  public static FaultMix seeded(long seed) {
    return new FaultMix(seed);
  }

  public FaultMix probability(FaultKind kind, double p) {
    Objects.requireNonNull(kind, "kind");
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be within [0, 1], was " + p);
    }
    probabilities.put(kind, p);
    if (total() > 1 + 1e-9) {
      probabilities.remove(kind);
      throw new IllegalArgumentException("probabilities add up to more than 1");
    }
    return this;
  }

  /** Value of the Retry-After header of {@link FaultKind#HTTP_429} answers (default 1 s). */
  public FaultMix retryAfterSeconds(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
    this.retryAfterSeconds = seconds;
    return this;
  }

  /**
   * How long a {@link FaultKind#TIMEOUT} holds the request (default 20 s): make it exceed the
   * client's read timeout.
   */
  public FaultMix timeoutDelay(Duration delay) {
    this.timeoutDelay = nonNegative(delay);
    return this;
  }

  /** Extra delay of a {@link FaultKind#LATENCY_SPIKE} (default 500 ms). */
  public FaultMix spikeDelay(Duration delay) {
    this.spikeDelay = nonNegative(delay);
    return this;
  }

  /** Restricts the mix to these endpoints (default: both). */
  public FaultMix onlyOn(Endpoint first, Endpoint... more) {
    endpoints.clear();
    endpoints.add(first);
    endpoints.addAll(Set.of(more));
    return this;
  }

  public long seed() {
    return seed;
  }

  public double probability(FaultKind kind) {
    return probabilities.getOrDefault(kind, 0.0);
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Duration timeoutDelay() {
    return timeoutDelay;
  }

  public Duration spikeDelay() {
    return spikeDelay;
  }

  boolean appliesTo(Endpoint endpoint) {
    return endpoints.contains(endpoint);
  }

  /** Maps a uniform draw in [0, 1) onto a fault kind, or null for "no fault". */
  FaultKind pick(double draw) {
    double cumulative = 0;
    for (FaultKind kind : FaultKind.values()) {
      cumulative += probability(kind);
      if (draw < cumulative) {
        return kind;
      }
    }
    return null;
  }

  private double total() {
    return probabilities.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static Duration nonNegative(Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("delay must be a non-negative duration");
    }
    return d;
  }

  @Override
  public String toString() {
    return "FaultMix{seed="
        + seed
        + ", probabilities="
        + probabilities
        + ", endpoints="
        + endpoints
        + ", retryAfterSeconds="
        + retryAfterSeconds
        + ", timeoutDelay="
        + timeoutDelay
        + ", spikeDelay="
        + spikeDelay
        + "}";
  }
}
