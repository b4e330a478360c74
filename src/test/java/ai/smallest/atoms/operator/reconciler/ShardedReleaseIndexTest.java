package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.ConditionList;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 point 2: a shard reconciles only its releases, but one release per agent stays a
 * cluster-wide rule, decided on a pruned view of every shard's releases.
 */
class ShardedReleaseIndexTest {

  /** A cache over a fixed list, indexed as JOSDK's would be. */
  static final class ListCache implements IndexerResourceCache<AgentRelease> {
    private final List<AgentRelease> items = new ArrayList<>();
    private final Map<String, Function<AgentRelease, List<String>>> indexers = new HashMap<>();

    ListCache(AgentRelease... releases) {
      items.addAll(List.of(releases));
    }

    @Override
    public void addIndexers(Map<String, Function<AgentRelease, List<String>>> more) {
      indexers.putAll(more);
    }

    @Override
    public List<AgentRelease> byIndex(String indexName, String indexKey) {
      return items.stream()
          .filter(r -> indexers.get(indexName).apply(r).contains(indexKey))
          .toList();
    }

    @Override
    public Optional<AgentRelease> get(ResourceID id) {
      return items.stream().filter(r -> ResourceID.fromResource(r).equals(id)).findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
      return items.stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<AgentRelease> list(Predicate<AgentRelease> predicate) {
      return items.stream().filter(predicate);
    }

    @Override
    public Stream<AgentRelease> list(String namespace, Predicate<AgentRelease> predicate) {
      return list(predicate.and(r -> r.getMetadata().getNamespace().equals(namespace)));
    }
  }

  private static AgentRelease release(String namespace, String name, String agent, String created) {
    AgentRelease r = TestReleases.byNumber(namespace, name, agent, 1, "atoms");
    r.getMetadata().setCreationTimestamp(created);
    return r;
  }

  private static AgentRelease withReady(AgentRelease release, String status, Reason reason) {
    ConditionList conditions = new ConditionList(null);
    conditions.set("Ready", status, reason.value(), "m", 1L, "2026-12-01T00:00:00Z");
    AgentReleaseStatus s = new AgentReleaseStatus();
    s.setConditions(conditions.toList());
    release.setStatus(s);
    return release;
  }

  private static ReleaseIndex index() {
    OperatorConfig config =
        (OperatorConfig)
            Proxy.newProxyInstance(
                OperatorConfig.class.getClassLoader(),
                new Class<?>[] {OperatorConfig.class},
                (proxy, method, args) ->
                    method.getName().equals("defaultApiKeySecret")
                        ? Proxy.newProxyInstance(
                            OperatorConfig.class.getClassLoader(),
                            new Class<?>[] {OperatorConfig.DefaultApiKeySecret.class},
                            (p, m, a) -> m.getName().equals("key") ? "apiKey" : Optional.empty())
                        : null);
    return new ReleaseIndex(config);
  }

  private final AgentRelease olderInShardA =
      release("team-a", "older", "agent-1", "2026-12-01T10:00:00Z");
  private final AgentRelease newerInShardB =
      release("team-a", "newer", "agent-1", "2026-12-01T11:00:00Z");
  private final AgentRelease otherAgentInShardB =
      release("team-b", "other", "agent-2", "2026-12-01T09:00:00Z");

  @Test
  void aShardYieldsToAnOlderReleaseOfTheSameAgentInAnotherShard() {
    ReleaseIndex shardB = index();
    shardB.attach(new ListCache(newerInShardB, otherAgentInShardB));
    shardB.attachAllShards(
        List.of(new ListCache(olderInShardA, newerInShardB, otherAgentInShardB)));

    assertThat(shardB.olderReleaseForSameAgent(newerInShardB)).contains(olderInShardA);
    assertThat(shardB.olderReleaseForSameAgent(otherAgentInShardB)).isEmpty();
  }

  @Test
  void withoutTheAllShardsViewTheShardWouldNotSeeTheOwner() {
    ReleaseIndex shardB = index();
    shardB.attach(new ListCache(newerInShardB));

    assertThat(shardB.olderReleaseForSameAgent(newerInShardB)).isEmpty();
  }

  @Test
  void theOlderReleaseOfAnotherShardWinsEvenBeforeThatShardWroteAnyStatus() {
    ReleaseIndex shardB = index();
    shardB.attach(new ListCache(newerInShardB));
    shardB.attachAllShards(List.of(new ListCache(olderInShardA)));

    assertThat(olderInShardA.getStatus()).isNull();
    assertThat(shardB.olderReleaseForSameAgent(newerInShardB)).contains(olderInShardA);
  }

  @Test
  void aReleaseInAnotherShardThatCannotActBlocksNothing() {
    ReleaseIndex shardB = index();
    shardB.attach(new ListCache(newerInShardB));
    shardB.attachAllShards(
        List.of(new ListCache(withReady(olderInShardA, "False", Reason.Unauthorized))));

    assertThat(shardB.olderReleaseForSameAgent(newerInShardB)).isEmpty();
  }

  @Test
  void theNewerReleaseNeverBlocksTheOlderOneAcrossShards() {
    ReleaseIndex shardA = index();
    shardA.attach(new ListCache(olderInShardA));
    shardA.attachAllShards(List.of(new ListCache(olderInShardA, newerInShardB)));

    assertThat(shardA.olderReleaseForSameAgent(olderInShardA)).isEmpty();
  }

  @Test
  void restoreOnDeleteSeesTheSuccessorInAnotherShard() {
    ReleaseIndex shardA = index();
    shardA.attach(new ListCache(olderInShardA));
    shardA.attachAllShards(List.of(new ListCache(olderInShardA, newerInShardB)));

    assertThat(shardA.successorForSameAgent(olderInShardA)).contains(newerInShardB);

    newerInShardB.getMetadata().setDeletionTimestamp("2026-12-01T12:00:00Z");
    assertThat(shardA.successorForSameAgent(olderInShardA)).isEmpty();
  }

  @Test
  void anotherShardsReleaseWakesThisShardsReleasesOfTheSameAgentOnly() {
    ReleaseIndex shardB = index();
    AgentRelease secondInB = release("team-c", "second", "agent-1", "2026-12-01T12:00:00Z");
    shardB.attach(new ListCache(newerInShardB, secondInB, otherAgentInShardB));

    assertThat(shardB.localReleasesOfTheSameAgent(olderInShardA))
        .containsExactlyInAnyOrder(
            ResourceID.fromResource(newerInShardB), ResourceID.fromResource(secondInB));
    assertThat(shardB.localReleasesOfTheSameAgent(newerInShardB))
        .containsExactly(ResourceID.fromResource(secondInB));
  }

  @Test
  void onlyAChangeOfAgentAgeOrAbilityToActIsNewsToOtherShards() {
    AgentRelease before = withReady(release("ns", "r", "agent-1", "t1"), "True", Reason.UpToDate);
    AgentRelease newMessage =
        withReady(release("ns", "r", "agent-1", "t1"), "True", Reason.Activated);
    AgentRelease stalled =
        withReady(release("ns", "r", "agent-1", "t1"), "False", Reason.Unauthorized);
    AgentRelease suspended = release("ns", "r", "agent-1", "t1");
    suspended.getSpec().setSuspend(true);
    AgentRelease otherAgent = release("ns", "r", "agent-9", "t1");

    assertThat(ReleaseIndex.conflictView(newMessage)).isEqualTo(ReleaseIndex.conflictView(before));
    assertThat(ReleaseIndex.conflictView(stalled)).isNotEqualTo(ReleaseIndex.conflictView(before));
    assertThat(ReleaseIndex.conflictView(suspended))
        .isNotEqualTo(ReleaseIndex.conflictView(before));
    assertThat(ReleaseIndex.conflictView(otherAgent))
        .isNotEqualTo(ReleaseIndex.conflictView(before));
  }

  @Test
  void thePrunedCopyOfAnotherShardsReleaseDecidesAsTheWholeObjectWouldAndDropsItsHistory() {
    var store =
        new ReducedStateItemStore<>(
            ReducedStateItemStore.NAME_KEY_STATE,
            AgentRelease.class,
            new KubernetesSerialization(),
            AllShardsWatch.KEPT_FIELDS);
    for (AgentRelease whole :
        List.of(
            withReady(
                release("ns", "ready", "agent-1", "2026-12-01T10:00:00Z"), "True", Reason.UpToDate),
            withReady(
                release("ns", "stalled", "agent-1", "2026-12-01T10:00:00Z"),
                "False",
                Reason.Forbidden),
            withReady(
                release("ns", "lost", "agent-1", "2026-12-01T10:00:00Z"),
                "False",
                Reason.Conflict))) {
      whole.getMetadata().setResourceVersion("7");
      if (whole.getMetadata().getName().equals("lost")) {
        whole.getMetadata().setDeletionTimestamp("2026-12-01T11:00:00Z");
      }
      whole.getMetadata().setLabels(Map.of("atoms.smallest.ai/shard", "a"));
      whole.getStatus().getHistory().add(new ActivationRecord());
      whole.getStatus().setVersionId("64b8f9a2e4b0c123456789ab");

      store.put(store.getKey(whole), whole);
      AgentRelease pruned = store.get(store.getKey(whole));

      assertThat(ReleaseIndex.conflictView(pruned)).isEqualTo(ReleaseIndex.conflictView(whole));
      assertThat(ReleaseIndex.canAct(pruned)).isEqualTo(ReleaseIndex.canAct(whole));
      assertThat(pruned.isMarkedForDeletion()).isEqualTo(whole.isMarkedForDeletion());
      assertThat(pruned.getMetadata().getName()).isEqualTo(whole.getMetadata().getName());
      assertThat(pruned.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(pruned.getMetadata().getUid()).isEqualTo(whole.getMetadata().getUid());
      assertThat(pruned.getSpec()).usingRecursiveComparison().isEqualTo(whole.getSpec());
      assertThat(pruned.getStatus().getHistory()).isEmpty();
      assertThat(pruned.getStatus().getVersionId()).isNull();
      assertThat(pruned.getMetadata().getLabels()).isNullOrEmpty();
    }
  }
}
