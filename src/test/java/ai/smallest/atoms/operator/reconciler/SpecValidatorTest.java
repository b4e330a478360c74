package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.DriftGuard;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  private static AgentReleaseSpec spec(String agentId, Integer number, String id) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agentId);
    spec.setVersionNumber(number);
    spec.setVersionId(id);
    return spec;
  }

  @Test
  void acceptsAgentWithVersionNumberOrVersionId() {
    assertThat(SpecValidator.problems(spec("agent-1", 3, null))).isEmpty();
    assertThat(SpecValidator.problems(spec("agent-1", null, "64b8f9a2e4b0c123456789ab"))).isEmpty();
    assertThat(SpecValidator.problems(spec("60d0fe4f5311236168a109ca", 1, null))).isEmpty();
  }

  @Test
  void rejectsBothOrNeitherVersionField() {
    assertThat(SpecValidator.problems(spec("a", 3, "id")))
        .get()
        .asString()
        .contains("exactly one of");
    assertThat(SpecValidator.problems(spec("a", null, null)))
        .get()
        .asString()
        .contains("exactly one of");
  }

  @Test
  void rejectsNonPositiveVersionNumbers() {
    assertThat(SpecValidator.problems(spec("a", 0, null)))
        .get()
        .asString()
        .contains("spec.versionNumber must be >= 1");
    assertThat(SpecValidator.problems(spec("a", -4, null))).get().asString().contains("got -4");
  }

  @Test
  void rejectsMissingEmptyHugeOrPathBreakingAgentIds() {
    assertThat(SpecValidator.problems(spec(null, 1, null)))
        .get()
        .asString()
        .contains("spec.agentId is required");
    assertThat(SpecValidator.problems(spec("", 1, null)))
        .get()
        .asString()
        .contains("must not be empty");
    assertThat(SpecValidator.problems(spec("x".repeat(129), 1, null)))
        .get()
        .asString()
        .contains("longer than 128");
    for (String pathBreaking : List.of(".", "..", "a/b", "%2e%2e", "a b", " ", "a\\b", "агент")) {
      assertThat(SpecValidator.problems(spec(pathBreaking, 1, null)))
          .as(pathBreaking)
          .get()
          .asString()
          .contains("spec.agentId must be letters, digits");
    }
  }

  @Test
  void versionIdsMustBeObjectIds() {
    assertThat(SpecValidator.problems(spec("a", null, "..")))
        .get()
        .asString()
        .contains("spec.versionId must be the version's _id");
    assertThat(SpecValidator.problems(spec("a", null, "64B8F9A2E4B0C123456789AB"))).isPresent();
    assertThat(SpecValidator.problems(spec("a", null, "64b8f9a2e4b0c123456789ab0"))).isPresent();
  }

  @Test
  void secretReferencesMustBeKubernetesNames() {
    AgentReleaseSpec spec = spec("a", 1, null);
    spec.setApiKeySecretRef(new SecretKeyReference("../other", "apiKey"));
    assertThat(SpecValidator.problems(spec)).get().asString().contains("spec.apiKeySecretRef.name");
    spec.setApiKeySecretRef(new SecretKeyReference("atoms", "api key"));
    assertThat(SpecValidator.problems(spec)).get().asString().contains("spec.apiKeySecretRef.key");
  }

  @Test
  void quotesAtMostAShortPrefixOfABadValue() {
    String huge = "%".repeat(100_000);
    assertThat(SpecValidator.problems(spec(huge.substring(0, 100), 1, null)).orElseThrow())
        .hasSizeLessThan(300);
  }

  @Test
  void rejectsSecretRefWithoutName() {
    AgentReleaseSpec spec = spec("a", 1, null);
    spec.setApiKeySecretRef(new SecretKeyReference("", "apiKey"));
    assertThat(SpecValidator.problems(spec)).get().asString().contains("apiKeySecretRef.name");
  }

  @Test
  void rejectsMissingSpec() {
    assertThat(SpecValidator.problems(null)).isPresent();
  }

  @Test
  void unknownPolicyValuesReadAsNullAndAreRejected() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    AgentReleaseSpec spec =
        json.readValue(
            "{\"agentId\":\"a\",\"versionNumber\":1,\"driftPolicy\":\"Sometimes\",\"managementPolicy\":\"Maybe\",\"deletionPolicy\":\"Delete\"}",
            AgentReleaseSpec.class);

    assertThat(SpecValidator.problems(spec))
        .get()
        .asString()
        .contains("spec.driftPolicy must be Enforce or Report")
        .contains("spec.managementPolicy must be Manage or Observe")
        .contains("spec.deletionPolicy must be Orphan or Restore");
  }

  @Test
  void unknownPolicyValuesStayRejectedInTheCloneTheReconcilerIsGiven() {
    // JOSDK clones cached resources through JSON before reconciling; the clone must not get the
    // defaults back, or "ObserveOnly" (a typo of Observe) would activate as if it said Manage.
    var serialization = new KubernetesSerialization();
    AgentRelease cached =
        serialization.unmarshal(
            """
        {"apiVersion":"atoms.smallest.ai/v1alpha1","kind":"AgentRelease","metadata":{"name":"r"},
         "spec":{"agentId":"a","versionNumber":1,"driftPolicy":"Sometimes","managementPolicy":"ObserveOnly"}}
        """,
            AgentRelease.class);

    AgentRelease clone = serialization.clone(cached);

    assertThat(SpecValidator.problems(clone.getSpec()))
        .get()
        .asString()
        .contains("spec.driftPolicy must be Enforce or Report")
        .contains("spec.managementPolicy must be Manage or Observe");
  }

  @Test
  void absentPoliciesDefaultToEnforceAndManage() throws Exception {
    AgentReleaseSpec spec =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue("{\"agentId\":\"a\",\"versionNumber\":1}", AgentReleaseSpec.class);

    assertThat(SpecValidator.problems(spec)).isEmpty();
    assertThat(spec.isObserveOnly()).isFalse();
    assertThat(spec.isReportDriftOnly()).isFalse();
    assertThat(spec.restoresOnDelete()).isFalse();
  }

  @Test
  void rejectsMalformedOrTooShortIntervals() {
    AgentReleaseSpec spec = spec("a", 1, null);
    spec.setInterval("10 minutes");
    assertThat(SpecValidator.problems(spec)).get().asString().contains("spec.interval");
    spec.setInterval("10ms");
    assertThat(SpecValidator.problems(spec)).get().asString().contains("at least 1s");
  }

  @Test
  void driftGuardValuesOutsideTheirBoundsAreInvalidSpec() {
    AgentReleaseSpec spec = spec("a", 1, null);
    spec.setDriftGuard(new DriftGuard(0, "10s"));

    assertThat(SpecValidator.problems(spec))
        .get()
        .asString()
        .contains("spec.driftGuard.maxCorrections must be between 1 and 50, got 0")
        .contains("spec.driftGuard.window must be a duration of at least 1m");

    spec.setDriftGuard(new DriftGuard(null, null));
    assertThat(SpecValidator.problems(spec)).as("both fields default").isEmpty();
  }

  @Test
  void invalidActivationWindowsAreInvalidSpecNamingEachProblem() {
    AgentReleaseSpec spec = spec("a", 1, null);
    spec.setActivationWindows(
        List.of(
            new ActivationWindow("0 22 * * 1-5", "2h", "Europe/Berlin"),
            new ActivationWindow("0 25 * * *", "2h", "UTC"),
            new ActivationWindow("0 22 * * *", "2 hours", "Mars/Olympus")));

    assertThat(SpecValidator.problems(spec))
        .get()
        .asString()
        .contains("spec.activationWindows[1].schedule")
        .contains("spec.activationWindows[2].duration")
        .contains("spec.activationWindows[2].timeZone")
        .doesNotContain("spec.activationWindows[0]");

    spec.setActivationWindows(List.of(new ActivationWindow("0 22 * * 1-5", "2h", null)));
    assertThat(SpecValidator.problems(spec)).as("the zone defaults to UTC").isEmpty();
  }
}
