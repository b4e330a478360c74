package ai.smallest.atoms.simulator;

import java.time.Instant;

/** Builds {@link SimActivation} records from the store's verdict. */
final class SimActivationLog {

  private SimActivationLog() {}

  static SimActivation of(
      Instant at,
      String agentId,
      String versionId,
      String userId,
      VersionStore.Activation activation,
      boolean viaConsole) {
    SimActivation.Outcome outcome =
        switch (activation.outcome()) {
          case ACTIVATED -> SimActivation.Outcome.ACTIVATED;
          case ALREADY_ACTIVE -> SimActivation.Outcome.ALREADY_ACTIVE;
          case NOT_FOUND -> SimActivation.Outcome.NOT_FOUND;
          case NOT_PUBLISHED -> SimActivation.Outcome.NOT_PUBLISHED;
        };
    Integer number = activation.version() == null ? null : activation.version().versionNumber();
    return new SimActivation(at, agentId, versionId, number, userId, outcome, viaConsole);
  }
}
