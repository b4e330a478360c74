package ai.smallest.atoms.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delays for the requests about one agent: a latency of its own (a slow tenant next to fast ones),
 * and holds that keep its requests waiting until the test lets them go, so a test can say "while
 * these requests are in flight" without guessing at timing.
 */
final class AgentDelays {

  private final Map<String, Duration> latency = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();

  void setLatency(String agentId, Duration delay) {
    if (delay.isZero()) {
      latency.remove(agentId);
    } else {
      latency.put(agentId, delay);
    }
  }

  Duration latency(String agentId) {
    return agentId == null ? Duration.ZERO : latency.getOrDefault(agentId, Duration.ZERO);
  }

  void hold(String agentId) {
    holds.putIfAbsent(agentId, new CountDownLatch(1));
  }

  void letGo(String agentId) {
    CountDownLatch latch = holds.remove(agentId);
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Waits while the agent is held; interrupted when the simulator closes. */
  void awaitLetGo(String agentId) throws InterruptedException {
    CountDownLatch latch = agentId == null ? null : holds.get(agentId);
    if (latch == null) {
      return;
    }
    AtomicInteger count = held.computeIfAbsent(agentId, id -> new AtomicInteger());
    count.incrementAndGet();
    try {
      latch.await();
    } finally {
      count.decrementAndGet();
    }
  }

  int held(String agentId) {
    AtomicInteger count = held.get(agentId);
    return count == null ? 0 : count.get();
  }
}
