package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.PendingActivation;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.api.VersionSelector;
import ai.smallest.atoms.operator.api.VersionStrategy;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionFinder;
import ai.smallest.atoms.operator.reconciler.ApiErrors.Call;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.MissingApiKeyException;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import ai.smallest.atoms.operator.status.Findings;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.Outcome.Activation;
import ai.smallest.atoms.operator.status.StatusCalculator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The domain decision for one release, free of JOSDK so tests call it directly. In order:
 *
 * <ol>
 *   <li><b>validate</b> the spec, honour {@code suspend}, refuse a second release of the same
 *       agent, resolve the API key;
 *   <li><b>observe</b>: page through the published versions until the desired one is found;
 *   <li><b>decide</b>: already live, not publishable, policy forbids acting, or drift;
 *   <li><b>act</b>: activate it, only when it is not already active and policy allows.
 * </ol>
 *
 * The result is an {@link Outcome}; turning it into status, Events and the next look is the
 * reconciler's job.
 */
@ApplicationScoped
public class ReleaseSync {

  private final AtomsClient atoms;
  private final VersionFinder versionFinder;
  private final ApiKeyResolver apiKeys;
  private final ReleaseIndex releases;
  private final TenancyPolicy tenancy;
  private final LeaseFence leaseFence;
  private final Clock clock;
  private final DriftLoopGuard driftGuard;
  private final AgentLocks agentLocks = new AgentLocks();

  /** Persists an activation intent before the activate call (see {@link PendingActivation}). */
  @FunctionalInterface
  public interface ActivationIntents {
    void persist(AgentRelease release, PendingActivation intent);
  }

  public ReleaseSync(
      AtomsClient atoms,
      ApiKeyResolver apiKeys,
      ReleaseIndex releases,
      TenancyPolicy tenancy,
      LeaseFence leaseFence,
      Clock clock,
      DriftLoopGuard driftGuard) {
    this.atoms = atoms;
    this.versionFinder = new VersionFinder(atoms);
    this.apiKeys = apiKeys;
    this.releases = releases;
    this.tenancy = tenancy;
    this.leaseFence = leaseFence;
    this.clock = clock;
    this.driftGuard = driftGuard;
  }

  /** How many activations status.history keeps for this release (the drift guard counts them). */
  public int historyLimit(AgentRelease release, int configured) {
    return driftGuard.historyLimit(release, configured);
  }

  /**
   * Validates, observes, decides and acts for {@code release}; {@code intents} persists an
   * activation intent before each activate call.
   */
  public Outcome sync(AgentRelease release, ActivationIntents intents) {
    AgentReleaseSpec spec = release.getSpec();
    Optional<String> invalid = SpecValidator.problems(spec);
    if (invalid.isPresent()) {
      return Outcome.notReady(Reason.InvalidSpec, invalid.get() + ". Fix the AgentRelease spec.");
    }
    if (spec.isSuspended()) {
      return Outcome.notReady(
          Reason.Suspended,
          "Reconciliation is suspended (spec.suspend=true): the Atoms API is not called.");
    }
    Optional<String> refused = tenancy.refusal(release);
    if (refused.isPresent()) {
      return Outcome.notReady(Reason.AgentNotAllowed, refused.get());
    }
    Optional<AgentRelease> owner = releases.olderReleaseForSameAgent(release);
    if (owner.isPresent()) {
      return Outcome.notReady(Reason.Conflict, conflictMessage(release, owner.get()));
    }
    if (spec.getApiKeySecretRef() == null
        && !tenancy.mayUseDefaultKey(release.getMetadata().getNamespace())) {
      return Outcome.notReady(
          Reason.SecretNotFound,
          "spec.apiKeySecretRef is not set, and namespace "
              + release.getMetadata().getNamespace()
              + " may not use the operator-wide default API key"
              + " (atoms.default-api-key-secret.allowed-namespaces). Create a Secret with the"
              + " Atoms API key in this namespace and name it in spec.apiKeySecretRef.");
    }
    ResolvedApiKey key;
    try {
      key = apiKeys.resolve(release);
    } catch (MissingApiKeyException e) {
      return Outcome.notReady(Reason.SecretNotFound, e.getMessage());
    }
    // One sync per agent at a time; scrub the key from anything the API echoed back.
    Outcome outcome =
        agentLocks
            .withLock(spec.getAgentId(), () -> observeDecideAct(release, key, intents))
            .withMessage(key.apiKey()::redact);
    return driftGuard.afterSync(release, outcome, clock.instant());
  }

  private Outcome observeDecideAct(
      AgentRelease release, ResolvedApiKey key, ActivationIntents intents) {
    AgentReleaseSpec spec = release.getSpec();
    String agentId = spec.getAgentId();
    String desired = spec.describeDesiredVersion();
    VersionFinder.Result found;
    try {
      // When we will not activate, also look for the active version, to report what is live; and
      // once this spec was seen, for drift, to name who activated the other version.
      boolean reportLive =
          spec.isObserveOnly()
              || spec.isReportDriftOnly()
              || generationSeen(release)
              || DriftLoopGuard.stopped(release)
              || RestoreOnDelete.needsPreviousVersion(release);
      found = observe(release, key, reportLive);
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(e, Call.LIST, agentId, desired, key.source());
    }
    Outcome outcome = decideAndAct(release, key, found, intents);
    // status.selected: what the spec resolved to (an unlisted versionId: what was activated).
    Optional<AgentVersion> selected =
        found.version().isEmpty() && outcome.activatedNow()
            ? Optional.ofNullable(outcome.liveVersion())
            : found.version();
    return outcome.withFindings(outcome.findings().withSelected(selected));
  }

  /**
   * The desired version (for a versionSelector: the one it selects among all published versions)
   * and, when asked, the live one.
   */
  private VersionFinder.Result observe(
      AgentRelease release, ResolvedApiKey key, boolean reportLive) {
    AgentReleaseSpec spec = release.getSpec();
    String agentId = spec.getAgentId();
    VersionSelector selector = spec.getVersionSelector();
    if (selector == null) {
      return versionFinder.find(key.apiKey(), agentId, DesiredVersion.matcher(spec), reportLive);
    }
    VersionFinder.Result chosen =
        VersionSelection.select(versionFinder, key.apiKey(), agentId, selector);
    boolean liveUnseen =
        chosen.active().isEmpty() && chosen.version().filter(v -> !v.active()).isPresent();
    if (!reportLive || !liveUnseen || selector.getStrategy() != VersionStrategy.LatestPinned) {
      return chosen;
    }
    // A pinned-only listing shows the live version only when it is pinned: look for it.
    String id = chosen.version().get().id();
    VersionFinder.Result all =
        versionFinder.find(key.apiKey(), agentId, v -> id.equals(v.id()), true);
    return new VersionFinder.Result(
        chosen.version(),
        all.active(),
        chosen.totalPublished(),
        chosen.listCalls() + all.listCalls());
  }

  private Outcome decideAndAct(
      AgentRelease release,
      ResolvedApiKey key,
      VersionFinder.Result found,
      ActivationIntents intents) {
    AgentReleaseSpec spec = release.getSpec();
    String agentId = spec.getAgentId();
    if (found.version().isEmpty()) {
      return spec.getVersionSelector() != null
          ? VersionSelection.noneSelected(spec, found)
          : desiredVersionNotListed(release, key, found, intents);
    }
    AgentVersion version = found.version().get();
    String desired = VersionSelection.describe(spec, version);
    if (version.active()) {
      return Outcome.ready(version, confirmedIntent(release, version));
    }
    if (!version.published()) {
      return Outcome.notReady(
          Reason.VersionNotPublished,
          desired
              + " of agent "
              + agentId
              + " is "
              + version.status()
              + ": only published versions can be activated.");
    }
    AgentVersion live = found.active().orElse(null);
    if (spec.isObserveOnly()) {
      return Outcome.notReady(
          Reason.ObserveOnly,
          "managementPolicy is Observe: "
              + liveDescription(live)
              + "; Manage would activate "
              + desired
              + ".",
          live);
    }
    boolean drift = declaredVersionWasLive(release, version);
    if (drift && spec.isReportDriftOnly()) {
      return Outcome.notReady(
          Reason.DriftDetected,
          desired
              + " is no longer live: "
              + liveDescription(live)
              + ". driftPolicy is Report, so it is not restored.",
          live);
    }
    // Drift-loop guard: stop fighting whoever keeps activating another version.
    Findings findings = Findings.NONE;
    if (drift) {
      DriftLoopGuard.Decision guard = driftGuard.beforeCorrecting(release, live, clock.instant());
      if (guard.stop().isPresent()) {
        return guard.stop().get();
      }
      findings = guard.findings();
    }
    Activation why = drift ? Activation.DRIFT_CORRECTION : Activation.DECLARED;
    findings = RestoreOnDelete.notePreviousVersion(release, live, findings);
    return activate(release, key, version, why, live, intents).withFindings(findings);
  }

  /**
   * The published list does not contain the desired version. A versionNumber exists only on
   * published versions, so it simply is not there. A versionId may name a draft or an archived
   * version, which the list never shows: asking Atoms to activate it lets the API, the authority,
   * say which (400 not published, 404 unknown), and activates it if it was published meanwhile.
   */
  private Outcome desiredVersionNotListed(
      AgentRelease release,
      ResolvedApiKey key,
      VersionFinder.Result found,
      ActivationIntents intents) {
    AgentReleaseSpec spec = release.getSpec();
    if (spec.getVersionId() != null && !spec.isObserveOnly()) {
      AgentVersion unlisted =
          new AgentVersion(
              spec.getVersionId(), spec.getAgentId(), null, null, null, false, null, null);
      AgentVersion live = found.active().orElse(null);
      Findings findings = RestoreOnDelete.notePreviousVersion(release, live, Findings.NONE);
      return activate(release, key, unlisted, Activation.DECLARED, live, intents)
          .withFindings(findings);
    }
    return Outcome.notReady(
        Reason.VersionNotFound,
        "Agent "
            + spec.getAgentId()
            + " has no published "
            + spec.describeDesiredVersion()
            + " ("
            + found.totalPublished()
            + " published versions; drafts and archived versions cannot be activated). Publish it"
            + " or choose another version.");
  }

  /**
   * Activates {@code version}: only while this replica holds the Lease, and only after the intent
   * is persisted, so a lost answer cannot erase the record of it.
   */
  private Outcome activate(
      AgentRelease release,
      ResolvedApiKey key,
      AgentVersion version,
      Activation why,
      AgentVersion live,
      ActivationIntents intents) {
    AgentReleaseSpec spec = release.getSpec();
    String desired = VersionSelection.describe(spec, version);
    // Activation windows: outside them, wait for the next one (or an activate-now annotation).
    Optional<Outcome> held = ActivationWindows.hold(release, clock.instant(), desired, live);
    if (held.isPresent()) {
      return held.get();
    }
    leaseFence.check();
    intents.persist(
        release,
        new PendingActivation(
            version.id(),
            version.versionNumber(),
            release.getMetadata().getGeneration(),
            StatusCalculator.format(clock.instant()),
            ActivationRecord.by(why == Activation.DRIFT_CORRECTION)));
    try {
      AgentVersion activated = atoms.activateVersion(key.apiKey(), spec.getAgentId(), version.id());
      return Outcome.ready(activated, why);
    } catch (AtomsApiException e) {
      return ApiErrors.toOutcome(e, Call.ACTIVATE, spec.getAgentId(), desired, key.source());
    }
  }

  /**
   * The desired version is live. If the operator had persisted the intent to activate it and never
   * saw the answer (lost response, crash, refused status write), the activation was the operator's:
   * it is recorded as such, once. Otherwise someone else made it live.
   */
  private static Activation confirmedIntent(AgentRelease release, AgentVersion live) {
    PendingActivation intent =
        release.getStatus() == null ? null : release.getStatus().getPendingActivation();
    if (intent == null || !Objects.equals(intent.getVersionId(), live.id())) {
      return Activation.NONE;
    }
    return ActivationRecord.BY_DRIFT_CORRECTION.equals(intent.getBy())
        ? Activation.DRIFT_CORRECTION
        : Activation.DECLARED;
  }

  /**
   * Drift: for this very spec the operator had already seen the declared version live (Ready), or
   * had already reported drift (status then shows the other, live version). A correction held back
   * by the activation windows is still one when the operator's own latest activation was the
   * declared version.
   */
  private static boolean declaredVersionWasLive(AgentRelease release, AgentVersion declared) {
    AgentReleaseStatus status = release.getStatus();
    if (status == null
        || !Objects.equals(status.getObservedGeneration(), release.getMetadata().getGeneration())) {
      return false;
    }
    boolean lastActivatedByUs =
        !status.getHistory().isEmpty()
            && Objects.equals(status.getHistory().get(0).getVersionId(), declared.id());
    return status
        .ready()
        .map(
            c ->
                Reason.DriftDetected.value().equals(c.getReason())
                    || Reason.DriftLoop.value().equals(c.getReason())
                    || (Reason.OutsideActivationWindow.value().equals(c.getReason())
                        && lastActivatedByUs)
                    || (Conditions.TRUE.equals(c.getStatus())
                        && Objects.equals(status.getVersionId(), declared.id())))
        .orElse(false);
  }

  private static boolean generationSeen(AgentRelease release) {
    return release.getStatus() != null
        && Objects.equals(
            release.getStatus().getObservedGeneration(), release.getMetadata().getGeneration());
  }

  private static String liveDescription(AgentVersion live) {
    return live == null ? "no version is live" : "version " + live.versionNumber() + " is live";
  }

  /** Names the other release only when it is in the same namespace: tenants see no neighbours. */
  private static String conflictMessage(AgentRelease release, AgentRelease owner) {
    boolean sameNamespace =
        Objects.equals(release.getMetadata().getNamespace(), owner.getMetadata().getNamespace());
    return (sameNamespace
            ? "AgentRelease " + owner.getMetadata().getName()
            : "An AgentRelease in another namespace")
        + " already manages agent "
        + release.getSpec().getAgentId()
        + " (of the releases that can act, the older wins; this one makes no Atoms calls)."
        + (sameNamespace
            ? " Delete one of them."
            : " Ask your cluster admins which one should manage it.");
  }
}
