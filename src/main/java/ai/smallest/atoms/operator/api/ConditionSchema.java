package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.OffsetDateTime;
import java.util.ArrayList;

/**
 * The CRD schema of one entry of status.conditions: the fields, bounds and descriptions of
 * Kubernetes' metav1.Condition (k8s.io/apimachinery/pkg/apis/meta/v1/types.go), as controller-gen
 * writes them for Flux, cert-manager and Crossplane CRDs. Fabric8's {@code Condition}, which the
 * operator reads and writes, carries none of them. Only the CRD generator reads this class, through
 * {@code @SchemaFrom} on {@link AgentReleaseStatus}; it is never instantiated. What annotations
 * cannot express ({@code x-kubernetes-list-type: map} keyed by type) is added by {@link
 * AgentReleaseCrdPostProcessor}.
 */
@JsonClassDescription(
    "Condition contains details for one aspect of the current state of this API Resource.")
public final class ConditionSchema {

  /** What {@code @SchemaFrom} replaces the whole list property with: an array of conditions. */
  public static final class List extends ArrayList<ConditionSchema> {
    private List() {}
  }

  /** metav1.Condition's status values (the constants in {@link Conditions}). */
  public enum Status {
    True,
    False,
    Unknown
  }

  /** metav1.Condition's pattern for a type: CamelCase, optionally prefixed by a DNS subdomain. */
  public static final String TYPE_PATTERN =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

  /** metav1.Condition's pattern for a reason: CamelCase. */
  public static final String REASON_PATTERN = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  private ConditionSchema() {}

  @Required
  @Size(max = 316)
  @Pattern(TYPE_PATTERN)
  @JsonPropertyDescription(
      "Type of condition in CamelCase or in foo.example.com/CamelCase: Ready, Reconciling or"
          + " Stalled (kstatus). Reconciling and Stalled are present only while True.")
  public String type;

  @Required
  @JsonPropertyDescription("Status of the condition, one of True, False, Unknown.")
  public Status status;

  @Min(0)
  @JsonPropertyDescription(
      "The .metadata.generation that the condition was set based upon. If it is lower than"
          + " .metadata.generation, the condition is out of date with respect to the spec.")
  public Long observedGeneration;

  @Required
  @JsonPropertyDescription(
      "Last time the condition transitioned from one status to another (RFC 3339). Changes only"
          + " when status changes, not when reason or message do.")
  public OffsetDateTime lastTransitionTime;

  @Required
  @Size(min = 1, max = 1024)
  @Pattern(REASON_PATTERN)
  @JsonPropertyDescription(
      "Programmatic identifier, in CamelCase, of the reason for the condition's last transition:"
          + " for Ready=True Activated or UpToDate; otherwise the failure or state reason (e.g."
          + " ApiUnavailable, SecretNotFound, DriftDetected), all listed in the operator's"
          + " docs/reference.md.")
  public String reason;

  @Required
  @Size(max = 32768)
  @JsonPropertyDescription(
      "Human-readable message with details about the transition. May be empty.")
  public String message;
}
