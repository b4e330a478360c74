package ai.smallest.atoms.simulator;

import java.time.Instant;

/**
 * One activation attempt that reached the version store, through the API or the console, as {@link
 * AtomsSimulator#activationLog()} keeps it (seeding with {@code activeVersion} is not logged).
 *
 * @param versionNumber null when the version does not exist or has no number (a draft)
 * @param changedLiveVersion true only when this attempt switched the live version (outcome
 *     ACTIVATED)
 */
public record SimActivation(
    Instant at,
    String agentId,
    String versionId,
    Integer versionNumber,
    String userId,
    Outcome outcome,
    boolean viaConsole) {

  public enum Outcome {
    ACTIVATED,
    ALREADY_ACTIVE,
    NOT_FOUND,
    NOT_PUBLISHED
  }

  public boolean changedLiveVersion() {
    return outcome == Outcome.ACTIVATED;
  }
}
