package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The item store of {@link AllShardsWatch}: of every shard's release, exactly what the
 * one-release-per-agent rule and restore on delete read, in a compact record (about 0.37 KB per
 * release with the informer's own key and namespace index, against 3.8 KB for Fabric8's {@code
 * ReducedStateItemStore} keeping {@code spec} and {@code status.conditions}, measured in
 * BENCHMARKS.md, "Two shards side by side"): namespace and name (the key), uid, resourceVersion
 * (the informer compares it), creationTimestamp, deletionTimestamp, {@code spec.agentId}, and
 * whether the release can act ({@link ReleaseIndex#canAct}), decided once when the release is
 * stored.
 *
 * <p>Why not {@code ReducedStateItemStore} with narrower fields: "can act" depends on the whole
 * spec (every rule of {@link SpecValidator}, suspend, managementPolicy) and on the Ready
 * condition's reason only, and a field path can select neither a verdict nor one element of the
 * conditions list; it also keeps each field as a generic JSON tree (maps of maps), and rebuilds the
 * object with Jackson on every read. Why its own index by agent instead of a Fabric8 indexer: the
 * informer's index keeps a concurrent set per agent, about 240 bytes for an agent with one release,
 * as much as the record itself.
 *
 * <p>A read returns a new {@link AgentRelease} with that metadata and a {@link KeptSpec}: the agent
 * and the can-act verdict, nothing else. Writes come from the informer only (under its cache lock);
 * reads may come from any thread and see each release either before or after a write.
 */
final class OtherShardsStore implements ItemStore<AgentRelease> {

  /** A release of some shard as this shard keeps it. */
  private record Kept(
      String key,
      String agentId,
      Object uid,
      Object resourceVersion,
      Object created,
      String deletion,
      boolean canAct) {}

  /**
   * The spec of a kept release: its agent, and whether the whole spec and the Ready reason allowed
   * it to act when it was stored. Not a spec to validate: {@link ReleaseIndex#canAct} reads the
   * verdict instead.
   */
  static final class KeptSpec extends AgentReleaseSpec {
    private final boolean canAct;

    KeptSpec(String agentId, boolean canAct) {
      setAgentId(agentId);
      this.canAct = canAct;
    }

    boolean canAct() {
      return canAct;
    }
  }

  private final ConcurrentHashMap<String, Kept> byKey = new ConcurrentHashMap<>();

  /** Agent to its releases: a {@link Kept}, or a {@code Kept[]} when several name it. */
  private final ConcurrentHashMap<String, Object> byAgent = new ConcurrentHashMap<>();

  /** The releases kept of {@code agentId}. */
  Stream<AgentRelease> releasesOf(String agentId) {
    Object kept = byAgent.get(agentId);
    if (kept == null) {
      return Stream.empty();
    }
    return kept instanceof Kept one
        ? Stream.of(restore(one))
        : Arrays.stream((Kept[]) kept).map(OtherShardsStore::restore);
  }

  @Override
  public String getKey(AgentRelease release) {
    return Cache.metaNamespaceKeyFunc(release);
  }

  @Override
  public AgentRelease put(String key, AgentRelease release) {
    ObjectMeta meta = release.getMetadata();
    String agentId = release.getSpec() == null ? null : release.getSpec().getAgentId();
    Kept kept =
        new Kept(
            key,
            agentId,
            compact(meta.getUid(), OtherShardsStore::uuid),
            compact(meta.getResourceVersion(), OtherShardsStore::number),
            compact(meta.getCreationTimestamp(), OtherShardsStore::instant),
            meta.getDeletionTimestamp(),
            release.getSpec() != null && ReleaseIndex.canAct(release));
    Kept old = byKey.put(key, kept);
    if (old != null && old.agentId() != null && !old.agentId().equals(agentId)) {
      byAgent.computeIfPresent(old.agentId(), (agent, value) -> without(value, key));
    }
    if (agentId != null) {
      // Replaced in one step: a reader never finds the agent without this release meanwhile.
      byAgent.compute(agentId, (agent, value) -> with(without(value, key), kept));
    }
    return restore(old);
  }

  @Override
  public AgentRelease remove(String key) {
    Kept old = byKey.remove(key);
    if (old != null && old.agentId() != null) {
      byAgent.computeIfPresent(old.agentId(), (agent, value) -> without(value, key));
    }
    return restore(old);
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<AgentRelease> values() {
    return byKey.values().stream().map(OtherShardsStore::restore);
  }

  @Override
  public AgentRelease get(String key) {
    return restore(byKey.get(key));
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  private static Object with(Object value, Kept added) {
    if (value == null) {
      return added;
    }
    Kept[] all = value instanceof Kept one ? new Kept[] {one} : (Kept[]) value;
    Kept[] more = Arrays.copyOf(all, all.length + 1);
    more[all.length] = added;
    return more;
  }

  private static Object without(Object value, String key) {
    if (value == null) {
      return null;
    }
    if (value instanceof Kept one) {
      return one.key().equals(key) ? null : one;
    }
    Kept[] rest =
        Arrays.stream((Kept[]) value).filter(k -> !k.key().equals(key)).toArray(Kept[]::new);
    return rest.length == 0 ? null : rest.length == 1 ? rest[0] : rest;
  }

  private static AgentRelease restore(Kept kept) {
    if (kept == null) {
      return null;
    }
    ObjectMeta meta = new ObjectMeta();
    int slash = kept.key().indexOf('/');
    meta.setNamespace(slash < 0 ? null : kept.key().substring(0, slash));
    meta.setName(kept.key().substring(slash + 1));
    meta.setUid(text(kept.uid()));
    meta.setResourceVersion(text(kept.resourceVersion()));
    meta.setCreationTimestamp(text(kept.created()));
    meta.setDeletionTimestamp(kept.deletion());
    AgentRelease release = new AgentRelease();
    release.setMetadata(meta);
    release.setSpec(new KeptSpec(kept.agentId(), kept.canAct()));
    return release;
  }

  /**
   * {@code text} in a smaller form when that form prints back exactly as {@code text} (a UUID is 32
   * bytes against 80 for its text), else {@code text} itself.
   */
  private static Object compact(String text, Function<String, Object> parse) {
    if (text == null) {
      return null;
    }
    try {
      Object parsed = parse.apply(text);
      return parsed.toString().equals(text) ? parsed : text;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return text;
    }
  }

  private static String text(Object compact) {
    return compact == null ? null : compact.toString();
  }

  private static Object uuid(String text) {
    return UUID.fromString(text);
  }

  private static Object number(String text) {
    return Long.valueOf(text);
  }

  private static Object instant(String text) {
    return Instant.parse(text);
  }
}
