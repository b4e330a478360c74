package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** One activation made by this operator, kept in status.history (newest first, bounded). */
// Unknown fields are ignored, as a server that prunes by the CRD schema would drop them.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActivationRecord {

  public static final String BY_OPERATOR = "Operator";
  public static final String BY_DRIFT_CORRECTION = "DriftCorrection";

  @Min(Integer.MIN_VALUE) // as reported by Atoms: see AgentReleaseStatus.versionNumber
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Version number the operator activated.")
  private Integer versionNumber;

  @JsonPropertyDescription("ID (_id) of the version the operator activated.")
  private String versionId;

  @JsonPropertyDescription(
      "When it was activated (RFC 3339): Atoms' activatedAt, or the operator's clock when Atoms did not say. The drift-loop guard counts DriftCorrection entries by this time.")
  private String activatedAt;

  @JsonPropertyDescription(
      "Why the operator activated: Operator (spec change or first sync) or DriftCorrection.")
  private String by;

  public ActivationRecord() {}

  /** The {@code by} value for an activation that corrects drift, or one that serves the spec. */
  public static String by(boolean driftCorrection) {
    return driftCorrection ? BY_DRIFT_CORRECTION : BY_OPERATOR;
  }

  public ActivationRecord(Integer versionNumber, String versionId, String activatedAt, String by) {
    this.versionNumber = versionNumber;
    this.versionId = versionId;
    this.activatedAt = activatedAt;
    this.by = by;
  }

  public Integer getVersionNumber() {
    return versionNumber;
  }

  public void setVersionNumber(Integer versionNumber) {
    this.versionNumber = versionNumber;
  }

  public String getVersionId() {
    return versionId;
  }

  public void setVersionId(String versionId) {
    this.versionId = versionId;
  }

  public String getActivatedAt() {
    return activatedAt;
  }

  public void setActivatedAt(String activatedAt) {
    this.activatedAt = activatedAt;
  }

  public String getBy() {
    return by;
  }

  public void setBy(String by) {
    this.by = by;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivationRecord other
        && Objects.equals(versionNumber, other.versionNumber)
        && Objects.equals(versionId, other.versionId)
        && Objects.equals(activatedAt, other.activatedAt)
        && Objects.equals(by, other.by);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versionNumber, versionId, activatedAt, by);
  }
}
