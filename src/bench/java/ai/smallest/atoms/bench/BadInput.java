package ai.smallest.atoms.bench;

import java.util.Map;

/**
 * One malformed manifest or edge case for the chaos suite.
 *
 * @param name short identifier, also the AgentRelease name
 * @param agentId the agent its calls are counted against (null when the spec has none)
 * @param spec the raw spec, as a manifest would carry it (any shape: it is planted with the API
 *     server's admission off)
 * @param expectedReason the Ready reason it must end with ({@code Activated} or {@code UpToDate}
 *     for edge cases that must work)
 * @param maxAtomsCalls Atoms calls it may cost without faults or restarts (each retry or restart
 *     may add the same again)
 */
public record BadInput(
    String name,
    String agentId,
    Map<String, Object> spec,
    String expectedReason,
    int maxAtomsCalls) {

  boolean expectsReady() {
    return "Activated".equals(expectedReason) || "UpToDate".equals(expectedReason);
  }

  boolean accepts(String reason) {
    if (expectsReady()) {
      return "Activated".equals(reason) || "UpToDate".equals(reason);
    }
    return expectedReason.equals(reason);
  }
}
