package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.api.VersionReference;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionFinder;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.reconciler.ApiErrors.Call;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.MissingApiKeyException;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import ai.smallest.atoms.operator.status.Findings;
import ai.smallest.atoms.operator.status.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * deletionPolicy Restore, free of JOSDK like {@link ReleaseSync}: what deleting a release does to
 * its agent. The first activation of a release remembers what was live before it
 * (status.previousVersion); when the release is deleted, that version is activated again, if it is
 * still published and not live already, before the finalizer lets the release go.
 *
 * <p>Deletion never waits forever: a failed attempt is retried with backoff, at most
 * atoms.restore.max-attempts times, then given up with a Warning Event; the skip-restore annotation
 * gives up at once. Nothing is restored for a suspended or Observe release (they never activate),
 * for a release that never activated, or when another release of the agent takes over (the restore
 * would only be undone). The restore obeys spec.activationWindows and the Lease like any other
 * activation.
 */
@ApplicationScoped
public class RestoreOnDelete {

  /** What to do with a release that is being deleted. */
  public sealed interface Result permits Done, Retry {}

  /** Let the release go, recording {@code event} with {@code message}. */
  public record Done(Reason event, String message) implements Result {}

  /**
   * Keep it: status shows {@code outcome}, {@code attempts} failed so far; look again later (with
   * backoff, or at the moment a SCHEDULED outcome names).
   */
  public record Retry(Outcome outcome, int attempts) implements Result {}

  private final AtomsClient atoms;
  private final VersionFinder versionFinder;
  private final ApiKeyResolver apiKeys;
  private final ReleaseIndex releases;
  private final LeaseFence leaseFence;
  private final OperatorConfig config;
  private final Clock clock;

  public RestoreOnDelete(
      AtomsClient atoms,
      ApiKeyResolver apiKeys,
      ReleaseIndex releases,
      LeaseFence leaseFence,
      OperatorConfig config,
      Clock clock) {
    this.atoms = atoms;
    this.versionFinder = new VersionFinder(atoms);
    this.apiKeys = apiKeys;
    this.releases = releases;
    this.leaseFence = leaseFence;
    this.config = config;
    this.clock = clock;
  }

  /** Whether the next activation must remember what was live before it. */
  static boolean needsPreviousVersion(AgentRelease release) {
    return release.getSpec() != null
        && release.getSpec().restoresOnDelete()
        && (release.getStatus() == null || release.getStatus().getPreviousVersion() == null);
  }

  /** {@code findings} plus what is live before this activation, when the policy needs it. */
  static Findings notePreviousVersion(AgentRelease release, AgentVersion live, Findings findings) {
    if (!needsPreviousVersion(release)) {
      return findings;
    }
    return findings.withPreviousVersion(
        live == null
            ? new VersionReference()
            : new VersionReference(live.versionNumber(), live.id()));
  }

  /** One attempt at restoring the previous version of a release that is being deleted. */
  public Result restore(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    String agent = spec == null ? null : spec.getAgentId();
    if (release.skipsRestore()) {
      return new Done(
          Reason.RestoreSkipped,
          "The "
              + AgentRelease.SKIP_RESTORE
              + " annotation is \"true\": the live version of agent "
              + agent
              + " is left as it is.");
    }
    Optional<Done> nothingToDo = nothingToRestore(release);
    if (nothingToDo.isPresent()) {
      return nothingToDo.get();
    }
    VersionReference previous = release.getStatus().getPreviousVersion();
    int attempts = attemptsSoFar(release.getStatus());
    if (attempts >= config.restore().maxAttempts()) {
      return new Done(
          Reason.RestoreFailed,
          "Gave up restoring "
              + previous.describe()
              + " of agent "
              + agent
              + " after "
              + attempts
              + " failed attempts"
              + lastError(release.getStatus())
              + "; the live version is left as it is.");
    }
    ResolvedApiKey key;
    try {
      key = apiKeys.resolve(release);
    } catch (MissingApiKeyException e) {
      return new Retry(Outcome.notReady(Reason.SecretNotFound, e.getMessage()), attempts + 1);
    }
    Result result = restoreWith(release, previous, key, attempts);
    if (result instanceof Retry retry) {
      return new Retry(retry.outcome().withMessage(key.apiKey()::redact), retry.attempts());
    }
    Done done = (Done) result;
    return new Done(done.event(), key.apiKey().redact(done.message()));
  }

  private Result restoreWith(
      AgentRelease release, VersionReference previous, ResolvedApiKey key, int attempts) {
    String agent = release.getSpec().getAgentId();
    String what = previous.describe() + " of agent " + agent;
    VersionFinder.Result found;
    try {
      found =
          versionFinder.find(
              key.apiKey(), agent, v -> Objects.equals(previous.getVersionId(), v.id()), true);
    } catch (AtomsApiException e) {
      return new Retry(
          ApiErrors.toOutcome(e, Call.LIST, agent, previous.describe(), key.source()),
          attempts + 1);
    }
    if (found.version().isEmpty()) {
      return new Done(
          Reason.RestoreFailed,
          "Cannot restore "
              + what
              + ": it is no longer published; the live version is left as it is.");
    }
    AgentVersion version = found.version().get();
    if (version.active()) {
      return new Done(
          Reason.Restored,
          what + " was live already: nothing to activate (deletionPolicy Restore).");
    }
    AgentVersion live = found.active().orElse(null);
    Optional<Outcome> held =
        ActivationWindows.hold(release, clock.instant(), "restoring " + previous.describe(), live);
    if (held.isPresent()) {
      if (held.get().retryAfter() == null) {
        return new Done(
            Reason.RestoreFailed,
            "Cannot restore " + what + ": none of spec.activationWindows opens again.");
      }
      return new Retry(held.get(), attempts);
    }
    leaseFence.check(); // a replica that lost the Lease throws: the leader restores
    try {
      AgentVersion activated = atoms.activateVersion(key.apiKey(), agent, version.id());
      return new Done(
          Reason.Restored,
          "Agent "
              + agent
              + " serves "
              + previous.describe()
              + label(activated)
              + " again, as before this release (deletionPolicy Restore).");
    } catch (AtomsApiException e) {
      Outcome failed =
          ApiErrors.toOutcome(e, Call.ACTIVATE, agent, previous.describe(), key.source());
      if (failed.reason() == Reason.VersionNotPublished
          || failed.reason() == Reason.VersionNotFound) {
        return new Done(
            Reason.RestoreFailed,
            "Cannot restore "
                + what
                + ": "
                + failed.message()
                + " The live version is left as it is.");
      }
      return new Retry(failed, attempts + 1);
    }
  }

  private Optional<Done> nothingToRestore(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    String why = null;
    if (spec == null || SpecValidator.problems(spec).isPresent()) {
      why = "its spec is invalid, so it never activated anything";
    } else if (!spec.restoresOnDelete()) {
      why = "deletionPolicy is Orphan";
    } else if (spec.isSuspended()) {
      why = "it is suspended: suspended releases never restore";
    } else if (spec.isObserveOnly()) {
      why = "managementPolicy is Observe: it never activates, so it never restores";
    } else if (release.getStatus() == null || release.getStatus().getPreviousVersion() == null) {
      why = "it never activated a version, so there is nothing to restore";
    } else if (release.getStatus().getPreviousVersion().isNone()) {
      why = "no version was live before its first activation";
    } else {
      why =
          releases
              .successorForSameAgent(release)
              .map(
                  other ->
                      "AgentRelease "
                          + other.getMetadata().getNamespace()
                          + "/"
                          + other.getMetadata().getName()
                          + " manages the agent next, so restoring first would only be undone")
              .orElse(null);
    }
    if (why == null) {
      return Optional.empty();
    }
    String agent = spec == null ? null : spec.getAgentId();
    return Optional.of(
        new Done(
            Reason.RestoreNotNeeded,
            "Nothing restored on agent "
                + agent
                + ": "
                + why
                + "; the live version is left as it is."));
  }

  private static int attemptsSoFar(AgentReleaseStatus status) {
    return status == null || status.getRestoreAttempts() == null
        ? 0
        : Math.max(0, status.getRestoreAttempts());
  }

  private static String lastError(AgentReleaseStatus status) {
    return status
        .ready()
        .filter(c -> !"True".equals(c.getStatus()))
        .map(Condition::getMessage)
        .map(m -> " (the last: " + m + ")")
        .orElse("");
  }

  private static String label(AgentVersion version) {
    return version == null || version.label() == null || version.label().isBlank()
        ? ""
        : " (\"" + version.label() + "\")";
  }
}
