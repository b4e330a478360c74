package ai.smallest.atoms.bench;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches every AgentRelease (as {@code kubectl wait --for=condition=Ready} would) and remembers
 * when each one first reported Ready=True for its current generation.
 */
public final class ReadyTracker implements AutoCloseable {

  private final Map<String, Long> readyAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> flapsByReason = new ConcurrentHashMap<>();
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
