package ai.smallest.atoms.simulator;

/** Where a request landed: one of the two endpoints, or nowhere (with the reason). */
sealed interface Route {

  record Matched(Endpoint endpoint, String agentId, String versionId) implements Route {}

  record Unmatched(int status, String message, String allow) implements Route {}
}
