package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * An activation the operator is about to make, written to status before the activate call. When the
 * answer is lost (a reset connection, a timeout, a crash, a refused status write), the next look
 * that finds this version live still records the activation as the operator's. It never causes an
 * activation itself: only a desired version that Atoms reports inactive does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingActivation {

  @JsonPropertyDescription("ID (_id) of the version the operator is activating.")
  private String versionId;

  @Min(Integer.MIN_VALUE) // as reported by Atoms: see AgentReleaseStatus.versionNumber
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Version number the operator is activating.")
  private Integer versionNumber;

  @Min(0)
  @JsonPropertyDescription("metadata.generation of the spec the activation serves.")
  private Long generation;

  @JsonPropertyDescription("When the operator decided to activate (RFC 3339).")
  private String requestedAt;

  @JsonPropertyDescription(
      "Why: Operator (spec change or first sync) or DriftCorrection, as in status.history.")
  private String by;

  public PendingActivation() {}

  public PendingActivation(
      String versionId, Integer versionNumber, Long generation, String requestedAt, String by) {
    this.versionId = versionId;
    this.versionNumber = versionNumber;
    this.generation = generation;
    this.requestedAt = requestedAt;
    this.by = by;
  }

  public String getVersionId() {
    return versionId;
  }

  public void setVersionId(String versionId) {
    this.versionId = versionId;
  }

  public Integer getVersionNumber() {
    return versionNumber;
  }

  public void setVersionNumber(Integer versionNumber) {
    this.versionNumber = versionNumber;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public String getRequestedAt() {
    return requestedAt;
  }

  public void setRequestedAt(String requestedAt) {
    this.requestedAt = requestedAt;
  }

  public String getBy() {
    return by;
  }

  public void setBy(String by) {
    this.by = by;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingActivation other
        && Objects.equals(versionId, other.versionId)
        && Objects.equals(versionNumber, other.versionNumber)
        && Objects.equals(generation, other.generation)
        && Objects.equals(requestedAt, other.requestedAt)
        && Objects.equals(by, other.by);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versionId, versionNumber, generation, requestedAt, by);
  }
}
