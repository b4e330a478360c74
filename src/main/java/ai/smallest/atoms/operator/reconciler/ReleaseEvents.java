package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.Leadership;
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

  /** events.k8s.io's reportingController, in its domain/name form. */
  static final String REPORTING_CONTROLLER = "atoms.smallest.ai/atoms-operator";

  static final int MAX_NAME_LENGTH = 253;
  private static final Logger LOG = Logger.getLogger(ReleaseEvents.class);

  private final KubernetesClient kubernetes;
  private final Clock clock;

  private final String reportingInstance;

  public ReleaseEvents(KubernetesClient kubernetes, Clock clock, Leadership leadership) {
    // The pod name (Leadership's identity): which replica said it, when several run.
    this.reportingInstance = leadership.identity();
    this.kubernetes = kubernetes;
    this.clock = clock;
  }

  public void record(
      AgentRelease release, AgentReleaseStatus before, AgentReleaseStatus after, Outcome outcome) {
    Optional<Condition> readyBefore = before == null ? Optional.empty() : before.ready();
    Condition readyAfter = after.ready().orElseThrow();
    if (!outcome.reason().isReady()) {
      LOG.debugf(
          "AgentRelease %s/%s: %s: %s",
          release.getMetadata().getNamespace(),
          release.getMetadata().getName(),
          outcome.reason(),
          outcome.message());
    }
    boolean reasonChanged =
        readyBefore
            .map(
                c ->
                    !Objects.equals(c.getReason(), readyAfter.getReason())
                        || !Objects.equals(c.getStatus(), readyAfter.getStatus()))
            .orElse(true);
    VersionSelection.changed(release, before, after)
        .ifPresent(message -> emit(release, Reason.VersionSelected, message));
    if (outcome.activation() == Outcome.Activation.DRIFT_CORRECTION) {
      emit(
          release,
          Reason.DriftCorrected,
          readyAfter.getMessage()
              + ": restored after the live version was changed outside the operator");
    } else if (outcome.activatedNow()) {
      emit(release, Reason.Activated, readyAfter.getMessage() + " (activated by atoms-operator)");
    } else if (reasonChanged) {
      Reason.of(readyAfter.getReason())
          .ifPresent(reason -> emit(release, reason, readyAfter.getMessage()));
    }
  }

  /**
   * client-go's naming: object name plus a unique hex suffix, with the name cut so the whole stays
   * within the 253 characters of a DNS subdomain (an AgentRelease name may use all of them).
   */
  static String eventName(String objectName) {
    String suffix = "." + Long.toHexString(System.nanoTime());
    int room = MAX_NAME_LENGTH - suffix.length();
    String prefix = objectName.length() > room ? objectName.substring(0, room) : objectName;
    // A cut may end on '-' or '.', which a DNS subdomain label may not end with.
    return prefix.replaceAll("[-.]+$", "") + suffix;
  }

  /** One Event, best effort. */
  public void emit(AgentRelease release, Reason reason, String message) {
    String type = reason.eventType().value();
    String now = StatusCalculator.format(clock.instant());
    var metadata = release.getMetadata();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(eventName(metadata.getName()))
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
            .withReason(reason.value())
            .withMessage(ConditionList.bounded(message))
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(REPORTING_CONTROLLER)
            .withReportingInstance(reportingInstance)
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
