package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
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
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs deploy/argocd/agentrelease-health.lua the way Argo CD does (the object as global {@code
 * obj}, only the base, table, string and math libraries) against sample AgentReleases.
 */
class ArgoCdHealthCheckTest {

  static final Path SCRIPT = Repo.ARGOCD.resolve("agentrelease-health.lua");
  static final Path CASES = Repo.FIXTURES.resolve("agentrelease-health");

  /** Stalled reasons the operator documents (README "status"), plus Conflict. */
  static final List<String> STALLED_REASONS =
      List.of(
          "InvalidSpec",
          "SecretNotFound",
          "Unauthorized",
          "Forbidden",
          "AgentNotFound",
          "VersionNotFound",
          "VersionNotPublished",
          "BadRequest",
          "Conflict",
          "DriftLoop");

  static final List<String> RECONCILING_REASONS =
      List.of("ApiUnavailable", "RateLimited", "ReconcileError");

  record Health(String status, String message) {}

  static Health health(JsonNode agentRelease) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(agentRelease));
    LuaValue result = globals.load(Repo.read(SCRIPT), "health.lua").call();
    return new Health(result.get("status").tojstring(), result.get("message").tojstring());
  }

  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.properties()
          .forEach(
              e -> {
                if (!e.getValue().isNull()) {
                  table.set(e.getKey(), lua(e.getValue()));
                }
              });
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
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
  void healthyOnlyWhenReadyIsTrueForTheCurrentGeneration() {
    ObjectNode current = withConditions(2, Map.of("Ready", "True"), "UpToDate");
    ObjectNode stale = current.deepCopy();
    ((ObjectNode) stale.path("metadata")).put("generation", 3);

    assertThat(health(current).status()).isEqualTo("Healthy");
    assertThat(health(stale).status()).isEqualTo("Progressing");
  }

  @Test
  void everyReasonTheScriptNamesIsOneTheOperatorWrites() throws Exception {
    Set<String> operatorReasons = new TreeSet<>();
    for (Reason reason : Reason.values()) {
      operatorReasons.add(reason.value());
    }
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
