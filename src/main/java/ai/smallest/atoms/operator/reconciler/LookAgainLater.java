package ai.smallest.atoms.operator.reconciler;

import java.time.Duration;

/**
 * The reconcile cannot go on now for a reason that is no news about the release (another writer
 * changed it first, its Atoms account or agent is busy): the reconciler looks again after {@link
 * #after()}, writing no status and recording no Event. No stack trace: it is routine.
 */
public class LookAgainLater extends RuntimeException {

  private final transient Duration after;

  LookAgainLater(String message, Duration after) {
    super(message, null, false, false);
    this.after = after;
  }

  public Duration after() {
    return after;
  }
}
