package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.packaging.ArgoCdLua.Health;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs deploy/argocd/agentrelease-health.lua the way Argo CD does ({@link ArgoCdLua}) against
 * sample AgentReleases: Argo CD's own test layout (health_test.yaml), every documented Stalled and
 * Reconciling reason, and only reasons the operator writes.
 */
class ArgoCdHealthCheckTest {

  static final Path SCRIPT = Repo.ARGOCD.resolve("agentrelease-health.lua");
  static final Path CASES = Repo.FIXTURES.resolve("agentrelease-health");

  /** Stalled reasons the operator documents (docs/reference.md, "Reasons"). */
  /** Every reason that sets Stalled=True, as the operator defines them. */
  static final List<String> STALLED_REASONS =
      Reason.readyReasons().stream()
          .filter(r -> r.verdict() == Reason.Verdict.STALLED)
          .map(Reason::value)
          .toList();

  static final List<String> RECONCILING_REASONS =
      List.of("ApiUnavailable", "RateLimited", "ReconcileError");

  static Health health(JsonNode agentRelease) {
    return new ArgoCdLua(Clock.systemUTC()).health(Repo.read(SCRIPT), agentRelease);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode test : Yaml.document(CASES.resolve("health_test.yaml")).path("tests")) {
      String input = test.path("inputPath").asText();
      cases.add(
          Arguments.of(
              input,
              test.at("/healthStatus/status").asText(),
              test.at("/healthStatus/message").asText()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("cases")
  void sampleAgentReleaseHasTheExpectedHealth(String input, String status, String message) {
    Health health = health(Yaml.document(CASES.resolve(input)));

    assertThat(health).isEqualTo(new Health(status, message));
  }

  @ParameterizedTest(name = "Stalled {0} is Degraded")
  @MethodSource("stalledReasons")
  void everyStalledReasonIsDegraded(String reason) {
    ObjectNode release = withConditions(2, Map.of("Ready", "False", "Stalled", "True"), reason);

    assertThat(health(release)).isEqualTo(new Health("Degraded", reason + ": needs a person"));
  }

  static Stream<String> stalledReasons() {
    return STALLED_REASONS.stream();
  }

  @ParameterizedTest(name = "Reconciling {0} is Progressing")
  @ValueSource(strings = {"ApiUnavailable", "RateLimited", "ReconcileError"})
  void everyTransientReasonIsProgressing(String reason) {
    ObjectNode release = withConditions(2, Map.of("Ready", "False", "Reconciling", "True"), reason);

    assertThat(health(release)).isEqualTo(new Health("Progressing", reason + ": needs a person"));
  }

  @Test
  void readyFalseWithAnUnlistedReasonIsDegradedNotHealthy() {
    assertThat(health(withConditions(2, Map.of("Ready", "False"), "SomethingNew")).status())
        .isEqualTo("Degraded");
  }

  @Test
  void readyUnknownWrittenBySomeoneElseIsProgressing() {
    // The operator never writes Unknown; another writer might.
    assertThat(health(withConditions(2, Map.of("Ready", "Unknown"), "")).status())
        .isEqualTo("Progressing");
  }

  @Test
  void everySampleCarriesOnlyReasonsTheOperatorWrites() throws Exception {
    Set<String> samples = new TreeSet<>();
    try (var files = java.nio.file.Files.list(CASES.resolve("testdata"))) {
      files.forEach(
          f ->
              Yaml.document(f)
                  .at("/status/conditions")
                  .forEach(c -> samples.add(c.path("reason").asText())));
    }
    assertThat(samples).isNotEmpty();
    assertThat(operatorReasons()).containsAll(samples);
  }

  static Set<String> operatorReasons() {
    Set<String> reasons = new TreeSet<>();
    for (Reason reason : Reason.values()) {
      reasons.add(reason.value());
    }
    return reasons;
  }

  @Test
  void healthyOnlyWhenReadyIsTrueForTheCurrentGeneration() {
    ObjectNode current = withConditions(2, Map.of("Ready", "True"), "UpToDate");
    ObjectNode stale = current.deepCopy();
    ((ObjectNode) stale.path("metadata")).put("generation", 3);

    assertThat(health(current).status()).isEqualTo("Healthy");
    assertThat(health(stale).status()).isEqualTo("Progressing");
  }

  @Test
  void everyReasonTheScriptNamesIsOneTheOperatorWrites() throws Exception {
    Set<String> operatorReasons = operatorReasons();
    Set<String> scriptReasons = new TreeSet<>();
    Matcher m = Pattern.compile("reason == \"([A-Za-z]+)\"").matcher(Repo.read(SCRIPT));
    while (m.find()) {
      scriptReasons.add(m.group(1));
    }

    assertThat(scriptReasons).isNotEmpty();
    assertThat(operatorReasons)
        .containsAll(scriptReasons)
        .containsAll(STALLED_REASONS)
        .containsAll(RECONCILING_REASONS);
    assertThat(Set.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED))
        .allSatisfy(type -> assertThat(Repo.read(SCRIPT)).contains("\"" + type + "\""));
  }

  @Test
  void argoCdConfigMapPatchCarriesTheScriptVerbatim() {
    ObjectNode configMap = Yaml.document(Repo.ARGOCD.resolve("argocd-cm-patch.yaml"));

    assertThat(K8s.name(configMap)).isEqualTo("argocd-cm");
    assertThat(
            configMap
                .at("/data")
                .path("resource.customizations.health.atoms.smallest.ai_AgentRelease")
                .asText())
        .isEqualTo(Repo.read(SCRIPT));
    assertThat(ManifestValidator.problems(configMap)).isEmpty();
  }

  /**
   * An AgentRelease at generation {@code generation} whose status reports these conditions, all
   * with one reason.
   */
  private static ObjectNode withConditions(
      int generation, Map<String, String> conditions, String reason) {
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: atoms.smallest.ai/v1alpha1
        kind: AgentRelease
        metadata: {name: r, namespace: ns, generation: %d}
        spec: {agentId: agent-1, versionNumber: 3}
        status:
          observedGeneration: %d
          conditions:
        """
                .formatted(generation, generation));
    conditions.forEach(
        (type, status) ->
            yaml.append(
                """
            - {type: %s, status: "%s", reason: %s, message: needs a person, observedGeneration: %d}
        """
                    .formatted(type, status, reason, generation)));
    return Yaml.documents(yaml.toString()).get(0);
  }
}
