package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.status.ConditionList;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events for what a person would want in {@code kubectl describe}: each activation, and
 * each change of the Ready reason (a new error, a recovery). Emitting only on change keeps a
 * persistent error from spamming. Events are best effort: failing to record one never fails a
 * reconcile.
 */
@ApplicationScoped
public class ReleaseEvents {

  static final String COMPONENT = "atoms-operator";
  private static final Logger LOG = Logger.getLogger(ReleaseEvents.class);

  private final KubernetesClient kubernetes;
  private final Clock clock;

  public ReleaseEvents(KubernetesClient kubernetes, Clock clock) {
    this.kubernetes = kubernetes;
    this.clock = clock;
  }

  public void record(
      AgentRelease release, AgentReleaseStatus before, AgentReleaseStatus after, Outcome outcome) {
    Optional<Condition> readyBefore = ConditionList.readyOf(before);
    Condition readyAfter = ConditionList.readyOf(after).orElseThrow();
    boolean reasonChanged =
        readyBefore
            .map(
                c ->
                    !Objects.equals(c.getReason(), readyAfter.getReason())
                        || !Objects.equals(c.getStatus(), readyAfter.getStatus()))
            .orElse(true);
    if (outcome.activation() == Outcome.Activation.DRIFT_CORRECTION) {
      emit(
          release,
          "Normal",
          Conditions.Reasons.DRIFT_CORRECTED,
          readyAfter.getMessage()
              + ": restored after the live version was changed outside the operator");
    } else if (outcome.activatedNow()) {
      emit(
          release,
          "Normal",
          Conditions.Reasons.ACTIVATED,
          readyAfter.getMessage() + " (activated by atoms-operator)");
    } else if (reasonChanged) {
      boolean fine =
          Conditions.TRUE.equals(readyAfter.getStatus())
              || outcome.kind() == Outcome.Kind.SUSPENDED
              || Conditions.Reasons.OBSERVE_ONLY.equals(readyAfter.getReason());
      String type = fine ? "Normal" : "Warning";
      emit(release, type, readyAfter.getReason(), readyAfter.getMessage());
    }
  }

  private void emit(AgentRelease release, String type, String reason, String message) {
    String now = StatusCalculator.format(clock.instant());
    var metadata = release.getMetadata();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            // client-go's naming: object name plus a unique hex suffix.
            .withName(metadata.getName() + "." + Long.toHexString(System.nanoTime()))
            .withNamespace(metadata.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(release.getApiVersion())
            .withKind(release.getKind())
            .withName(metadata.getName())
            .withNamespace(metadata.getNamespace())
            .withUid(metadata.getUid())
            .withResourceVersion(metadata.getResourceVersion())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      kubernetes.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "Could not record %s event %s for %s/%s: %s",
          type, reason, metadata.getNamespace(), metadata.getName(), e.getMessage());
    }
  }
}
