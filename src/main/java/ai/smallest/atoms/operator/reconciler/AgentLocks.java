package ai.smallest.atoms.operator.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * At most one in-flight Atoms sync per agent. JOSDK already serialises reconciles of one
 * AgentRelease; this also covers two releases of the same agent in the instant before the conflict
 * rule sees both.
 */
final class AgentLocks {

  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  <T> T withLock(String agentId, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(agentId, id -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
