package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The same rules as the CRD's schema and CEL validations, checked again in the operator: clusters
 * without CEL support (and the test API server) store whatever they are given, and a bad spec must
 * end as InvalidSpec in status, never as a crash or an API call.
 */
public final class SpecValidator {

  static final int MAX_ID_LENGTH = 256;

  private SpecValidator() {}

  /** A message naming every problem, or empty when the spec is valid. */
  public static Optional<String> problems(AgentReleaseSpec spec) {
    if (spec == null) {
      return Optional.of(
          "spec is missing: set spec.agentId and one of spec.versionNumber or spec.versionId");
    }
    List<String> problems = new ArrayList<>();
    checkId(problems, "spec.agentId", spec.getAgentId(), true);
    boolean hasNumber = spec.getVersionNumber() != null;
    boolean hasId = spec.getVersionId() != null;
    if (hasNumber == hasId) {
      problems.add("exactly one of spec.versionNumber or spec.versionId must be set");
    }
    if (hasNumber && spec.getVersionNumber() < 1) {
      problems.add("spec.versionNumber must be >= 1, got " + spec.getVersionNumber());
    }
    if (hasId) {
      checkId(problems, "spec.versionId", spec.getVersionId(), false);
    }
    if (spec.getInterval() != null) {
      boolean valid =
          Intervals.parse(spec.getInterval())
              .filter(d -> d.compareTo(Intervals.MINIMUM) >= 0)
              .isPresent();
      if (!valid) {
        problems.add(
            "spec.interval must be a duration of at least 1s such as 30s, 5m or 1h30m, got '"
                + spec.getInterval()
                + "'");
      }
    }
    if (spec.getDriftPolicy() == null) {
      problems.add("spec.driftPolicy must be Enforce or Report");
    }
    if (spec.getManagementPolicy() == null) {
      problems.add("spec.managementPolicy must be Manage or Observe");
    }
    SecretKeyReference ref = spec.getApiKeySecretRef();
    if (ref != null && (ref.getName() == null || ref.getName().isBlank())) {
      problems.add("spec.apiKeySecretRef.name must not be empty");
    }
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of("Invalid spec: " + String.join("; ", problems));
  }

  private static void checkId(List<String> problems, String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(field + " is required");
      }
      return;
    }
    if (value.isBlank()) {
      problems.add(field + " must not be empty");
    } else if (value.length() > MAX_ID_LENGTH) {
      problems.add(field + " is longer than " + MAX_ID_LENGTH + " characters");
    } else if (value
        .codePoints()
        .anyMatch(c -> c == '/' || Character.isWhitespace(c) || Character.isISOControl(c))) {
      // Same rule as the CRD's pattern: a slash would change the request path, and IDs have no
      // spaces.
      problems.add(field + " must not contain '/' or whitespace");
    }
  }
}
