package ai.smallest.atoms.operator.atoms;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The fields of the Atoms {@code AgentVersion} schema that the operator uses. Unknown fields
 * (blocks, drafts, …) are ignored so additions on the Atoms side never break parsing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentVersion(
    @JsonProperty("_id") String id,
    @JsonProperty("agent") String agent,
    @JsonProperty("status") String status,
    @JsonProperty("versionNumber") Integer versionNumber,
    @JsonProperty("label") String label,
    @JsonProperty("isActive") Boolean isActive,
    @JsonProperty("activatedAt") String activatedAt,
    @JsonProperty("activatedBy") String activatedBy) {

  public static final String STATUS_PUBLISHED = "published";

  public boolean active() {
    return Boolean.TRUE.equals(isActive);
  }

  /** A missing status is taken as published: the list endpoint only returns published versions. */
  public boolean published() {
    return status == null || STATUS_PUBLISHED.equals(status);
  }
}
