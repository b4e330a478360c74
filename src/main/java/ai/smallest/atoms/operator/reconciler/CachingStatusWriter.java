package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Patches status with a JSON patch computed from the stored status (so a status-less object gets
 * one {@code add /status}, which every API server accepts) and puts the answer into JOSDK's cache
 * at once: the next reconcile compares against what it wrote, never against a cache that has not
 * yet seen the write. Without that, "write only when changed" could compare with a stale baseline
 * and leave an older status on the object.
 *
 * <p>This is what JOSDK's {@code PrimaryUpdateAndCacheUtils.updateAndCacheResource} does on
 * success, without its retry loop: that loop blocks the reconcile thread polling the cache for up
 * to ten seconds after a 409 and then logs the whole object at WARN. A conflict is routine (another
 * writer got there first); it becomes a {@link StatusWriteConflict} that the reconciler answers by
 * looking again shortly, quietly.
 */
@ApplicationScoped
public class CachingStatusWriter implements StatusWriter {

  @Override
  public AgentRelease write(
      AgentRelease release, AgentReleaseStatus status, Context<AgentRelease> context) {
    AgentRelease updated;
    try {
      updated =
          context
              .getClient()
              .resource(release)
              .editStatus(
                  copy -> {
                    copy.setStatus(status);
                    return copy;
                  });
    } catch (KubernetesClientException e) {
      // 422: a JSON patch whose base moved under it (an index that no longer exists).
      if (e.getCode() == 409 || e.getCode() == 422) {
        throw new StatusWriteConflict(e.getCode());
      }
      throw e;
    }
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(release), updated, release);
    return updated;
  }

  /** Another writer changed the release first; nothing is wrong with it. */
  public static final class StatusWriteConflict extends LookAgainLater {
    StatusWriteConflict(int httpStatus) {
      super(
          "status write answered " + httpStatus + ": the release changed meanwhile",
          RequeuePolicy.AFTER_CONFLICT);
    }
  }
}
