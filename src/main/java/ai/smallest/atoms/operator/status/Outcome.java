package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.Conditions.Reasons;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * What one reconcile found, before it is turned into status. Built by the reconciler, read by
 * {@link StatusCalculator}; the {@link Kind} decides which kstatus conditions are set.
 *
 * @param liveVersion the version live on Atoms, when the reconcile learned it (else null)
 * @param activation the activation this reconcile made, or {@link Activation#NONE}
 * @param retryAfter the server's Retry-After for a transient failure, or null
 * @param liveUnseen a transient failure struck before the operator could see what is live, so the
 *     previous verdict may still hold (see {@link StatusCalculator})
 */
public record Outcome(
    Kind kind,
    String reason,
    String message,
    AgentVersion liveVersion,
    Activation activation,
    Duration retryAfter,
    boolean liveUnseen) {

  public enum Kind {
    /** The desired version is live. Ready=True. */
    READY,
    /** A transient problem; retrying with backoff. Ready=False, Reconciling=True. */
    RETRYING,
    /**
     * Needs a person: spec, credentials, conflict, unknown agent or version. Ready=False,
     * Stalled=True.
     */
    STALLED,
    /**
     * The declared version is not live and policy says not to act (Observe, drift Report).
     * Ready=False.
     */
    OUT_OF_SYNC,
    /** spec.suspend is true. Ready=False with reason Suspended; no API calls. */
    SUSPENDED
  }

  /** Whether, and why, this reconcile called activate successfully. */
  public enum Activation {
    NONE,
    /** First sync or a spec change. */
    DECLARED,
    /** The declared version had been live and someone changed it on Atoms. */
    DRIFT_CORRECTION
  }

  public static Outcome ready(AgentVersion live, Activation activation) {
    return new Outcome(Kind.READY, null, null, live, activation, null, false);
  }

  public static Outcome retrying(String reason, String message, Duration retryAfter) {
    return retrying(reason, message, retryAfter, false);
  }

  /**
   * @param liveUnseen the failure came before anything about the live version was learned
   */
  public static Outcome retrying(
      String reason, String message, Duration retryAfter, boolean liveUnseen) {
    return new Outcome(
        Kind.RETRYING, reason, message, null, Activation.NONE, retryAfter, liveUnseen);
  }

  public static Outcome stalled(String reason, String message) {
    return new Outcome(Kind.STALLED, reason, message, null, Activation.NONE, null, false);
  }

  public static Outcome outOfSync(String reason, String message, AgentVersion live) {
    return new Outcome(Kind.OUT_OF_SYNC, reason, message, live, Activation.NONE, null, false);
  }

  public static Outcome suspended(String message) {
    return new Outcome(
        Kind.SUSPENDED, Reasons.SUSPENDED, message, null, Activation.NONE, null, false);
  }

  public boolean activatedNow() {
    return activation != Activation.NONE;
  }

  /** The same outcome with its message passed through {@code redactor} (e.g. API-key scrubbing). */
  public Outcome withMessage(UnaryOperator<String> redactor) {
    return new Outcome(
        kind, reason, redactor.apply(message), liveVersion, activation, retryAfter, liveUnseen);
  }
}
