package ai.smallest.atoms.simulator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-endpoint FIFO of pending faults, each for any agent or for one; each request consumes at most
 * one. A fault added {@link #FOREVER} is never used up (until {@link #clear}).
 */
final class FaultQueue {

  static final int FOREVER = -1;

  private static final class Entry {
    final String agentId;
    final Fault fault;
    int remaining;

    Entry(String agentId, Fault fault, int remaining) {
      this.agentId = agentId;
      this.fault = fault;
      this.remaining = remaining;
    }

    boolean matches(String agent) {
      return agentId == null || agentId.equals(agent);
    }
  }

  private final Map<Endpoint, List<Entry>> pending = new EnumMap<>(Endpoint.class);

  FaultQueue() {
    for (Endpoint endpoint : Endpoint.values()) {
      pending.put(endpoint, new ArrayList<>());
    }
  }

  /** For any agent. */
  void add(Endpoint endpoint, Fault fault, int times) {
    add(endpoint, null, fault, times);
  }

  /**
   * @param agentId null for any agent
   * @param times how many requests it applies to, or {@link #FOREVER}
   */
  synchronized void add(Endpoint endpoint, String agentId, Fault fault, int times) {
    if (times < 0 && times != FOREVER) {
      throw new IllegalArgumentException("times must be >= 0");
    }
    if (times != 0) {
      pending.get(endpoint).add(new Entry(agentId, Objects.requireNonNull(fault), times));
    }
  }

  synchronized Optional<Fault> next(Endpoint endpoint, String agentId) {
    Iterator<Entry> entries = pending.get(endpoint).iterator();
    while (entries.hasNext()) {
      Entry entry = entries.next();
      if (entry.matches(agentId)) {
        if (entry.remaining != FOREVER && --entry.remaining == 0) {
          entries.remove();
        }
        return Optional.of(entry.fault);
      }
    }
    return Optional.empty();
  }

  /** Removes the faults for {@code agentId} (null: every fault, for any agent or one). */
  synchronized void clear(String agentId) {
    for (List<Entry> entries : pending.values()) {
      entries.removeIf(e -> agentId == null || agentId.equals(e.agentId));
    }
  }
}
