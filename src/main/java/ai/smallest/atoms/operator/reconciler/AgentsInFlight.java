package ai.smallest.atoms.operator.reconciler;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one in-flight Atoms sync per agent. JOSDK already serialises reconciles of one
 * AgentRelease; this also covers two releases of the same agent in the instant before the conflict
 * rule sees both. The second one never waits on a thread: it looks again shortly. An agent is
 * remembered only while its sync runs, so nothing here grows with the agents ever seen.
 */
final class AgentsInFlight {

  /**
   * How soon a release whose agent is busy looks again (the conflict rule usually decides then).
   */
  static final Duration AGENT_BUSY = Duration.ofSeconds(1);

  private final Set<String> syncing = ConcurrentHashMap.newKeySet();

  /** Marks {@code agentId} as syncing until the returned handle is closed. */
  Entered enter(String agentId) {
    if (!syncing.add(agentId)) {
      throw new LookAgainLater("another sync of agent " + agentId + " is in flight", AGENT_BUSY);
    }
    return () -> syncing.remove(agentId);
  }

  int inFlight() {
    return syncing.size();
  }

  /** An agent's sync; closing it lets the next one start. */
  interface Entered extends AutoCloseable {
    @Override
    void close();
  }
}
