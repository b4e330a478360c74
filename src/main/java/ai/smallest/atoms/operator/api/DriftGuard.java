package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * spec.driftGuard: how many drift corrections within how long mean that something keeps activating
 * another version (a drift loop), after which the operator stops enforcing instead of fighting.
 * Either field falls back to the operator's default (atoms.drift.max-corrections,
 * atoms.drift.window).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DriftGuard {

  /** More would need a longer status.history than anyone reads; the history keeps at least this. */
  public static final int MAX_CORRECTIONS_LIMIT = 50;

  @Min(1)
  @Max(MAX_CORRECTIONS_LIMIT)
  @JsonPropertyDescription(
      "Most drift corrections allowed within window; one more drift in that time stops enforcing (reason DriftLoop). 1 to 50; defaults to the operator's atoms.drift.max-corrections (3).")
  private Integer maxCorrections;

  @Size(max = 32)
  @Pattern(AgentReleaseSpec.INTERVAL_PATTERN)
  @ValidationRule(
      value = "duration(self) >= duration('1m')",
      message = "spec.driftGuard.window must be at least 1m")
  @JsonPropertyDescription(
      "The period in which drift corrections are counted (e.g. 30m, 2h); at least 1m. Defaults to the operator's atoms.drift.window (30m).")
  private String window;

  public DriftGuard() {}

  public DriftGuard(Integer maxCorrections, String window) {
    this.maxCorrections = maxCorrections;
    this.window = window;
  }

  public Integer getMaxCorrections() {
    return maxCorrections;
  }

  public void setMaxCorrections(Integer maxCorrections) {
    this.maxCorrections = maxCorrections;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftGuard other
        && Objects.equals(maxCorrections, other.maxCorrections)
        && Objects.equals(window, other.window);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxCorrections, window);
  }
}
