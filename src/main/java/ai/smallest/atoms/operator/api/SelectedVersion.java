package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** status.selected: the published version the spec resolves to, however it is declared. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelectedVersion {

  @Min(Integer.MIN_VALUE) // as reported by Atoms: see AgentReleaseStatus.versionNumber
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Version number of the selected version.")
  private Integer versionNumber;

  @JsonPropertyDescription("ID (_id) of the selected version.")
  private String versionId;

  @JsonPropertyDescription("Label of the selected version.")
  private String label;

  @JsonPropertyDescription("When this version was first selected (RFC 3339).")
  private String selectedAt;

  public SelectedVersion() {}

  public SelectedVersion(Integer versionNumber, String versionId, String label, String selectedAt) {
    this.versionNumber = versionNumber;
    this.versionId = versionId;
    this.label = label;
    this.selectedAt = selectedAt;
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

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public String getSelectedAt() {
    return selectedAt;
  }

  public void setSelectedAt(String selectedAt) {
    this.selectedAt = selectedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SelectedVersion other
        && Objects.equals(versionNumber, other.versionNumber)
        && Objects.equals(versionId, other.versionId)
        && Objects.equals(label, other.label)
        && Objects.equals(selectedAt, other.selectedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versionNumber, versionId, label, selectedAt);
  }
}
