package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions.Reasons;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionFinder;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.reconciler.ApiErrors.Call;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.MissingApiKeyException;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps one agent's live version equal to its AgentRelease. Reads top to bottom:
 *
 * <ol>
 *   <li><b>skip</b> when the release is Ready for this generation and was confirmed recently;
 *   <li><b>validate</b> the spec, honour {@code suspend}, resolve the API key;
 *   <li><b>observe</b>: page through the published versions until the desired one is found;
 *   <li><b>act</b>: activate it, only when it is not already active;
 *   <li><b>status</b>: compute the next status and write it only if it changed; emit Events on
 *       change; reschedule (resync, long error interval, or backoff).
 * </ol>
 *
 * Generation-aware event filtering (the JOSDK default) means our own status writes never trigger
 * another reconcile, so a status update can never cause a second activation.
 */
@ControllerConfiguration(name = AgentReleaseReconciler.NAME)
public class AgentReleaseReconciler implements Reconciler<AgentRelease> {

  public static final String NAME = "agentrelease";
  private static final Logger LOG = Logger.getLogger(AgentReleaseReconciler.class);

  private final AtomsClient atoms;
  private final VersionFinder versionFinder;
  private final ApiKeyResolver apiKeys;
  private final RetryBackoff backoff;
  private final ReleaseEvents events;
  private final OperatorConfig config;
  private final Clock clock;

  public AgentReleaseReconciler(
      AtomsClient atoms, ApiKeyResolver apiKeys, RetryBackoff backoff, ReleaseEvents events, OperatorConfig config, Clock clock) {
    this.atoms = atoms;
    this.versionFinder = new VersionFinder(atoms);
    this.apiKeys = apiKeys;
    this.backoff = backoff;
    this.events = events;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public UpdateControl<AgentRelease> reconcile(AgentRelease release, Context<AgentRelease> context) {
    Instant now = clock.instant();
    Duration resync = config.resyncInterval();

    // 1. Quiet path: nothing to ask the API until the resync interval has passed.
    if (StatusCalculator.isReadyAndCurrent(release) && StatusCalculator.syncIsFresh(release.getStatus(), now, resync)) {
      Duration age = StatusCalculator.sinceLastSync(release.getStatus(), now);
      return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(resync.minus(age));
    }

    // 2-4. Validate, observe, act.
    Outcome outcome = validateObserveAndAct(release);

    // 5. Status, events, next reconcile.
    return finish(release, outcome, now);
  }

  private Outcome validateObserveAndAct(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    Optional<String> invalid = SpecValidator.problems(spec);
    if (invalid.isPresent()) {
      return Outcome.stalled(Reasons.INVALID_SPEC, invalid.get() + ". Fix the AgentRelease spec.");
    }
    if (spec.isSuspended()) {
      return Outcome.suspended("Reconciliation is suspended (spec.suspend=true): the Atoms API is not called.");
    }
    ResolvedApiKey key;
    try {
      key = apiKeys.resolve(release);
    } catch (MissingApiKeyException e) {
      return Outcome.stalled(Reasons.SECRET_NOT_FOUND, e.getMessage());
    }
    // Scrub the key from anything the API echoed back before it reaches status or events.
    return syncLiveVersion(spec, key).withMessage(key.apiKey()::redact);
  }

  private Outcome syncLiveVersion(AgentReleaseSpec spec, ResolvedApiKey key) {
    String agentId = spec.getAgentId();
    String desired = spec.describeDesiredVersion();
    VersionFinder.Result found;
    try {
      found = versionFinder.find(key.apiKey(), agentId, DesiredVersion.matcher(spec));
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(e, Call.LIST, agentId, desired, key.source());
    }

    if (found.version().isEmpty()) {
      return desiredVersionNotListed(spec, key, found.totalPublished());
    }
    AgentVersion version = found.version().get();
    if (version.active()) {
      return Outcome.ready(version, false);
    }
    if (!version.published()) {
      return Outcome.stalled(
          Reasons.VERSION_NOT_PUBLISHED, desired + " of agent " + agentId + " is " + version.status() + ": only published versions can be activated.");
    }
    return activate(spec, key, version.id());
  }

  /**
   * The published list does not contain the desired version. A versionNumber exists only on
   * published versions, so it simply is not there. A versionId may name a draft or an archived
   * version, which the list never shows: asking Atoms to activate it lets the API, the authority,
   * say which (400 not published, 404 unknown) — and activates it if it was published meanwhile.
   */
  private Outcome desiredVersionNotListed(AgentReleaseSpec spec, ResolvedApiKey key, int totalPublished) {
    if (spec.getVersionId() != null) {
      return activate(spec, key, spec.getVersionId());
    }
    return Outcome.stalled(
        Reasons.VERSION_NOT_FOUND,
        "Agent " + spec.getAgentId() + " has no published version " + spec.getVersionNumber() + " (" + totalPublished
            + " published versions; drafts and archived versions cannot be activated). Publish it or choose another version.");
  }

  private Outcome activate(AgentReleaseSpec spec, ResolvedApiKey key, String versionId) {
    try {
      AgentVersion live = atoms.activateVersion(key.apiKey(), spec.getAgentId(), versionId);
      return Outcome.ready(live, true);
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(e, Call.ACTIVATE, spec.getAgentId(), spec.describeDesiredVersion(), key.source());
    }
  }

  private UpdateControl<AgentRelease> finish(AgentRelease release, Outcome outcome, Instant now) {
    AgentReleaseStatus before = release.getStatus();
    AgentReleaseStatus after = StatusCalculator.next(release, outcome, now, config.resyncInterval());
    Optional<Duration> requeue = requeueDelay(release, outcome);
    if (outcome.kind() != Outcome.Kind.READY) {
      LOG.infof("AgentRelease %s/%s not ready: %s: %s", release.getMetadata().getNamespace(), release.getMetadata().getName(),
          outcome.reason(), outcome.message());
    }
    events.record(release, before, after, outcome);

    UpdateControl<AgentRelease> control;
    if (after.equals(before)) {
      control = UpdateControl.noUpdate();
    } else {
      release.setStatus(after);
      control = UpdateControl.patchStatus(release);
    }
    return requeue.map(control::rescheduleAfter).orElse(control);
  }

  private Optional<Duration> requeueDelay(AgentRelease release, Outcome outcome) {
    String uid = release.getMetadata().getUid();
    if (outcome.kind() == Outcome.Kind.RETRYING) {
      return Optional.of(backoff.nextDelay(uid, outcome.retryAfter()));
    }
    backoff.reset(uid);
    return switch (outcome.kind()) {
      case READY -> Optional.of(config.resyncInterval());
      // Only a spec edit can fix these; the edit itself triggers a reconcile.
      case SUSPENDED -> Optional.empty();
      case STALLED -> Reasons.INVALID_SPEC.equals(outcome.reason())
          ? Optional.empty()
          : Optional.of(config.errorRetryInterval());
      case RETRYING -> throw new IllegalStateException("handled above");
    };
  }

  @Override
  public ErrorStatusUpdateControl<AgentRelease> updateErrorStatus(AgentRelease release, Context<AgentRelease> context, Exception e) {
    // Unexpected failures (e.g. the Kubernetes API refusing a Secret read). JOSDK retries them with
    // its own backoff; status says what happened. Our exceptions never carry the API key.
    Outcome outcome = Outcome.retrying(Reasons.RECONCILE_ERROR, "Reconcile failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    AgentReleaseStatus after = StatusCalculator.next(release, outcome, clock.instant(), config.resyncInterval());
    if (after.equals(release.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    release.setStatus(after);
    return ErrorStatusUpdateControl.patchStatus(release);
  }
}
