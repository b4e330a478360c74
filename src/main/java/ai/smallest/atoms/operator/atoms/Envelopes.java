package ai.smallest.atoms.operator.atoms;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The JSON envelopes of the Atoms API: {@code {status, data}} on success, {@code {status:false,
 * errors}} on error.
 */
public final class Envelopes {

  private Envelopes() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VersionList(List<AgentVersion> versions, Integer total) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ListVersionsResponse(Boolean status, VersionList data) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ActivateResponse(Boolean status, AgentVersion data) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ErrorResponse(Boolean status, List<String> errors) {}
}
