package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.DriftGuard;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The same rules as the CRD's schema and CEL validations, checked again in the operator, with the
 * very patterns the CRD is generated from: clusters without CEL support, older CRDs and servers
 * that skip validation store whatever they are given, and a bad spec must end as InvalidSpec in
 * status, never as a crash or an API call.
 */
public final class SpecValidator {

  private static final Pattern AGENT_ID = Pattern.compile(AgentReleaseSpec.AGENT_ID_PATTERN);
  private static final Pattern VERSION_ID = Pattern.compile(AgentReleaseSpec.VERSION_ID_PATTERN);
  private static final Pattern SECRET_NAME = Pattern.compile(SecretKeyReference.NAME_PATTERN);
  private static final Pattern SECRET_KEY = Pattern.compile(SecretKeyReference.KEY_PATTERN);

  /** Values are quoted in messages only up to this length: a stored value can be huge. */
  private static final int QUOTED_VALUE_LENGTH = 64;

  private SpecValidator() {}

  /** A message naming every problem, or empty when the spec is valid. */
  public static Optional<String> problems(AgentReleaseSpec spec) {
    if (spec == null) {
      return Optional.of(
          "spec is missing: set spec.agentId and one of spec.versionNumber, spec.versionId or spec.versionSelector");
    }
    if (spec.unreadableReason().isPresent()) {
      return Optional.of("Invalid spec: " + spec.unreadableReason().get());
    }
    List<String> problems = new ArrayList<>();
    check(
        problems,
        "spec.agentId",
        spec.getAgentId(),
        AGENT_ID,
        AgentReleaseSpec.AGENT_ID_MAX_LENGTH,
        "letters, digits, '-', '_', '~' and '.', not starting with '.'");
    boolean hasNumber = spec.getVersionNumber() != null;
    boolean hasId = spec.getVersionId() != null;
    boolean hasSelector = spec.getVersionSelector() != null;
    if ((hasNumber ? 1 : 0) + (hasId ? 1 : 0) + (hasSelector ? 1 : 0) != 1) {
      problems.add(AgentReleaseSpec.EXACTLY_ONE_VERSION_MESSAGE);
    }
    if (hasSelector) {
      problems.addAll(VersionSelection.problems(spec.getVersionSelector()));
    }
    if (hasNumber && spec.getVersionNumber() < 1) {
      problems.add("spec.versionNumber must be >= 1, got " + spec.getVersionNumber());
    }
    if (hasId) {
      check(
          problems,
          "spec.versionId",
          spec.getVersionId(),
          VERSION_ID,
          24,
          "the version's _id: 24 lowercase hexadecimal characters");
    }
    if (spec.getInterval() != null) {
      boolean valid =
          Intervals.parse(spec.getInterval())
              .filter(d -> d.compareTo(Intervals.MINIMUM) >= 0)
              .isPresent();
      if (!valid) {
        problems.add(
            "spec.interval must be a duration of at least 1s such as 30s, 5m or 1h30m, got "
                + quoted(spec.getInterval()));
      }
    }
    if (spec.getDriftPolicy() == null) {
      problems.add("spec.driftPolicy must be Enforce or Report");
    }
    if (spec.getDeletionPolicy() == null) {
      problems.add("spec.deletionPolicy must be Orphan or Restore");
    }
    if (spec.getManagementPolicy() == null) {
      problems.add("spec.managementPolicy must be Manage or Observe");
    }
    problems.addAll(ActivationWindows.problems(spec.windows()));
    DriftGuard guard = spec.getDriftGuard();
    if (guard != null) {
      if (guard.getMaxCorrections() != null
          && (guard.getMaxCorrections() < 1
              || guard.getMaxCorrections() > DriftGuard.MAX_CORRECTIONS_LIMIT)) {
        problems.add(
            "spec.driftGuard.maxCorrections must be between 1 and "
                + DriftGuard.MAX_CORRECTIONS_LIMIT
                + ", got "
                + guard.getMaxCorrections());
      }
      if (guard.getWindow() != null
          && Intervals.parse(guard.getWindow())
              .filter(d -> d.compareTo(ActivationWindows.MINIMUM_DURATION) >= 0)
              .isEmpty()) {
        problems.add(
            "spec.driftGuard.window must be a duration of at least 1m such as 30m or 2h, got "
                + quoted(guard.getWindow()));
      }
    }
    SecretKeyReference ref = spec.getApiKeySecretRef();
    if (ref != null) {
      check(
          problems,
          "spec.apiKeySecretRef.name",
          ref.getName(),
          SECRET_NAME,
          SecretKeyReference.MAX_LENGTH,
          "a Secret name (lowercase DNS subdomain)");
      if (ref.getKey() != null) {
        check(
            problems,
            "spec.apiKeySecretRef.key",
            ref.getKey(),
            SECRET_KEY,
            SecretKeyReference.MAX_LENGTH,
            "a Secret data key: letters, digits, '-', '_' and '.'");
      }
    }
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of("Invalid spec: " + String.join("; ", problems));
  }

  private static void check(
      List<String> problems,
      String field,
      String value,
      Pattern pattern,
      int maxLength,
      String allowed) {
    if (value == null) {
      problems.add(field + " is required");
    } else if (value.isEmpty()) {
      problems.add(field + " must not be empty");
    } else if (value.length() > maxLength) {
      problems.add(field + " is longer than " + maxLength + " characters");
    } else if (!pattern.matcher(value).matches()) {
      problems.add(field + " must be " + allowed + ", got " + quoted(value));
    }
  }

  private static String quoted(String value) {
    String shown =
        value.length() <= QUOTED_VALUE_LENGTH
            ? value
            : value.substring(0, QUOTED_VALUE_LENGTH) + "…";
    // Control characters would garble kubectl's table output.
    return "'"
        + shown
            .codePoints()
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        + "'";
  }
}
