package ai.smallest.atoms.operator.atoms;

import java.util.List;

/**
 * One page of published versions. {@code total} counts all published versions of the agent, so a
 * caller knows when paging is exhausted without an extra empty call.
 */
public record VersionPage(List<AgentVersion> versions, int total) {

  public VersionPage {
    versions = versions == null ? List.of() : List.copyOf(versions);
  }
}
