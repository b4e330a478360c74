package ai.smallest.atoms.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Draws from the active {@link FaultMix} and counts what it injected. Thread-safe. */
final class RandomFaults {

  private final Map<FaultKind, AtomicInteger> injected = new EnumMap<>(FaultKind.class);
  private volatile FaultMix mix;
  private Random random;

  RandomFaults() {
    for (FaultKind kind : FaultKind.values()) {
      injected.put(kind, new AtomicInteger());
    }
  }

  synchronized void set(FaultMix mix) {
    this.mix = mix;
    this.random = mix == null ? null : new Random(mix.seed());
  }

  /** The fault for this request, if the mix picks one; counted as injected. */
  FaultKind draw(Endpoint endpoint) {
    FaultMix current = mix;
    if (current == null || !current.appliesTo(endpoint)) {
      return null;
    }
    double value;
    synchronized (this) {
      if (random == null) {
        return null;
      }
      value = random.nextDouble();
    }
    FaultKind kind = current.pick(value);
    if (kind != null) {
      injected.get(kind).incrementAndGet();
    }
    return kind;
  }

  FaultMix mix() {
    return mix;
  }

  Map<FaultKind, Integer> injected() {
    Map<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
    injected.forEach((kind, count) -> copy.put(kind, count.get()));
    return copy;
  }

  void reset() {
    injected.values().forEach(count -> count.set(0));
  }
}
