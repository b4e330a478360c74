package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.operator.packaging.FluxHealthCheck.Result;
import ai.smallest.atoms.operator.packaging.FluxHealthCheck.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
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
 * The healthCheckExprs of deploy/flux/agentreleases.yaml, evaluated on sample AgentReleases as
 * kustomize-controller evaluates them ({@link FluxHealthCheck}): what a Flux user waiting on a
 * rollout sees for every state the operator reports.
 */
class FluxHealthCheckTest {

  static final Path KUSTOMIZATION = Repo.DEPLOY.resolve("flux").resolve("agentreleases.yaml");
  static final Path SAMPLES = Repo.FIXTURES.resolve("agentrelease-health");
  static final Path CASES = Repo.FIXTURES.resolve("agentrelease-flux");

  static JsonNode entry() {
    JsonNode exprs = Yaml.document(KUSTOMIZATION).at("/spec/healthCheckExprs");
    assertThat(exprs).hasSize(1);
    return exprs.get(0);
  }

  private static final FluxHealthCheck CHECK = new FluxHealthCheck(entry());

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode test : Yaml.document(CASES.resolve("flux_test.yaml")).path("tests")) {
      cases.add(
          Arguments.of(
              test.path("inputPath").asText(), Status.valueOf(test.path("status").asText())));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("cases")
  void sampleAgentReleaseHasTheExpectedFluxStatus(String input, Status expected) {
    assertThat(CHECK.evaluate(Yaml.document(SAMPLES.resolve(input))).status()).isEqualTo(expected);
  }

  @Test
  void everyHealthSampleHasAFluxExpectationExceptTheOneWithoutGeneration() throws Exception {
    Set<String> expected = new TreeSet<>();
    cases().forEach(a -> expected.add((String) a.get()[0]));
    Set<String> samples = new TreeSet<>();
    try (var files = java.nio.file.Files.list(SAMPLES.resolve("testdata"))) {
      files.forEach(f -> samples.add("testdata/" + f.getFileName()));
    }
    // The API server always sets metadata.generation on custom resources; only Argo CD's check
    // bothers with an object that has none.
    samples.remove("testdata/healthy-without-generation.yaml");
    assertThat(expected).isEqualTo(samples);
  }

  @Test
  void aReleaseTheOperatorHasNotSeenYetKeepsFluxWaiting() {
    Result result = CHECK.evaluate(Yaml.document(SAMPLES.resolve("testdata/no-status.yaml")));

    // No status at all: the expressions cannot be evaluated (Flux documents that has(status)
    // errors too), so kstatus says Unknown and Flux waits, exactly as for InProgress.
    assertThat(result.status()).isEqualTo(Status.Unknown);
    assertThat(result.status()).isNotIn(Status.Current, Status.Failed);
  }

  @ParameterizedTest(name = "Stalled {0} fails the rollout")
  @MethodSource("stalledReasons")
  void everyStalledReasonFails(String reason) {
    assertThat(evaluate(3, 3, Map.of("Ready", "False", "Stalled", "True"), reason))
        .isEqualTo(Status.Failed);
  }

  static Stream<String> stalledReasons() {
    return ArgoCdHealthCheckTest.STALLED_REASONS.stream();
  }

  @ParameterizedTest(name = "Reconciling {0} is in progress")
  @MethodSource("reconcilingReasons")
  void everyTransientReasonIsInProgress(String reason) {
    assertThat(evaluate(3, 3, Map.of("Ready", "False", "Reconciling", "True"), reason))
        .isEqualTo(Status.InProgress);
  }

  static Stream<String> reconcilingReasons() {
    return ArgoCdHealthCheckTest.RECONCILING_REASONS.stream();
  }

  @ParameterizedTest(name = "Ready=True {0} is current")
  @ValueSource(strings = {"Activated", "UpToDate"})
  void readyForTheCurrentGenerationIsCurrent(String reason) {
    assertThat(evaluate(3, 3, Map.of("Ready", "True"), reason)).isEqualTo(Status.Current);
  }

  @Test
  void deliberatePolicyOutcomesAreCurrentOrFailedAsDocumented() {
    // spec.suspend and managementPolicy Observe tell the operator not to act: it did all it was
    // told, and a rollout that waited for it would only time out.
    assertThat(evaluate(3, 3, Map.of("Ready", "False"), "Suspended")).isEqualTo(Status.Current);
    assertThat(evaluate(3, 3, Map.of("Ready", "False"), "ObserveOnly")).isEqualTo(Status.Current);
    // driftPolicy Report: Git and Atoms disagree and the operator will not fix it: a person must.
    assertThat(evaluate(3, 3, Map.of("Ready", "False"), "DriftDetected")).isEqualTo(Status.Failed);
    // spec.activationWindows: waiting for the window is what Git asked for; a Kustomization that
    // waited for it would only time out.
    assertThat(
            evaluate(
                3, 3, Map.of("Ready", "False", "Reconciling", "True"), "OutsideActivationWindow"))
        .isEqualTo(Status.Current);
  }

  @Test
  void aReadyFalseReasonTheExpressionsDoNotKnowKeepsFluxWaiting() {
    assertThat(evaluate(3, 3, Map.of("Ready", "False"), "SomethingNew"))
        .isEqualTo(Status.InProgress);
  }

  @Test
  void aConditionOfThePreviousGenerationIsNotTakenForTheCurrentOne() {
    // status.observedGeneration already moved on, the Ready condition not yet.
    ObjectNode release = release(3, 3, Map.of("Ready", "True"), "Activated");
    ((ObjectNode) release.at("/status/conditions/0")).put("observedGeneration", 2);

    assertThat(CHECK.evaluate(release).status()).isEqualTo(Status.InProgress);
    // And a stale status.observedGeneration is in progress before any expression runs.
    assertThat(evaluate(4, 3, Map.of("Ready", "True"), "Activated")).isEqualTo(Status.InProgress);
    assertThat(evaluate(4, 3, Map.of("Ready", "False", "Stalled", "True"), "InvalidSpec"))
        .isEqualTo(Status.InProgress);
  }

  @Test
  void readyUnknownIsInProgress() {
    assertThat(evaluate(3, 3, Map.of("Ready", "Unknown"), "")).isEqualTo(Status.InProgress);
  }

  @Test
  void everyReasonTheExpressionsNameIsOneTheOperatorWrites() throws Exception {
    Set<String> named = new TreeSet<>();
    JsonNode entry = entry();
    for (String field : List.of("inProgress", "failed", "current")) {
      Matcher m = Pattern.compile("'([A-Za-z]+)'").matcher(entry.path(field).asText());
      while (m.find()) {
        named.add(m.group(1));
      }
    }
    named.removeAll(Set.of("Ready", "Reconciling", "Stalled", "True", "False", "Unknown"));

    assertThat(named)
        .containsExactlyInAnyOrder(
            "Suspended", "ObserveOnly", "DriftDetected", "OutsideActivationWindow");
    assertThat(ArgoCdHealthCheckTest.operatorReasons()).containsAll(named);
  }

  @Test
  void theCheckCoversTheAgentReleaseKindOfTheCrd() {
    JsonNode crd = Yaml.document(Repo.CRD_FILE);
    assertThat(CHECK.apiVersion())
        .isEqualTo(crd.at("/spec/group").asText() + "/" + crd.at("/spec/versions/0/name").asText());
    assertThat(CHECK.kind()).isEqualTo(crd.at("/spec/names/kind").asText());
  }

  /** The evaluator behaves as Flux's own: its documented outcomes for Flux's sample expressions. */
  @Test
  void evaluatorReproducesFluxsOwnOutcomes() {
    FluxHealthCheck readyAll =
        new FluxHealthCheck(
            Yaml.tree(
                """
                apiVersion: example.com/v1
                kind: Thing
                inProgress: has(status.observedGeneration) && metadata.generation != status.observedGeneration
                failed: status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')
                current: status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')
                """));
    // No status: has(status.x) fails; status: {} without conditions: the failed expression fails.
    assertThat(readyAll.evaluate(Yaml.tree("{metadata: {generation: 1}}")).status())
        .isEqualTo(Status.Unknown);
    assertThat(readyAll.evaluate(Yaml.tree("{metadata: {generation: 1}, status: {}}")).status())
        .isEqualTo(Status.Unknown);
    // Empty conditions: all() of nothing is true, and failed is evaluated before current.
    assertThat(
            readyAll
                .evaluate(Yaml.tree("{metadata: {generation: 1}, status: {conditions: []}}"))
                .status())
        .isEqualTo(Status.Failed);
    // status.observedGeneration differs: in progress before any expression.
    assertThat(
            readyAll
                .evaluate(Yaml.tree("{metadata: {generation: 2}, status: {observedGeneration: 1}}"))
                .status())
        .isEqualTo(Status.InProgress);
    // Every expression false: in progress.
    assertThat(
            new FluxHealthCheck(Yaml.tree("{apiVersion: v1, kind: X, current: 'false'}"))
                .evaluate(Yaml.tree("{metadata: {generation: 1}}"))
                .status())
        .isEqualTo(Status.InProgress);
    assertThatThrownBy(() -> new FluxHealthCheck(Yaml.tree("{apiVersion: v1, kind: X}")))
        .hasMessageContaining("expression Current not specified");
  }

  private static Status evaluate(
      long generation, long observed, Map<String, String> conditions, String reason) {
    return CHECK.evaluate(release(generation, observed, conditions, reason)).status();
  }

  private static ObjectNode release(
      long generation, long observed, Map<String, String> conditions, String reason) {
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
                .formatted(generation, observed));
    conditions.forEach(
        (type, status) ->
            yaml.append(
                "    - {type: %s, status: \"%s\", reason: \"%s\", message: m, observedGeneration: %d}\n"
                    .formatted(type, status, reason, observed)));
    return Yaml.documents(yaml.toString()).get(0);
  }
}
