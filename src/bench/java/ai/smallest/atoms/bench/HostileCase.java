package ai.smallest.atoms.bench;

import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.HostileAnswer;
import java.util.Map;

/**
 * One case of the chaos suite's hostile section ({@link HostileCases}): a poison object planted
 * with the API server's admission off, or a valid release whose agent's Atoms API answers with a
 * {@link HostileAnswer} on one endpoint, for good.
 *
 * @param name the AgentRelease name (in {@link HostileCases#NAMESPACE})
 * @param group what is hostile: the stored spec, the stored status or metadata, or the API's
 *     answers
 * @param description a short human description for the report
 * @param agentId the agent its Atoms calls are counted against (null when the spec names none)
 * @param spec the stored spec, any JSON shape (a map, a list, a string...); null: no spec at all
 * @param status a status to plant through the status subresource (any JSON shape), or null
 * @param annotations annotations to plant, or an empty map
 * @param answer the hostile answer the agent's API gives ({@link #group} ANSWER only)
 * @param endpoint the endpoint that gives it
 * @param desiredVersionNumber the published version the spec declares, when the case activates one
 *     (for the list of versions the operator may legitimately activate), else null
 * @param expectedReason the Ready reason it must end with; {@link #READY} for Activated or UpToDate
 *     (exactly {@code Activated} where only an activation attributed to the operator's intent fits)
 * @param seenOnTheWay a Ready reason that must have been written at some point before, or null
 * @param mustMention text the final Ready message must contain (the field a poison object breaks),
 *     or null
 * @param budget how its Atoms calls and Kubernetes writes are bounded
 * @param callsPerAttempt the Atoms calls one look costs without faults (list pages plus activate)
 * @param wave 1: planted before the operator starts (its initial list reads it); 2: planted while
 *     the operator runs, after the last restart (its watch delivers it)
 */
record HostileCase(
    String name,
    Group group,
    String description,
    String agentId,
    Object spec,
    Object status,
    Map<String, String> annotations,
    HostileAnswer answer,
    Endpoint endpoint,
    Integer desiredVersionNumber,
    String expectedReason,
    String seenOnTheWay,
    String mustMention,
    Budget budget,
    int callsPerAttempt,
    int wave) {

  /** Expected reason of cases that must simply work: Activated or UpToDate. */
  static final String READY = "Ready";

  enum Group {
    /** The stored spec: wrong types, out-of-range numbers, IDs that are paths, huge strings... */
    OBJECT,
    /** The stored status or metadata: unreadable status, a huge reconcile-request annotation. */
    STATUS,
    /** The agent's Atoms API answers with a hostile answer on one endpoint, for good. */
    ANSWER
  }

  /** How a case's Atoms calls and Kubernetes writes are bounded. */
  enum Budget {
    /** No Atoms call at all; looked at once per operator start or disturbance. */
    NO_CALLS,
    /** Needs a person: one look per disturbance (the error-retry interval is longer than a run). */
    STALLED,
    /**
     * Transient: retried with backoff, at most one look per half backoff maximum once the backoff
     * has ramped up, and at least one a minute (a server's Retry-After never parks it).
     */
    RETRYING,
    /** Works: one look per resync interval once Ready. */
    READY
  }

  /** Ends Ready: Activated or UpToDate ({@link #READY}), or exactly Activated. */
  boolean expectsReady() {
    return READY.equals(expectedReason) || "Activated".equals(expectedReason);
  }

  boolean accepts(String reason) {
    if (READY.equals(expectedReason)) {
      return "Activated".equals(reason) || "UpToDate".equals(reason);
    }
    return expectedReason.equals(reason);
  }

  /** Where the hostility is, for the report: the endpoint and answer, or the stored object. */
  String where() {
    return answer == null
        ? (group == Group.OBJECT ? "stored spec" : "stored status/metadata")
        : (endpoint == Endpoint.LIST_VERSIONS ? "list" : "activate") + ": " + answer.name();
  }
}
