package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import java.util.Objects;
import java.util.function.Predicate;

/** Which list entry a spec asks for: by versionNumber, or by the version's {@code _id}. */
final class DesiredVersion {

  private DesiredVersion() {}

  static Predicate<AgentVersion> matcher(AgentReleaseSpec spec) {
    if (spec.getVersionNumber() != null) {
      Integer wanted = spec.getVersionNumber();
      return version -> Objects.equals(wanted, version.versionNumber());
    }
    String wanted = spec.getVersionId();
    return version -> Objects.equals(wanted, version.id());
  }
}
