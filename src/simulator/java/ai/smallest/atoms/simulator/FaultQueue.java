package ai.smallest.atoms.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Per-endpoint FIFO of pending faults; each request consumes at most one. */
final class FaultQueue {

  private final Map<Endpoint, Queue<Fault>> pending = new EnumMap<>(Endpoint.class);

  FaultQueue() {
    for (Endpoint endpoint : Endpoint.values()) {
      pending.put(endpoint, new ConcurrentLinkedQueue<>());
    }
  }

  void add(Endpoint endpoint, Fault fault, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must be >= 0");
    }
    for (int i = 0; i < times; i++) {
      pending.get(endpoint).add(fault);
    }
  }

  Optional<Fault> next(Endpoint endpoint) {
    return Optional.ofNullable(pending.get(endpoint).poll());
  }
}
