package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.ManagementPolicy;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.ConditionList;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
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

  /** Every shard's releases as the all-shards watch keeps them. */
  private static List<OtherShardsStore> allShards(AgentRelease... releases) {
    OtherShardsStore store = new OtherShardsStore();
    for (AgentRelease release : releases) {
      store.put(store.getKey(release), release);
    }
    return List.of(store);
  }

  private static Optional<ResourceID> id(Optional<AgentRelease> release) {
    return release.map(ResourceID::fromResource);
  }

  private static ResourceID id(AgentRelease release) {
    return ResourceID.fromResource(release);
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
    shardB.attachAllShards(allShards(olderInShardA, newerInShardB, otherAgentInShardB));

    assertThat(id(shardB.olderReleaseForSameAgent(newerInShardB))).contains(id(olderInShardA));
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
    shardB.attachAllShards(allShards(olderInShardA));

    assertThat(olderInShardA.getStatus()).isNull();
    assertThat(id(shardB.olderReleaseForSameAgent(newerInShardB))).contains(id(olderInShardA));
  }

  @Test
  void aReleaseInAnotherShardThatCannotActBlocksNothing() {
    ReleaseIndex shardB = index();
    shardB.attach(new ListCache(newerInShardB));
    shardB.attachAllShards(allShards(withReady(olderInShardA, "False", Reason.Unauthorized)));

    assertThat(shardB.olderReleaseForSameAgent(newerInShardB)).isEmpty();
  }

  @Test
  void theNewerReleaseNeverBlocksTheOlderOneAcrossShards() {
    ReleaseIndex shardA = index();
    shardA.attach(new ListCache(olderInShardA));
    shardA.attachAllShards(allShards(olderInShardA, newerInShardB));

    assertThat(shardA.olderReleaseForSameAgent(olderInShardA)).isEmpty();
  }

  @Test
  void restoreOnDeleteSeesTheSuccessorInAnotherShard() {
    ReleaseIndex shardA = index();
    shardA.attach(new ListCache(olderInShardA));
    List<OtherShardsStore> stores = allShards(olderInShardA, newerInShardB);
    shardA.attachAllShards(stores);

    assertThat(id(shardA.successorForSameAgent(olderInShardA))).contains(id(newerInShardB));

    newerInShardB.getMetadata().setDeletionTimestamp("2026-12-01T12:00:00Z");
    stores.get(0).put(stores.get(0).getKey(newerInShardB), newerInShardB);
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
  void theKeptCopyOfAnotherShardsReleaseDecidesAsTheWholeObjectWould() {
    OtherShardsStore store = new OtherShardsStore();
    AgentRelease suspended = release("ns", "suspended", "agent-1", "2026-12-01T10:00:00Z");
    suspended.getSpec().setSuspend(true);
    AgentRelease observing = release("ns", "observing", "agent-1", "2026-12-01T10:00:00Z");
    observing.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    AgentRelease invalid = release("ns", "invalid", "agent-1", "2026-12-01T10:00:00Z");
    invalid.getSpec().setVersionId("64b8f9a2e4b0c123456789ab"); // and a versionNumber: two
    AgentRelease oddTimestamp = release("ns", "odd", "agent-1", "2026-12-01T10:00:00.5+01:00");
    oddTimestamp.getMetadata().setUid("not-a-uuid");
    oddTimestamp.getMetadata().setResourceVersion("rv-007");
    for (AgentRelease whole :
        List.of(
            withReady(
                release("ns", "ready", "agent-1", "2026-12-01T10:00:00Z"), "True", Reason.UpToDate),
            withReady(
                release("ns", "stalled", "agent-1", "2026-12-01T10:00:00Z"),
                "False",
                Reason.Forbidden),
            withReady(
                release("ns", "lost", "agent-1", "2026-12-01T10:00:00Z"), "False", Reason.Conflict),
            release("ns", "new", "agent-1", "2026-12-01T10:00:00Z"),
            suspended,
            observing,
            invalid,
            oddTimestamp)) {
      if (whole.getMetadata().getResourceVersion() == null) {
        whole.getMetadata().setResourceVersion("7");
      }
      if (whole.getMetadata().getUid() == null) {
        whole.getMetadata().setUid("1f0e7c52-93b4-4c71-8d1e-1c2b3a4d5e6f");
      }
      if (whole.getMetadata().getName().equals("lost")) {
        whole.getMetadata().setDeletionTimestamp("2026-12-01T11:00:00Z");
      }

      store.put(store.getKey(whole), whole);
      AgentRelease kept = store.get(store.getKey(whole));

      assertThat(ReleaseIndex.conflictView(kept)).isEqualTo(ReleaseIndex.conflictView(whole));
      assertThat(ReleaseIndex.canAct(kept)).isEqualTo(ReleaseIndex.canAct(whole));
      assertThat(kept.isMarkedForDeletion()).isEqualTo(whole.isMarkedForDeletion());
      assertThat(kept.getMetadata().getName()).isEqualTo(whole.getMetadata().getName());
      assertThat(kept.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(kept.getMetadata().getUid()).isEqualTo(whole.getMetadata().getUid());
      assertThat(kept.getMetadata().getResourceVersion())
          .isEqualTo(whole.getMetadata().getResourceVersion());
      assertThat(kept.getMetadata().getCreationTimestamp())
          .isEqualTo(whole.getMetadata().getCreationTimestamp());
      assertThat(kept.getMetadata().getDeletionTimestamp())
          .isEqualTo(whole.getMetadata().getDeletionTimestamp());
    }
    assertThat(store.values().filter(ReleaseIndex::canAct).map(r -> r.getMetadata().getName()))
        .containsExactlyInAnyOrder("ready", "lost", "new", "odd");
  }

  @Test
  void aShardKeepsOfAnotherShardsReleaseNoMessagesHistoryLabelsAnnotationsOrManagedFields() {
    AgentRelease whole =
        withReady(
            release("team-a", "support", "agent-1", "2026-12-01T10:00:00Z"),
            "False",
            Reason.Unauthorized);
    whole.getMetadata().setUid("1f0e7c52-93b4-4c71-8d1e-1c2b3a4d5e6f");
    whole.getMetadata().setResourceVersion("123456");
    whole.getMetadata().setLabels(Map.of("atoms.smallest.ai/shard", "a"));
    whole
        .getMetadata()
        .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied", "x".repeat(500)));
    whole
        .getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl-client-side-apply")
                    .withOperation("Update")
                    .build()));
    ActivationRecord record = new ActivationRecord();
    record.setVersionId("64b8f9a2e4b0c123456789ab");
    whole.getStatus().getHistory().add(record);
    whole.getStatus().setVersionId("64b8f9a2e4b0c123456789ab");
    whole.getSpec().setInterval("5m");
    OtherShardsStore store = new OtherShardsStore();

    store.put(store.getKey(whole), whole);
    AgentRelease kept = store.get(store.getKey(whole));

    assertThat(kept.getStatus()).isNull();
    assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getSpec()).isInstanceOf(OtherShardsStore.KeptSpec.class);
    assertThat(kept.getSpec().getAgentId()).isEqualTo("agent-1");
    assertThat(kept.getSpec().getInterval()).isNull();
    assertThat(kept.getSpec().getVersionNumber()).isNull();
    assertThat(kept.getSpec().getApiKeySecretRef()).isNull();
    // All a read can rebuild is all the store holds: a few short metadata fields and the agent.
    String json = new KubernetesSerialization().asJson(kept);
    assertThat(json)
        .doesNotContain("64b8f9a2e4b0c123456789ab", "xxxxx", "kubectl", "shard", "\"m\"", "5m");
    assertThat(json.length()).isLessThan(400);
  }

  @Test
  void theKeptIndexByAgentFollowsUpdatesAndDeletes() {
    OtherShardsStore store = new OtherShardsStore();
    AgentRelease first = release("ns", "first", "agent-1", "2026-12-01T10:00:00Z");
    AgentRelease second = release("ns", "second", "agent-1", "2026-12-01T11:00:00Z");
    store.put(store.getKey(first), first);
    store.put(store.getKey(second), second);

    assertThat(store.releasesOf("agent-1").map(ResourceID::fromResource))
        .containsExactlyInAnyOrder(id(first), id(second));

    AgentRelease moved = release("ns", "first", "agent-2", "2026-12-01T10:00:00Z");
    assertThat(store.put(store.getKey(moved), moved).getSpec().getAgentId()).isEqualTo("agent-1");
    assertThat(store.releasesOf("agent-1").map(ResourceID::fromResource))
        .containsExactly(id(second));
    assertThat(store.releasesOf("agent-2").map(ResourceID::fromResource))
        .containsExactly(id(first));

    assertThat(store.remove(store.getKey(second))).isNotNull();
    assertThat(store.releasesOf("agent-1")).isEmpty();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("ns/first");
  }
}
