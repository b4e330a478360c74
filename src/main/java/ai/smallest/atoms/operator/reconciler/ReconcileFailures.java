package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.status.Outcome;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * What status says about an unexpected failure of a reconcile (e.g. the Kubernetes API refusing a
 * Secret read), which JOSDK retries with its own backoff. Our exceptions never carry the API key.
 */
final class ReconcileFailures {

  private ReconcileFailures() {}

  /** The outcome to write, or empty when status must be left alone. */
  static Optional<Outcome> outcomeOf(Exception e) {
    if (e instanceof LeaseFence.NotLeaderException) {
      return Optional.empty(); // the leader writes status, not this replica
    }
    if (hasCode(e, 404)) {
      return Optional.empty(); // the release was deleted meanwhile: there is no status to write
    }
    if (isConflict(e)) {
      // Our status write lost a race with another writer: nothing is wrong with the release, and
      // writing ReconcileError would turn a healthy release Ready=False until JOSDK's retry.
      return Optional.empty();
    }
    return Optional.of(
        Outcome.retrying(
            Reason.ReconcileError,
            "Reconcile failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
            null,
            false));
  }

  private static boolean hasCode(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == code) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }
}
