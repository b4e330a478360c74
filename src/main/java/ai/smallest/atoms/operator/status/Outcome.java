package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * What one reconcile found, before it is turned into status. Built by the reconciler, read by
 * {@link StatusCalculator}; the {@link Reason}'s verdict decides which kstatus conditions are set.
 *
 * @param reason why the release is (not) Ready; for a Ready outcome, UpToDate or Activated
 * @param message a human message for the Ready condition (null for Ready outcomes: the calculator
 *     writes it)
 * @param liveVersion the version live on Atoms, when the reconcile learned it (else null)
 * @param activation the activation this reconcile made, or {@link Activation#NONE}
 * @param retryAfter the server's Retry-After for a transient failure; for a reason that waits for a
 *     known moment (requeue SCHEDULED), the time until then; else null
 * @param liveUnseen a transient failure struck before the operator could see what is live, so the
 *     previous verdict may still hold (see {@link StatusCalculator})
 * @param findings what the release policies learned on the way ({@link Findings#NONE} if nothing)
 */
public record Outcome(
    Reason reason,
    String message,
    AgentVersion liveVersion,
    Activation activation,
    Duration retryAfter,
    boolean liveUnseen,
    Findings findings) {

  public Outcome {
    findings = findings == null ? Findings.NONE : findings;
  }

  /** Whether, and why, this reconcile called activate successfully. */
  public enum Activation {
    NONE,
    /** First sync or a spec change. */
    DECLARED,
    /** The declared version had been live and someone changed it on Atoms. */
    DRIFT_CORRECTION
  }

  /** The desired version is live; {@code activation} says whether this reconcile made it so. */
  public static Outcome ready(AgentVersion live, Activation activation) {
    Reason reason = activation == Activation.NONE ? Reason.UpToDate : Reason.Activated;
    return new Outcome(reason, null, live, activation, null, false, Findings.NONE);
  }

  /** A transient failure, retried with backoff (the reason's verdict is RECONCILING). */
  public static Outcome retrying(
      Reason reason, String message, Duration retryAfter, boolean liveUnseen) {
    return new Outcome(
        reason, message, null, Activation.NONE, retryAfter, liveUnseen, Findings.NONE);
  }

  /**
   * Waiting for a known moment (e.g. the next activation window), {@code until} from now; {@code
   * live} is what the reconcile saw live (or null).
   */
  public static Outcome waiting(Reason reason, String message, AgentVersion live, Duration until) {
    return new Outcome(reason, message, live, Activation.NONE, until, false, Findings.NONE);
  }

  /** Not Ready for {@code reason}, with nothing learned about the live version. */
  public static Outcome notReady(Reason reason, String message) {
    return notReady(reason, message, null);
  }

  /** Not Ready for {@code reason}; {@code live} is what the reconcile saw live (or null). */
  public static Outcome notReady(Reason reason, String message, AgentVersion live) {
    return new Outcome(reason, message, live, Activation.NONE, null, false, Findings.NONE);
  }

  public Reason.Verdict verdict() {
    return reason.verdict();
  }

  public boolean activatedNow() {
    return activation != Activation.NONE;
  }

  /** The same outcome with its message passed through {@code redactor} (e.g. API-key scrubbing). */
  public Outcome withMessage(UnaryOperator<String> redactor) {
    return new Outcome(
        reason, redactor.apply(message), liveVersion, activation, retryAfter, liveUnseen, findings);
  }

  /** The same outcome with {@code findings} instead of its own. */
  public Outcome withFindings(Findings findings) {
    return new Outcome(reason, message, liveVersion, activation, retryAfter, liveUnseen, findings);
  }
}
