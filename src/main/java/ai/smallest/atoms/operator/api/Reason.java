package ai.smallest.atoms.operator.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every reason the operator writes into the Ready condition or onto an Event, each with all that it
 * means: which kstatus conditions it sets, the Event type it is reported with, what brings the
 * release back for another look, and whether a new or rotated API key may fix it. The constant's
 * name is the CamelCase reason on the wire, so {@code kubectl get agr} and this file read alike.
 * Documented for users in docs/reference.md, mapped for Argo CD (deploy/argocd) and Flux
 * (deploy/flux).
 */
public enum Reason {

  // ---- Ready=True ------------------------------------------------------------------------------
  /** The desired version is live and this operator activated it. */
  Activated(Verdict.READY, Requeue.RESYNC),
  /** The desired version was already live; nothing to do. */
  UpToDate(Verdict.READY, Requeue.RESYNC),

  // ---- Ready=False, Reconciling=True: transient, retried with backoff ---------------------------
  /** Atoms answered 5xx, timed out or could not be reached. */
  ApiUnavailable(Verdict.RECONCILING, Requeue.BACKOFF),
  /** Atoms answered 429 for this account. */
  RateLimited(Verdict.RECONCILING, Requeue.BACKOFF),
  /**
   * Atoms answered 2xx with something the operator cannot believe: not JSON, the wrong shape, too
   * large, a listing that contradicts itself, an activation naming another version.
   */
  MalformedResponse(Verdict.RECONCILING, Requeue.BACKOFF),
  /** An unexpected failure inside the operator (e.g. the Kubernetes API refused a read). */
  ReconcileError(Verdict.RECONCILING, Requeue.BACKOFF),
  /**
   * spec.activationWindows are all closed: the pending activation waits for the next window (the
   * message names its start), when the operator looks again without being asked.
   */
  OutsideActivationWindow(Verdict.RECONCILING, Requeue.SCHEDULED, EventType.NORMAL),

  // ---- Ready=False, Stalled=True: needs a person ------------------------------------------------
  /** The spec breaks a rule of the CRD (possible where the API server did not enforce it). */
  InvalidSpec(Verdict.STALLED, Requeue.ON_SPEC_CHANGE),
  /** The API key Secret, or its key, is missing or empty. */
  SecretNotFound(Verdict.STALLED, Requeue.ERROR_RETRY, true),
  /** Atoms rejected the API key (401). */
  Unauthorized(Verdict.STALLED, Requeue.ERROR_RETRY, true),
  /** The API key may not manage this agent (403). */
  Forbidden(Verdict.STALLED, Requeue.ERROR_RETRY, true),
  /** Atoms does not know spec.agentId (404 on the list). */
  AgentNotFound(Verdict.STALLED, Requeue.ERROR_RETRY),
  /** The desired version is not among the agent's published versions. */
  VersionNotFound(Verdict.STALLED, Requeue.ERROR_RETRY),
  /** Atoms refused to activate the version because it is not published (400 saying so). */
  VersionNotPublished(Verdict.STALLED, Requeue.ERROR_RETRY),
  /** Atoms refused the request as invalid (another 4xx). */
  BadRequest(Verdict.STALLED, Requeue.ERROR_RETRY),
  /**
   * The namespace's atoms.smallest.ai/allowed-agents annotation does not list this agent, or the
   * namespace policy could not be read.
   */
  AgentNotAllowed(Verdict.STALLED, Requeue.ERROR_RETRY),
  /** Another AgentRelease that can act, created earlier, manages the same agent. */
  Conflict(Verdict.STALLED, Requeue.CONFLICT_RECHECK),
  /**
   * Something keeps activating another version: more drift corrections within spec.driftGuard's
   * window than it allows. The operator stops enforcing (it keeps observing at the resync interval)
   * until a spec change or a reconcile request.
   */
  DriftLoop(Verdict.STALLED, Requeue.RESYNC),
  /**
   * No published version matches spec.versionSelector (none pinned, none with the label, none at or
   * above minVersionNumber): nothing is activated; looked at again at the resync interval.
   */
  NoVersionSelected(Verdict.STALLED, Requeue.RESYNC),

  // ---- Ready=False only: policy says not to act -------------------------------------------------
  /** spec.suspend is true: no Atoms calls. */
  Suspended(Verdict.NOT_READY, Requeue.ON_SPEC_CHANGE, EventType.NORMAL),
  /** driftPolicy Report: the live version differs from the declared one; not corrected. */
  DriftDetected(Verdict.NOT_READY, Requeue.RESYNC),
  /** managementPolicy Observe: the declared version is not live; Manage would activate it. */
  ObserveOnly(Verdict.NOT_READY, Requeue.RESYNC, EventType.NORMAL),

  // ---- Events only
  // --------------------------------------------------------------------------------
  /** The declared version was restored after a change made outside the operator. */
  DriftCorrected(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.NORMAL),
  /** spec.versionSelector resolved to another version than before (a publish, pin or label). */
  VersionSelected(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.NORMAL),
  /** deletionPolicy Restore: the previous version is live again; the release goes away. */
  Restored(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.NORMAL),
  /**
   * deletionPolicy Restore, but there was nothing to restore (no previous version recorded,
   * suspended, Observe, another release takes over the agent); the release goes away.
   */
  RestoreNotNeeded(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.NORMAL),
  /** The atoms.smallest.ai/skip-restore annotation let the release go unrestored. */
  RestoreSkipped(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.WARNING),
  /**
   * The restore was given up (no longer published, attempts exhausted, no activation window opens
   * again); the release goes away and the live version stays as it is.
   */
  RestoreFailed(Verdict.EVENT_ONLY, Requeue.RESYNC, EventType.WARNING);

  /** Which kstatus conditions a reason sets. */
  public enum Verdict {
    /** Ready=True. */
    READY,
    /** Ready=False and Reconciling=True: work is under way or will be retried soon. */
    RECONCILING,
    /** Ready=False and Stalled=True: progress needs a person. */
    STALLED,
    /**
     * Ready=False only: the operator deliberately does not act (suspend, Observe, drift Report).
     */
    NOT_READY,
    /** Never in a condition: the reason of an Event. */
    EVENT_ONLY
  }

  /** What brings a release with this reason back for another look. */
  public enum Requeue {
    /** The release's resync interval (spec.interval or atoms.resync-interval). */
    RESYNC,
    /** Exponential backoff with jitter (atoms.backoff.*), honouring Retry-After. */
    BACKOFF,
    /** The long interval for errors a person must fix (atoms.error-retry-interval). */
    ERROR_RETRY,
    /** A local cache check soon (atoms.conflict-recheck-interval): it costs no Atoms call. */
    CONFLICT_RECHECK,
    /** Nothing but a spec edit (or a reconcile request) can change the result. */
    ON_SPEC_CHANGE,
    /**
     * At the moment the outcome names ({@code Outcome.retryAfter}, e.g. the next activation
     * window), or at the resync interval when that comes first, to keep reporting what is live.
     */
    SCHEDULED
  }

  /** The Kubernetes Event type a reason is reported with. */
  public enum EventType {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String value;

    EventType(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  private final Verdict verdict;
  private final Requeue requeue;
  private final EventType eventType;
  private final boolean credentialProblem;

  Reason(Verdict verdict, Requeue requeue) {
    this(verdict, requeue, verdict == Verdict.READY ? EventType.NORMAL : EventType.WARNING, false);
  }

  Reason(Verdict verdict, Requeue requeue, EventType eventType) {
    this(verdict, requeue, eventType, false);
  }

  Reason(Verdict verdict, Requeue requeue, boolean credentialProblem) {
    this(verdict, requeue, EventType.WARNING, credentialProblem);
  }

  Reason(Verdict verdict, Requeue requeue, EventType eventType, boolean credentialProblem) {
    this.verdict = verdict;
    this.requeue = requeue;
    this.eventType = eventType;
    this.credentialProblem = credentialProblem;
  }

  public Verdict verdict() {
    return verdict;
  }

  public Requeue requeue() {
    return requeue;
  }

  public EventType eventType() {
    return eventType;
  }

  /**
   * A new or rotated API key Secret may fix it: a Secret event reconciles such releases at once.
   */
  public boolean isCredentialProblem() {
    return credentialProblem;
  }

  public boolean isReady() {
    return verdict == Verdict.READY;
  }

  /** The reason as written into conditions and Events. */
  public String value() {
    return name();
  }

  /** The reason a condition or Event carries, if it is one of ours. */
  public static Optional<Reason> of(String value) {
    return Arrays.stream(values()).filter(r -> r.name().equals(value)).findFirst();
  }

  /** Every reason the Ready condition can carry (for metrics and documentation). */
  public static List<Reason> readyReasons() {
    return Arrays.stream(values()).filter(r -> r.verdict != Verdict.EVENT_ONLY).toList();
  }
}
