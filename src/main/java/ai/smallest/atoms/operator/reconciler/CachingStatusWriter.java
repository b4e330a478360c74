package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.UnaryOperator;

/**
 * Patches status with a JSON patch computed from the stored status (so a status-less object gets
 * one {@code add /status}, which every API server accepts) and puts the answer into JOSDK's cache
 * at once ({@link PrimaryUpdateAndCacheUtils}): the next reconcile compares against what it wrote,
 * never against a cache that has not yet seen the write. Without that, "write only when changed"
 * could compare with a stale baseline and leave an older status on the object.
 */
@ApplicationScoped
public class CachingStatusWriter implements StatusWriter {

  /**
   * No retry inside the reconcile: JOSDK's own retries a failed write with backoff, and the
   * utility's retry would block this reconcile thread polling its cache for up to ten seconds after
   * every 409.
   */
  private static final int NO_RETRY = 0;

  @Override
  public AgentRelease write(
      AgentRelease release, AgentReleaseStatus status, Context<AgentRelease> context) {
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        release,
        context,
        UnaryOperator.identity(),
        stored ->
            context
                .getClient()
                .resource(stored)
                .editStatus(
                    copy -> {
                      copy.setStatus(status);
                      return copy;
                    }),
        NO_RETRY,
        0,
        0);
  }
}
