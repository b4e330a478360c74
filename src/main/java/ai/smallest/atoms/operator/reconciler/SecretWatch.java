package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;

/**
 * Watches Secrets so that a created or rotated API key is used at once: an event reconciles the
 * releases that use the Secret and are blocked on credentials (see {@link ReleaseIndex}).
 */
final class SecretWatch {

  private SecretWatch() {}

  static InformerEventSource<Secret, AgentRelease> eventSource(
      EventSourceContext<AgentRelease> context, ReleaseIndex releases) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, AgentRelease.class)
            .withSecondaryToPrimaryMapper(releases::releasesBlockedOnCredentialsIn)
            // Only content changes matter; metadata-only updates are not news.
            .withOnUpdateFilter(
                (updated, previous) ->
                    !Objects.equals(updated.getData(), previous.getData())
                        || !Objects.equals(updated.getStringData(), previous.getStringData()))
            .build(),
        context);
  }
}
