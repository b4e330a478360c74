package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;

/**
 * When this instance is a shard (its controller has a label selector), its own cache holds only its
 * shard's releases, but one release per agent is a cluster-wide rule. This watch sees the
 * AgentReleases of every shard, in the namespaces the controller watches, and keeps of each only
 * what the conflict rule reads ({@link ReleaseIndex#olderReleaseForSameAgent}, and {@link
 * ReleaseIndex#successorForSameAgent} for restore on delete): name, namespace, uid,
 * creationTimestamp, deletionTimestamp, spec (bounded by the CRD) and status.conditions. Not
 * status.history, not managedFields, annotations or labels: those are most of a stored release.
 *
 * <p>Why not a metadata-only (PartialObjectMetadata) watch: the agent is in spec.agentId, and
 * whether the other release can act is in its spec and its Ready condition; metadata has neither.
 *
 * <p>The watch also reconciles this shard's releases of an agent when another shard's release of
 * that agent appears, goes, or starts or stops being able to act, so a loser takes over as soon as
 * the owner is deleted, rather than at its next conflict re-check. The informers start, and sync,
 * before the controller's first reconcile (JOSDK starts event sources first), so no shard acts on
 * an agent before it has seen every shard's releases.
 *
 * <p>One event source per watched namespace, each with its own store: JOSDK gives one item store to
 * all the informers of an event source, and an informer's re-list removes from its store every key
 * it did not list, which would drop the other namespaces' releases.
 */
final class AllShardsWatch {

  static final String NAME = "agentreleases-all-shards";

  /** The fields kept of another shard's release; name, namespace and resourceVersion always. */
  static final String[] KEPT_FIELDS = {
    "metadata.uid",
    "metadata.creationTimestamp",
    "metadata.deletionTimestamp",
    "spec",
    "status.conditions"
  };

  private AllShardsWatch() {}

  /** Whether the controller sees only part of the releases (a label selector is set). */
  static boolean sharded(EventSourceContext<AgentRelease> context) {
    String selector = context.getControllerConfiguration().getInformerConfig().getLabelSelector();
    return selector != null && !selector.isBlank();
  }

  /** The event sources; none when this instance is not a shard (its cache already sees all). */
  static List<InformerEventSource<AgentRelease, AgentRelease>> eventSources(
      EventSourceContext<AgentRelease> context, ReleaseIndex releases) {
    if (!sharded(context)) {
      return List.of();
    }
    Set<String> namespaces =
        context.getControllerConfiguration().getInformerConfig().getNamespaces();
    if (InformerConfiguration.allNamespacesWatched(namespaces)
        || InformerConfiguration.currentNamespaceWatched(namespaces)) {
      return List.of(eventSource(context, releases, NAME, namespaces));
    }
    return namespaces.stream()
        .sorted()
        .map(ns -> eventSource(context, releases, NAME + "-" + ns, Set.of(ns)))
        .toList();
  }

  private static InformerEventSource<AgentRelease, AgentRelease> eventSource(
      EventSourceContext<AgentRelease> context,
      ReleaseIndex releases,
      String name,
      Set<String> namespaces) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AgentRelease.class, AgentRelease.class)
            .withName(name)
            .withNamespaces(namespaces)
            .withFollowControllerNamespacesChanges(false)
            .withItemStore(
                new ReducedStateItemStore<>(
                    ReducedStateItemStore.NAME_KEY_STATE,
                    AgentRelease.class,
                    context.getClient().getKubernetesSerialization(),
                    KEPT_FIELDS))
            .withSecondaryToPrimaryMapper(releases::localReleasesOfTheSameAgent)
            // A status write that leaves the agent and the ability to act as they were is no news.
            .withOnUpdateFilter(
                (updated, previous) ->
                    !ReleaseIndex.conflictView(updated).equals(ReleaseIndex.conflictView(previous)))
            .build(),
        context);
  }
}
