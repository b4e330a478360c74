package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.Conditions.Reasons;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * What one reconcile found, before it is turned into status. Built by the reconciler, read by
 * {@link StatusCalculator}; the {@link Kind} decides which kstatus conditions are set.
 */
public record Outcome(
    Kind kind, String reason, String message, AgentVersion liveVersion, boolean activatedNow, Duration retryAfter) {

  public enum Kind {
    /** The desired version is live. Ready=True. */
    READY,
    /** A transient problem; retrying with backoff. Ready=False, Reconciling=True. */
    RETRYING,
    /** Needs a person: spec, credentials, unknown agent or version. Ready=False, Stalled=True. */
    STALLED,
    /** spec.suspend is true. Ready=False with reason Suspended; no API calls. */
    SUSPENDED
  }

  public static Outcome ready(AgentVersion live, boolean activatedNow) {
    return new Outcome(Kind.READY, null, null, live, activatedNow, null);
  }

  /** @param retryAfter the server's Retry-After, or null */
  public static Outcome retrying(String reason, String message, Duration retryAfter) {
    return new Outcome(Kind.RETRYING, reason, message, null, false, retryAfter);
  }

  public static Outcome stalled(String reason, String message) {
    return new Outcome(Kind.STALLED, reason, message, null, false, null);
  }

  public static Outcome suspended(String message) {
    return new Outcome(Kind.SUSPENDED, Reasons.SUSPENDED, message, null, false, null);
  }

  /** The same outcome with its message passed through {@code redactor} (e.g. API-key scrubbing). */
  public Outcome withMessage(UnaryOperator<String> redactor) {
    return new Outcome(kind, reason, redactor.apply(message), liveVersion, activatedNow, retryAfter);
  }
}
