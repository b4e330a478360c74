package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.Consumer;

/**
 * Watches Secrets so that a created or rotated API key is used at once: an event reconciles the
 * releases that use the Secret and are blocked on credentials (see {@link ReleaseIndex}). The cache
 * keeps Secret metadata and a digest of the data, never the data ({@link SecretMetadataStore});
 * {@code changed} hears of every new revision and deletion.
 */
final class SecretWatch {

  private SecretWatch() {}

  static InformerEventSource<Secret, AgentRelease> eventSource(
      EventSourceContext<AgentRelease> context,
      ReleaseIndex releases,
      Consumer<ResourceID> changed) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, AgentRelease.class)
            .withSecondaryToPrimaryMapper(releases::releasesBlockedOnCredentialsIn)
            .withItemStore(new SecretMetadataStore(changed))
            // Only content changes matter; metadata-only updates are not news. The previous
            // Secret comes from the store, so contents are compared by digest.
            .withOnUpdateFilter(
                (updated, previous) ->
                    !SecretMetadataStore.dataDigest(updated)
                        .equals(SecretMetadataStore.dataDigest(previous)))
            .build(),
        context);
  }
}
