package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Writes a release's status through the status subresource; replaced by a fake in unit tests. */
@FunctionalInterface
public interface StatusWriter {

  /**
   * Writes {@code status} onto {@code release} (whose own status is what is stored now) and returns
   * the release as the API server answered. A failure is thrown: JOSDK retries the reconcile.
   */
  AgentRelease write(
      AgentRelease release, AgentReleaseStatus status, Context<AgentRelease> context);

  /**
   * The release as the API server stores it now (not as the informer cached it), or empty when it
   * is gone: the base for writing again after a conflict.
   */
  default java.util.Optional<AgentRelease> latest(
      AgentRelease release, Context<AgentRelease> context) {
    return java.util.Optional.ofNullable(context.getClient().resource(release).get());
  }
}
