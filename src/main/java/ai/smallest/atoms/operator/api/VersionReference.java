package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** One published version of an agent, by number and ID (status.previousVersion). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionReference {

  @Min(Integer.MIN_VALUE) // as reported by Atoms: see AgentReleaseStatus.versionNumber
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Version number.")
  private Integer versionNumber;

  @JsonPropertyDescription("ID (_id) of the version.")
  private String versionId;

  public VersionReference() {}

  public VersionReference(Integer versionNumber, String versionId) {
    this.versionNumber = versionNumber;
    this.versionId = versionId;
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

  /** An empty reference records that no version was live. */
  @JsonIgnore
  public boolean isNone() {
    return versionId == null;
  }

  /** "version 3", or "no version" for an empty reference. */
  public String describe() {
    return isNone()
        ? "no version"
        : versionNumber == null ? "version id " + versionId : "version " + versionNumber;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionReference other
        && Objects.equals(versionNumber, other.versionNumber)
        && Objects.equals(versionId, other.versionId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versionNumber, versionId);
  }
}
