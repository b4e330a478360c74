package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Conditions.Reasons;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionFinder;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import ai.smallest.atoms.operator.reconciler.ApiErrors.Call;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.MissingApiKeyException;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import ai.smallest.atoms.operator.status.ConditionList;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.Outcome.Activation;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps one agent's live version equal to its AgentRelease. Reads top to bottom:
 *
 * <ol>
 *   <li><b>skip</b> when the release is Ready for this generation, was confirmed recently and no
 *       reconcile was requested;
 *   <li><b>validate</b> the spec, honour {@code suspend}, refuse a second release of the same
 *       agent, resolve the API key;
 *   <li><b>observe</b>: page through the published versions until the desired one is found;
 *   <li><b>act</b>: activate it, only when it is not already active and policy allows;
 *   <li><b>status</b>: compute the next status and write it only if it changed; Events and metrics
 *       on change; reschedule (jittered resync, long error interval, or backoff).
 * </ol>
 *
 * Only spec changes and the reconcile-request annotation trigger reconciles ({@link
 * ReconcileTriggerFilter}), so our own status writes can never cause a second activation.
 */
@ControllerConfiguration(
    name = AgentReleaseReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ReconcileTriggerFilter.class))
public class AgentReleaseReconciler implements Reconciler<AgentRelease> {

  public static final String NAME = "agentrelease";
  private static final Logger LOG = Logger.getLogger(AgentReleaseReconciler.class);

  private final AtomsClient atoms;
  private final VersionFinder versionFinder;
  private final ApiKeyResolver apiKeys;
  private final ReleaseIndex releases;
  private final RequeuePolicy requeue;
  private final ReleaseEvents events;
  private final OperatorMetrics metrics;
  private final OperatorConfig config;
  private final Clock clock;
  private final AgentLocks agentLocks = new AgentLocks();
  private final StatusWriteTracker statusWrites = new StatusWriteTracker();

  public AgentReleaseReconciler(
      AtomsClient atoms,
      ApiKeyResolver apiKeys,
      ReleaseIndex releases,
      RequeuePolicy requeue,
      ReleaseEvents events,
      OperatorMetrics metrics,
      OperatorConfig config,
      Clock clock) {
    this.atoms = atoms;
    this.versionFinder = new VersionFinder(atoms);
    this.apiKeys = apiKeys;
    this.releases = releases;
    this.requeue = requeue;
    this.events = events;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Indexes releases by agent and by Secret, and watches Secrets so a new or rotated key is used at
   * once.
   */
  @Override
  public List<EventSource<?, AgentRelease>> prepareEventSources(
      EventSourceContext<AgentRelease> context) {
    releases.attach(context.getPrimaryCache());
    var secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, AgentRelease.class)
                .withSecondaryToPrimaryMapper(releases::releasesBlockedOnCredentialsIn)
                // Only content changes matter; metadata-only updates (labels, managedFields) are
                // not news.
                .withOnUpdateFilter(
                    (updated, previous) ->
                        !Objects.equals(updated.getData(), previous.getData())
                            || !Objects.equals(updated.getStringData(), previous.getStringData()))
                .build(),
            context);
    apiKeys.useInformerCache(secrets::get);
    return List.of(secrets);
  }

  @Override
  public UpdateControl<AgentRelease> reconcile(
      AgentRelease release, Context<AgentRelease> context) {
    Instant now = clock.instant();
    Duration resync = requeue.resyncInterval(release);

    // 1. Quiet path: nothing to ask the API until the resync interval has passed.
    if (StatusCalculator.isReadyAndCurrent(release)
        && StatusCalculator.syncIsFresh(release.getStatus(), now, resync)
        && !StatusCalculator.hasUnhandledReconcileRequest(release)) {
      metrics.reconciled("Skipped");
      Duration age = StatusCalculator.sinceLastSync(release.getStatus(), now);
      return UpdateControl.<AgentRelease>noUpdate()
          .rescheduleAfter(requeue.jittered(resync.minus(age)));
    }

    // 2-4. Validate, observe, act.
    Outcome outcome = validateObserveAndAct(release);

    // 5. Status, events, metrics, next reconcile.
    return finish(release, outcome, now, resync);
  }

  private Outcome validateObserveAndAct(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    Optional<String> invalid = SpecValidator.problems(spec);
    if (invalid.isPresent()) {
      return Outcome.stalled(Reasons.INVALID_SPEC, invalid.get() + ". Fix the AgentRelease spec.");
    }
    if (spec.isSuspended()) {
      return Outcome.suspended(
          "Reconciliation is suspended (spec.suspend=true): the Atoms API is not called.");
    }
    Optional<AgentRelease> owner = releases.olderReleaseForSameAgent(release);
    if (owner.isPresent()) {
      return Outcome.stalled(Reasons.CONFLICT, conflictMessage(spec, owner.get()));
    }
    ResolvedApiKey key;
    try {
      key = apiKeys.resolve(release);
    } catch (MissingApiKeyException e) {
      return Outcome.stalled(Reasons.SECRET_NOT_FOUND, e.getMessage());
    }
    // One sync per agent at a time; scrub the key from anything the API echoed back.
    return agentLocks
        .withLock(spec.getAgentId(), () -> syncLiveVersion(release, key))
        .withMessage(key.apiKey()::redact);
  }

  private Outcome syncLiveVersion(AgentRelease release, ResolvedApiKey key) {
    AgentReleaseSpec spec = release.getSpec();
    String agentId = spec.getAgentId();
    String desired = spec.describeDesiredVersion();
    boolean mayActivate = !spec.isObserveOnly();
    VersionFinder.Result found;
    try {
      // When we will not activate, also look for the active version, to report what is live.
      boolean reportLive = spec.isObserveOnly() || spec.isReportDriftOnly();
      found = versionFinder.find(key.apiKey(), agentId, DesiredVersion.matcher(spec), reportLive);
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(e, Call.LIST, agentId, desired, key.source());
    }

    if (found.version().isEmpty()) {
      return desiredVersionNotListed(spec, key, found, mayActivate);
    }
    AgentVersion version = found.version().get();
    if (version.active()) {
      return Outcome.ready(version, Activation.NONE);
    }
    if (!version.published()) {
      return Outcome.stalled(
          Reasons.VERSION_NOT_PUBLISHED,
          desired
              + " of agent "
              + agentId
              + " is "
              + version.status()
              + ": only published versions can be activated.");
    }
    AgentVersion live = found.active().orElse(null);
    if (!mayActivate) {
      return Outcome.outOfSync(
          Reasons.OBSERVE_ONLY,
          "managementPolicy is Observe: "
              + liveDescription(live)
              + "; Manage would activate "
              + desired
              + ".",
          live);
    }
    boolean drift = declaredVersionWasLive(release, version);
    if (drift && spec.isReportDriftOnly()) {
      return Outcome.outOfSync(
          Reasons.DRIFT_DETECTED,
          desired
              + " is no longer live: "
              + liveDescription(live)
              + ". driftPolicy is Report, so it is not restored.",
          live);
    }
    return activate(
        spec, key, version.id(), drift ? Activation.DRIFT_CORRECTION : Activation.DECLARED);
  }

  /**
   * The published list does not contain the desired version. A versionNumber exists only on
   * published versions, so it simply is not there. A versionId may name a draft or an archived
   * version, which the list never shows: asking Atoms to activate it lets the API, the authority,
   * say which (400 not published, 404 unknown), and activates it if it was published meanwhile.
   */
  private Outcome desiredVersionNotListed(
      AgentReleaseSpec spec, ResolvedApiKey key, VersionFinder.Result found, boolean mayActivate) {
    if (spec.getVersionId() != null && mayActivate) {
      return activate(spec, key, spec.getVersionId(), Activation.DECLARED);
    }
    return Outcome.stalled(
        Reasons.VERSION_NOT_FOUND,
        "Agent "
            + spec.getAgentId()
            + " has no published "
            + spec.describeDesiredVersion()
            + " ("
            + found.totalPublished()
            + " published versions; drafts and archived versions cannot be activated). Publish it or choose another version.");
  }

  private Outcome activate(
      AgentReleaseSpec spec, ResolvedApiKey key, String versionId, Activation why) {
    try {
      AgentVersion live = atoms.activateVersion(key.apiKey(), spec.getAgentId(), versionId);
      return Outcome.ready(live, why);
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(
          e, Call.ACTIVATE, spec.getAgentId(), spec.describeDesiredVersion(), key.source());
    }
  }

  /**
   * Drift: for this very spec the operator had already seen the declared version live (Ready), or
   * had already reported drift (status then shows the other, live version).
   */
  private static boolean declaredVersionWasLive(AgentRelease release, AgentVersion declared) {
    AgentReleaseStatus status = release.getStatus();
    if (status == null
        || !Objects.equals(status.getObservedGeneration(), release.getMetadata().getGeneration())) {
      return false;
    }
    return ConditionList.readyOf(status)
        .map(
            c ->
                Reasons.DRIFT_DETECTED.equals(c.getReason())
                    || (Conditions.TRUE.equals(c.getStatus())
                        && Objects.equals(status.getVersionId(), declared.id())))
        .orElse(false);
  }

  private UpdateControl<AgentRelease> finish(
      AgentRelease release, Outcome outcome, Instant now, Duration resync) {
    AgentReleaseStatus before = release.getStatus();
    AgentReleaseStatus after =
        StatusCalculator.next(release, outcome, now, resync, config.historyLimit());
    if (outcome.kind() != Outcome.Kind.READY) {
      LOG.debugf(
          "AgentRelease %s/%s: %s: %s",
          release.getMetadata().getNamespace(),
          release.getMetadata().getName(),
          outcome.reason(),
          outcome.message());
    }
    recordMetrics(outcome, after);
    events.record(release, before, after, outcome);

    UpdateControl<AgentRelease> control;
    if (!after.equals(before)) {
      statusWrites.writing(release, after);
      release.setStatus(after);
      control = UpdateControl.patchStatus(release);
    } else if (statusWrites.cacheIsBehind(release, after)) {
      // This copy predates our last status write: look again once the cache has caught up.
      return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(StatusWriteTracker.RECHECK);
    } else {
      control = UpdateControl.noUpdate();
    }
    return requeue.after(release, outcome).map(control::rescheduleAfter).orElse(control);
  }

  private void recordMetrics(Outcome outcome, AgentReleaseStatus after) {
    ConditionList.readyOf(after).ifPresent(ready -> metrics.reconciled(ready.getReason()));
    switch (outcome.activation()) {
      case DECLARED -> metrics.activated("declared");
      case DRIFT_CORRECTION -> {
        metrics.activated("drift");
        metrics.driftCorrected();
      }
      case NONE -> {}
    }
  }

  private static String liveDescription(AgentVersion live) {
    return live == null ? "no version is live" : "version " + live.versionNumber() + " is live";
  }

  private static String conflictMessage(AgentReleaseSpec spec, AgentRelease owner) {
    return "AgentRelease "
        + owner.getMetadata().getNamespace()
        + "/"
        + owner.getMetadata().getName()
        + " already manages agent "
        + spec.getAgentId()
        + " (the older release wins; this one makes no Atoms calls). Delete one of them.";
  }

  @Override
  public ErrorStatusUpdateControl<AgentRelease> updateErrorStatus(
      AgentRelease release, Context<AgentRelease> context, Exception e) {
    // Unexpected failures (e.g. the Kubernetes API refusing a Secret read). JOSDK retries them with
    // its own backoff; status says what happened. Our exceptions never carry the API key.
    if (isConflict(e)) {
      // Our status write lost a race with another writer: nothing is wrong with the release, and
      // writing ReconcileError would turn a healthy release Ready=False until JOSDK's retry.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Outcome outcome =
        Outcome.retrying(
            Reasons.RECONCILE_ERROR,
            "Reconcile failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
            null);
    AgentReleaseStatus after =
        StatusCalculator.next(
            release,
            outcome,
            clock.instant(),
            requeue.resyncInterval(release),
            config.historyLimit());
    if (after.equals(release.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    release.setStatus(after);
    return ErrorStatusUpdateControl.patchStatus(release);
  }

  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }
}
