package ai.smallest.atoms.bench;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.PendingActivation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches every AgentRelease (as {@code kubectl wait --for=condition=Ready} would) and remembers
 * when each one first reported Ready=True for its current generation.
 */
public final class ReadyTracker implements AutoCloseable {

  private final Map<String, Long> readyAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> flapsByReason = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> reasonsSeen = new ConcurrentHashMap<>();
  private final Map<String, Integer> intentWrites = new ConcurrentHashMap<>();
  private final Map<String, java.util.Deque<String>> timelines = new ConcurrentHashMap<>();

  /** How many states the timeline of one release keeps (the newest). */
  private static final int TIMELINE = 100;

  private final SharedIndexInformer<AgentRelease> informer;

  public ReadyTracker(KubernetesClient client) {
    this.informer =
        client
            .resources(AgentRelease.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(AgentRelease release) {
                    look(release);
                  }

                  @Override
                  public void onUpdate(AgentRelease old, AgentRelease release) {
                    // A flap: Ready=True turned False while the spec (generation) stayed the same.
                    if (isReady(old)
                        && !isReady(release)
                        && Objects.equals(
                            old.getMetadata().getGeneration(),
                            release.getMetadata().getGeneration())) {
                      String reason = ready(release).map(Condition::getReason).orElse("(none)");
                      flapsByReason.merge(reason, 1, Integer::sum);
                    }
                    // A status write that set a new activation intent (status.pendingActivation).
                    PendingActivation before = pending(old);
                    PendingActivation after = pending(release);
                    if (after != null && !after.equals(before)) {
                      intentWrites.merge(key(release), 1, Integer::sum);
                    }
                    look(release);
                  }

                  @Override
                  public void onDelete(AgentRelease release, boolean unknownState) {
                    readyAtNanos.remove(key(release));
                  }
                },
                0);
  }

  private void look(AgentRelease release) {
    long now = System.nanoTime();
    java.util.Deque<String> timeline =
        timelines.computeIfAbsent(key(release), k -> new java.util.ArrayDeque<>());
    synchronized (timeline) {
      timeline.addLast(describe(release));
      if (timeline.size() > TIMELINE) {
        timeline.removeFirst();
      }
    }
    ready(release)
        .map(Condition::getReason)
        .ifPresent(
            reason ->
                reasonsSeen
                    .computeIfAbsent(key(release), k -> ConcurrentHashMap.newKeySet())
                    .add(reason));
    if (isReady(release)) {
      readyAtNanos.putIfAbsent(key(release), now);
    } else {
      // A new generation (spec edit) that is not Ready yet: forget the old Ready time.
      readyAtNanos.remove(key(release));
    }
  }

  public static boolean isReady(AgentRelease release) {
    return ready(release).map(c -> "True".equals(c.getStatus())).orElse(false)
        && release.getStatus() != null
        && Objects.equals(
            release.getStatus().getObservedGeneration(), release.getMetadata().getGeneration());
  }

  public static Optional<Condition> ready(AgentRelease release) {
    return release.getStatus() == null ? Optional.empty() : release.getStatus().ready();
  }

  public static String key(AgentRelease release) {
    return release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
  }

  /**
   * When the release first became Ready for its current generation (System.nanoTime), if it has.
   */
  public Long readyAt(String namespace, String name) {
    return readyAtNanos.get(namespace + "/" + name);
  }

  /** Ready=True to False transitions without a spec change, by the new reason. */
  public Map<String, Integer> flapsByReason() {
    return Map.copyOf(flapsByReason);
  }

  /** Every Ready reason the release's status has carried, as the watch delivered it. */
  public Set<String> reasonsSeen(String key) {
    return Set.copyOf(reasonsSeen.getOrDefault(key, Set.of()));
  }

  /**
   * Status writes the watch showed setting a new status.pendingActivation (the operator's intent,
   * written before each activate call), per release.
   */
  public Map<String, Integer> intentWrites() {
    return Map.copyOf(intentWrites);
  }

  /**
   * The states the watch delivered for one release, oldest first (at most the newest {@value
   * #TIMELINE}): for explaining a failed invariant.
   */
  public List<String> timeline(String key) {
    java.util.Deque<String> timeline = timelines.get(key);
    if (timeline == null) {
      return List.of();
    }
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  private static String describe(AgentRelease r) {
    StringBuilder line =
        new StringBuilder(java.time.Instant.now().toString())
            .append(" rv=")
            .append(r.getMetadata().getResourceVersion())
            .append(" gen=")
            .append(r.getMetadata().getGeneration());
    if (r.getSpec() != null) {
      line.append(" spec=v")
          .append(r.getSpec().getVersionNumber())
          .append('/')
          .append(r.getSpec().getVersionId());
    }
    var status = r.getStatus();
    if (status != null) {
      line.append(" observedGen=")
          .append(status.getObservedGeneration())
          .append(" ready=")
          .append(ready(r).map(c -> c.getStatus() + "/" + c.getReason()).orElse("-"))
          .append(" live=")
          .append(status.getVersionId())
          .append(" pending=")
          .append(
              status.getPendingActivation() == null
                  ? "-"
                  : status.getPendingActivation().getVersionId()
                      + "@gen"
                      + status.getPendingActivation().getGeneration())
          .append(" history=")
          .append(
              status.getHistory().stream()
                  .map(h -> h.getVersionId() + "@" + h.getActivatedAt())
                  .toList());
    }
    return line.toString();
  }

  private static PendingActivation pending(AgentRelease release) {
    return release.getStatus() == null ? null : release.getStatus().getPendingActivation();
  }

  public int readyCount() {
    return readyAtNanos.size();
  }

  /** The informer's view of every release. */
  public java.util.List<AgentRelease> releases() {
    return informer.getStore().list();
  }

  @Override
  public void close() {
    informer.close();
  }
}
