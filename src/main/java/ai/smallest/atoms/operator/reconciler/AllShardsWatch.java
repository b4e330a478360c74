package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * When this instance is a shard (its controller has a label selector), its own cache holds only its
 * shard's releases, but one release per agent is a cluster-wide rule. This watch sees the
 * AgentReleases of every shard, in the namespaces the controller watches, and keeps of each only
 * what the conflict rule reads ({@link ReleaseIndex#olderReleaseForSameAgent}, and {@link
 * ReleaseIndex#successorForSameAgent} for restore on delete): name, namespace, uid,
 * resourceVersion, creationTimestamp, deletionTimestamp, spec.agentId and whether it can act, in an
 * {@link OtherShardsStore} (about 0.37 KB per release). Not the rest of the spec, not status,
 * managedFields, annotations or labels.
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

  private AllShardsWatch() {}

  /** Whether the controller sees only part of the releases (a label selector is set). */
  static boolean sharded(EventSourceContext<AgentRelease> context) {
    String selector = context.getControllerConfiguration().getInformerConfig().getLabelSelector();
    return selector != null && !selector.isBlank();
  }

  /**
   * The event sources, each with its store, attached to {@code releases}; none when this instance
   * is not a shard (its cache already sees all).
   */
  static List<InformerEventSource<AgentRelease, AgentRelease>> eventSources(
      EventSourceContext<AgentRelease> context, ReleaseIndex releases) {
    if (!sharded(context)) {
      return List.of();
    }
    Set<String> namespaces =
        context.getControllerConfiguration().getInformerConfig().getNamespaces();
    List<OtherShardsStore> stores = new ArrayList<>();
    List<InformerEventSource<AgentRelease, AgentRelease>> sources;
    if (InformerConfiguration.allNamespacesWatched(namespaces)
        || InformerConfiguration.currentNamespaceWatched(namespaces)) {
      sources = List.of(eventSource(context, releases, NAME, namespaces, stores));
    } else {
      sources =
          namespaces.stream()
              .sorted()
              .map(ns -> eventSource(context, releases, NAME + "-" + ns, Set.of(ns), stores))
              .toList();
    }
    releases.attachAllShards(stores);
    return sources;
  }

  private static InformerEventSource<AgentRelease, AgentRelease> eventSource(
      EventSourceContext<AgentRelease> context,
      ReleaseIndex releases,
      String name,
      Set<String> namespaces,
      List<OtherShardsStore> stores) {
    OtherShardsStore store = new OtherShardsStore();
    stores.add(store);
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AgentRelease.class, AgentRelease.class)
            .withName(name)
            .withNamespaces(namespaces)
            .withFollowControllerNamespacesChanges(false)
            .withItemStore(store)
            .withSecondaryToPrimaryMapper(releases::localReleasesOfTheSameAgent)
            // A status write that leaves the agent and the ability to act as they were is no news.
            .withOnUpdateFilter(
                (updated, previous) ->
                    !ReleaseIndex.conflictView(updated).equals(ReleaseIndex.conflictView(previous)))
            .build(),
        context);
  }
}
