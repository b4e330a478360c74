package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * spec.versionSelector: which published version should be live, chosen anew at every check, so that
 * publishing (or pinning, or labelling) a version in the Atoms console is enough to roll it out, as
 * Flux's image automation does for container tags.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.strategy == 'LatestLabeled' ? has(self.label) : !has(self.label)",
    message =
        "spec.versionSelector.label is required for strategy LatestLabeled and not allowed for the others")
public class VersionSelector {

  public static final int LABEL_MAX_LENGTH = 256;

  @Required
  // An unknown value reads as null: InvalidSpec, never a silent Latest (see AgentReleaseSpec).
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @JsonPropertyDescription(
      "Latest: the highest published versionNumber. LatestPinned: the highest pinned one. LatestLabeled: the highest one whose label equals label.")
  private VersionStrategy strategy;

  @Size(min = 1, max = LABEL_MAX_LENGTH)
  @JsonPropertyDescription(
      "The label (exact, case-sensitive) a version must carry; required for LatestLabeled, not allowed otherwise.")
  private String label;

  @Min(1)
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Never select a version below this versionNumber.")
  private Integer minVersionNumber;

  public VersionSelector() {}

  public VersionSelector(VersionStrategy strategy, String label, Integer minVersionNumber) {
    this.strategy = strategy;
    this.label = label;
    this.minVersionNumber = minVersionNumber;
  }

  public VersionStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(VersionStrategy strategy) {
    this.strategy = strategy;
  }

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public Integer getMinVersionNumber() {
    return minVersionNumber;
  }

  public void setMinVersionNumber(Integer minVersionNumber) {
    this.minVersionNumber = minVersionNumber;
  }

  /** "the latest pinned version at or above 12", for messages. */
  public String describe() {
    String what =
        strategy == null
            ? "the selected version"
            : switch (strategy) {
              case Latest -> "the latest published version";
              case LatestPinned -> "the latest pinned version";
              case LatestLabeled -> "the latest version labelled \"" + label + "\"";
            };
    return minVersionNumber == null ? what : what + " at or above " + minVersionNumber;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionSelector other
        && strategy == other.strategy
        && Objects.equals(label, other.label)
        && Objects.equals(minVersionNumber, other.minVersionNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(strategy, label, minVersionNumber);
  }
}
