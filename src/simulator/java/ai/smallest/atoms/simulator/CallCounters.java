package ai.smallest.atoms.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests that reached an endpoint, whatever they were answered with. */
final class CallCounters {

  private final Map<Endpoint, AtomicInteger> perEndpoint = new EnumMap<>(Endpoint.class);
  private final Map<Endpoint, Map<String, AtomicInteger>> perAgent = new EnumMap<>(Endpoint.class);

  CallCounters() {
    for (Endpoint endpoint : Endpoint.values()) {
      perEndpoint.put(endpoint, new AtomicInteger());
      perAgent.put(endpoint, new ConcurrentHashMap<>());
    }
  }

  void record(Endpoint endpoint, String agentId) {
    perEndpoint.get(endpoint).incrementAndGet();
    perAgent.get(endpoint).computeIfAbsent(agentId, id -> new AtomicInteger()).incrementAndGet();
  }

  int count(Endpoint endpoint) {
    return perEndpoint.get(endpoint).get();
  }

  int count(Endpoint endpoint, String agentId) {
    AtomicInteger counter = perAgent.get(endpoint).get(agentId);
    return counter == null ? 0 : counter.get();
  }

  int total() {
    return perEndpoint.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void reset() {
    perEndpoint.values().forEach(counter -> counter.set(0));
    perAgent.values().forEach(Map::clear);
  }
}
