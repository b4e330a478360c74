package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What the reconciler watches besides its AgentReleases: it indexes releases by agent and by
 * Secret, watches Secrets so a new or rotated key is used at once, and wakes a release waiting for
 * its Atoms account when a slot is set aside for it. A shard (a controller with a label selector)
 * also watches every shard's releases, for the cluster-wide one-release-per-agent rule ({@link
 * AllShardsWatch}).
 */
final class ReleaseEventSources {

  private ReleaseEventSources() {}

  static List<EventSource<?, AgentRelease>> prepare(
      EventSourceContext<AgentRelease> context,
      ReleaseIndex releases,
      ApiKeyResolver apiKeys,
      AccountWakeups wakeups,
      OperatorMetrics metrics) {
    releases.attach(context.getPrimaryCache());
    metrics.countReleasesFrom(releases::all);
    var secrets = SecretWatch.eventSource(context, releases, apiKeys::forget);
    apiKeys.useInformerCache(secrets::get);
    var allShards = AllShardsWatch.eventSources(context, releases);
    List<EventSource<?, AgentRelease>> sources = new ArrayList<>();
    sources.add(secrets);
    sources.add(wakeups.eventSource(context));
    sources.addAll(allShards);
    return sources;
  }
}
