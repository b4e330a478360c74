package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lookups over the operator's own cache of AgentReleases (no API server calls): which releases
 * target the same agent (conflicts) and which releases use a given Secret (credential rotation).
 * Attached to JOSDK's primary cache when the controller prepares its event sources; until then (and
 * in plain unit tests) it answers "none".
 *
 * <p>When this instance is a shard, its primary cache holds only its shard's releases, while one
 * release per agent is a cluster-wide rule: conflicts are then looked up in a view of every shard's
 * releases ({@link AllShardsWatch}), and decided exactly as within one instance: everything the
 * rule reads (creationTimestamp, the agent, whether the release can act, decided on its whole spec
 * and Ready condition) is kept of each, whichever shard writes it ({@link OtherShardsStore}).
 */
@ApplicationScoped
public class ReleaseIndex {

  static final String BY_AGENT = "agentId";
  static final String BY_SECRET = "apiKeySecret";

  /**
   * The older release wins: earliest creationTimestamp, then namespace/name as a stable tie-break.
   */
  static final Comparator<AgentRelease> AGE_ORDER =
      Comparator.comparing(
              (AgentRelease r) -> String.valueOf(r.getMetadata().getCreationTimestamp()))
          .thenComparing(r -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final OperatorConfig.DefaultApiKeySecret defaultSecret;
  private volatile IndexerResourceCache<AgentRelease> cache;

  /** Every shard's releases, when this instance is a shard; empty: {@link #cache} sees them all. */
  private volatile List<OtherShardsStore> allShards = List.of();

  /**
   * UIDs of releases whose last reconcile ended on a credential problem. The cached status says the
   * same a moment later, but a Secret created in that moment must not be missed (the informer may
   * not yet have seen our status write). Entries of deleted releases are swept as it grows.
   */
  private final Set<String> credentialProblems = ConcurrentHashMap.newKeySet();

  private final AtomicInteger sweepAbove = new AtomicInteger(SWEEP_MINIMUM);
  private static final int SWEEP_MINIMUM = 256;

  public ReleaseIndex(OperatorConfig config) {
    this.defaultSecret = config.defaultApiKeySecret();
  }

  void attach(IndexerResourceCache<AgentRelease> primaryCache) {
    primaryCache.addIndexer(BY_AGENT, r -> agentOf(r).map(List::of).orElse(List.of()));
    primaryCache.addIndexer(BY_SECRET, r -> secretKeyOf(r).map(List::of).orElse(List.of()));
    this.cache = primaryCache;
  }

  /**
   * Looks conflicts up in these stores of every shard's releases (see {@link AllShardsWatch}); each
   * indexes its releases by agent itself.
   */
  void attachAllShards(List<OtherShardsStore> views) {
    this.allShards = List.copyOf(views);
  }

  /**
   * The release that owns this release's agent, when it is another one: of the releases of the
   * agent that can act, the oldest. A release that cannot act (an invalid spec, suspended, Observe,
   * or Stalled for a reason other than this conflict: a wrong key, a refused agent) never blocks
   * another: a tenant must not be able to squat on an agent with a release that does nothing.
   */
  public Optional<AgentRelease> olderReleaseForSameAgent(AgentRelease release) {
    if (cache == null) {
      return Optional.empty();
    }
    return agentOf(release).stream()
        .flatMap(this::releasesOfAgent)
        .filter(other -> !sameObject(other, release))
        .filter(other -> AGE_ORDER.compare(other, release) < 0)
        .filter(ReleaseIndex::canAct)
        .min(AGE_ORDER);
  }

  /** Every release of {@code agent} the conflict rule must weigh: in all shards when sharded. */
  private Stream<AgentRelease> releasesOfAgent(String agent) {
    List<OtherShardsStore> views = allShards;
    if (views.isEmpty()) {
      return cache.byIndex(BY_AGENT, agent).stream();
    }
    return views.stream().flatMap(view -> view.releasesOf(agent));
  }

  /**
   * This instance's releases of the same agent as {@code other} (a release of any shard), but not
   * {@code other} itself: the releases whose conflict may have been decided by a change of {@code
   * other}.
   */
  Set<ResourceID> localReleasesOfTheSameAgent(AgentRelease other) {
    if (cache == null) {
      return Set.of();
    }
    return agentOf(other).stream()
        .flatMap(agent -> cache.byIndex(BY_AGENT, agent).stream())
        .filter(local -> !sameObject(local, other))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * What the conflict rule (and restore on delete's successor) reads of a release of another shard:
   * its agent, its age, whether it is being deleted and whether it can act. A change of anything
   * else (a status write with a new message, a new history entry) cannot change who owns an agent.
   */
  static List<Object> conflictView(AgentRelease release) {
    return List.of(
        agentOf(release).orElse(""),
        String.valueOf(release.getMetadata().getCreationTimestamp()),
        release.isMarkedForDeletion(),
        release.getSpec() != null && canAct(release));
  }

  /** Whether {@code release} would act on its agent if it won the conflict. */
  static boolean canAct(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    if (spec instanceof OtherShardsStore.KeptSpec kept) {
      return kept.canAct(); // another shard's release: decided on the whole object when stored
    }
    if (SpecValidator.problems(spec).isPresent() || spec.isSuspended() || spec.isObserveOnly()) {
      return false;
    }
    return Optional.ofNullable(release.getStatus())
        .flatMap(AgentReleaseStatus::ready)
        .flatMap(ready -> Reason.of(ready.getReason()))
        .map(reason -> reason == Reason.Conflict || reason.verdict() != Reason.Verdict.STALLED)
        .orElse(true);
  }

  /**
   * Another release of this release's agent that is not being deleted and can act: it manages the
   * agent once this one is gone, so restoring the previous version first would only be undone.
   */
  public Optional<AgentRelease> successorForSameAgent(AgentRelease release) {
    if (cache == null) {
      return Optional.empty();
    }
    return agentOf(release).stream()
        .flatMap(this::releasesOfAgent)
        .filter(other -> !sameObject(other, release))
        .filter(other -> !other.isMarkedForDeletion())
        .filter(ReleaseIndex::canAct)
        .min(AGE_ORDER);
  }

  /**
   * Releases using this Secret that are blocked on credentials (missing Secret or key, 401, 403): a
   * created or rotated Secret reconciles them at once. Releases that are fine, or failing for
   * another reason, are left to their own schedule: a Secret event is no news to them.
   */
  public Set<ResourceID> releasesBlockedOnCredentialsIn(Secret secret) {
    if (cache == null) {
      return Set.of();
    }
    String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    return cache.byIndex(BY_SECRET, key).stream()
        .filter(this::blockedOnCredentials)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** Notes the reason a reconcile of {@code release} ended with. */
  public void noteOutcome(AgentRelease release, Reason reason) {
    String uid = release.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    if (!reason.isCredentialProblem()) {
      credentialProblems.remove(uid);
      return;
    }
    credentialProblems.add(uid);
    if (credentialProblems.size() > sweepAbove.get() && cache != null) {
      Set<String> live =
          cache.list().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
      credentialProblems.retainAll(live);
      sweepAbove.set(Math.max(SWEEP_MINIMUM, 2 * credentialProblems.size()));
    }
  }

  private boolean blockedOnCredentials(AgentRelease release) {
    if (credentialProblems.contains(release.getMetadata().getUid())) {
      return true;
    }
    return Optional.ofNullable(release.getStatus())
        .flatMap(AgentReleaseStatus::ready)
        .flatMap(ready -> Reason.of(ready.getReason()))
        .filter(Reason::isCredentialProblem)
        .isPresent();
  }

  /** Whether a cached release names {@code agentId} (true until the cache is attached). */
  public boolean managesAgent(String agentId) {
    return cache == null || !cache.byIndex(BY_AGENT, agentId).isEmpty();
  }

  /**
   * A snapshot of the cached releases' UIDs as a test (everything passes until the cache is
   * attached), for sweeping per-release state.
   */
  public java.util.function.Predicate<String> cachedUids() {
    if (cache == null) {
      return uid -> true;
    }
    Set<String> uids = cache.list().map(r -> r.getMetadata().getUid()).collect(Collectors.toSet());
    return uids::contains;
  }

  /** All cached releases, for metrics. */
  public Stream<AgentRelease> all() {
    return cache == null ? Stream.empty() : cache.list();
  }

  private Optional<String> secretKeyOf(AgentRelease release) {
    AgentReleaseSpec spec = release.getSpec();
    String namespace = release.getMetadata().getNamespace();
    if (spec == null) {
      return Optional.empty();
    }
    if (spec.getApiKeySecretRef() != null) {
      return Optional.of(namespace + "/" + spec.getApiKeySecretRef().getName());
    }
    return defaultSecret
        .name()
        .filter(n -> !n.isBlank())
        .map(
            name ->
                defaultSecret.namespace().filter(ns -> !ns.isBlank()).orElse(namespace)
                    + "/"
                    + name);
  }

  private static Optional<String> agentOf(AgentRelease release) {
    return Optional.ofNullable(release.getSpec())
        .map(AgentReleaseSpec::getAgentId)
        .filter(a -> !a.isBlank());
  }

  private static boolean sameObject(AgentRelease a, AgentRelease b) {
    return a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
        && a.getMetadata().getName().equals(b.getMetadata().getName());
  }
}
