package ai.smallest.atoms.simulator;

import java.time.Instant;

/**
 * One request that reached an endpoint, as {@link AtomsSimulator#requestLog()} keeps it.
 *
 * @param at wall-clock time the request arrived
 * @param nanoTime {@link System#nanoTime()} when it arrived, for rates and gaps
 * @param versionId the version of an activate call, null for a list call
 * @param skip the {@code skip} query parameter of a list call (-1 when absent or not a list)
 * @param status HTTP status answered, 0 when the connection was dropped without an answer
 * @param fault the random fault applied, or null
 * @param hostile the hostile answer given (a queued {@link Fault#hostile}), or null
 */
public record RequestRecord(
    Instant at,
    long nanoTime,
    Endpoint endpoint,
    String agentId,
    String versionId,
    long skip,
    int status,
    FaultKind fault,
    HostileAnswer hostile) {}
