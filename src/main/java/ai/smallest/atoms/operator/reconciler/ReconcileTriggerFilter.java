package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of an AgentRelease start a reconcile: a spec change (new generation), a new value
 * of the reconcile-request or activate-now annotation, skip-restore turned on or off, or deletion.
 * Everything else, notably our own status writes, is ignored. JOSDK's built-in generation-aware
 * filter would also drop the annotation, so the controller turns it off and uses this instead.
 */
public class ReconcileTriggerFilter implements OnUpdateFilter<AgentRelease> {

  @Override
  public boolean accept(AgentRelease updated, AgentRelease previous) {
    boolean specChanged =
        !Objects.equals(
            updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration());
    boolean reconcileRequested =
        !Objects.equals(updated.reconcileRequest(), previous.reconcileRequest())
            || !Objects.equals(updated.activateNowRequest(), previous.activateNowRequest())
            || updated.skipsRestore() != previous.skipsRestore();
    boolean deleting =
        updated.getMetadata().getDeletionTimestamp() != null
            && previous.getMetadata().getDeletionTimestamp() == null;
    return specChanged || reconcileRequested || deleting;
  }
}
