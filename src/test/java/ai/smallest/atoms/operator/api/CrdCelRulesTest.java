package ai.smallest.atoms.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mock API server does not enforce x-kubernetes-validations, so the rules are evaluated here
 * with the CEL reference implementation, read straight from the checked-in CRD: what users install
 * is what is tested.
 */
class CrdCelRulesTest {

  private static JsonNode specSchema;
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();

  @BeforeAll
  static void readCrd() throws Exception {
    JsonNode crd =
        new ObjectMapper(new YAMLFactory()).readTree(Files.readString(CrdDriftTest.CHECKED_IN));
    specSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }

  private static String rule(JsonNode schema) {
    return schema.at("/x-kubernetes-validations/0/rule").asText();
  }

  private static boolean eval(String rule, Object self, Object oldSelf) throws Exception {
    CelRuntime.Program program = CEL.createProgram(CEL.compile(rule).getAst());
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", self);
    if (oldSelf != null) {
      vars.put("oldSelf", oldSelf);
    }
    return (Boolean) program.eval(vars);
  }

  @Test
  void exactlyOneVersionFieldRuleAcceptsOneAndRejectsBothOrNeither() throws Exception {
    String rule = rule(specSchema);
    Map<String, Object> selector = Map.of("strategy", "Latest");

    assertThat(eval(rule, Map.of("agentId", "a", "versionNumber", 3L), null)).isTrue();
    assertThat(eval(rule, Map.of("agentId", "a", "versionId", "64b8"), null)).isTrue();
    assertThat(eval(rule, Map.of("agentId", "a", "versionSelector", selector), null)).isTrue();
    assertThat(eval(rule, Map.of("agentId", "a", "versionNumber", 3L, "versionId", "64b8"), null))
        .isFalse();
    assertThat(
            eval(
                rule,
                Map.of("agentId", "a", "versionNumber", 3L, "versionSelector", selector),
                null))
        .isFalse();
    assertThat(
            eval(
                rule,
                Map.of("agentId", "a", "versionId", "64b8", "versionSelector", selector),
                null))
        .isFalse();
    assertThat(eval(rule, Map.of("agentId", "a"), null)).isFalse();
  }

  @Test
  void exactlyOneRuleHasAMessageKubectlShows() {
    assertThat(specSchema.at("/x-kubernetes-validations/0/message").asText())
        .isEqualTo(
            "exactly one of spec.versionNumber, spec.versionId or spec.versionSelector must be set");
  }

  @Test
  void agentIdIsImmutable() throws Exception {
    JsonNode agentId = specSchema.at("/properties/agentId");
    String rule = rule(agentId);

    assertThat(eval(rule, "agent-1", "agent-1")).isTrue();
    assertThat(eval(rule, "agent-2", "agent-1")).isFalse();
    assertThat(agentId.at("/x-kubernetes-validations/0/message").asText()).contains("immutable");
  }

  @Test
  void schemaRequiresAgentIdAndBoundsItsFields() {
    assertThat(specSchema.at("/required").toString()).contains("agentId");
    assertThat(specSchema.at("/properties/agentId/minLength").asInt()).isEqualTo(1);
    assertThat(specSchema.at("/properties/agentId/maxLength").asInt())
        .isEqualTo(AgentReleaseSpec.AGENT_ID_MAX_LENGTH);
    assertThat(specSchema.at("/properties/versionNumber/minimum").asInt()).isEqualTo(1);
    // The model holds an int: the schema must refuse what it cannot hold (issue #11).
    assertThat(specSchema.at("/properties/versionNumber/maximum").asLong())
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(specSchema.at("/properties/versionId/pattern").asText())
        .isEqualTo(AgentReleaseSpec.VERSION_ID_PATTERN);
    assertThat(specSchema.at("/properties/agentId/pattern").asText())
        .isEqualTo(AgentReleaseSpec.AGENT_ID_PATTERN);
    assertThat(specSchema.at("/properties/apiKeySecretRef/properties/name/pattern").asText())
        .isEqualTo(SecretKeyReference.NAME_PATTERN);
    assertThat(specSchema.at("/properties/suspend/default").asBoolean(true)).isFalse();
    assertThat(specSchema.at("/properties/apiKeySecretRef/properties/key/default").asText())
        .isEqualTo("apiKey");
  }

  @Test
  void aLabelIsRequiredForLatestLabeledAndNotAllowedForTheOtherStrategies() throws Exception {
    JsonNode selector = specSchema.at("/properties/versionSelector");
    String rule = rule(selector);

    assertThat(eval(rule, Map.of("strategy", "LatestLabeled", "label", "stable"), null)).isTrue();
    assertThat(eval(rule, Map.of("strategy", "LatestLabeled"), null)).isFalse();
    assertThat(eval(rule, Map.of("strategy", "Latest"), null)).isTrue();
    assertThat(eval(rule, Map.of("strategy", "LatestPinned", "label", "stable"), null)).isFalse();
    assertThat(selector.at("/properties/strategy/enum").toString())
        .isEqualTo("[\"Latest\",\"LatestLabeled\",\"LatestPinned\"]");
    assertThat(selector.at("/required").toString()).contains("strategy");
    assertThat(selector.at("/properties/minVersionNumber/minimum").asInt()).isEqualTo(1);
  }

  @Test
  void deletionPolicyIsOrphanOrRestoreAndDefaultsToOrphan() {
    JsonNode policy = specSchema.at("/properties/deletionPolicy");
    assertThat(policy.at("/enum").toString()).isEqualTo("[\"Orphan\",\"Restore\"]");
    assertThat(policy.at("/default").asText()).isEqualTo("Orphan");
  }

  @Test
  void driftGuardBoundsItsCountAndItsWindow() throws Exception {
    JsonNode guard = specSchema.at("/properties/driftGuard");
    assertThat(guard.at("/properties/maxCorrections/minimum").asInt()).isEqualTo(1);
    assertThat(guard.at("/properties/maxCorrections/maximum").asInt())
        .isEqualTo(DriftGuard.MAX_CORRECTIONS_LIMIT);
    String window = rule(guard.at("/properties/window"));
    assertThat(eval(window, "30m", null)).isTrue();
    assertThat(eval(window, "59s", null)).isFalse();
  }

  @Test
  void activationWindowsAreBoundedAndTheirFieldsCheckedWhereCelCan() throws Exception {
    JsonNode windows = specSchema.at("/properties/activationWindows");
    JsonNode window = windows.at("/items");
    assertThat(windows.at("/maxItems").asInt()).isEqualTo(AgentReleaseSpec.MAX_ACTIVATION_WINDOWS);
    assertThat(window.at("/required").toString()).contains("schedule").contains("duration");
    assertThat(window.at("/properties/schedule/pattern").asText())
        .isEqualTo(ActivationWindow.SCHEDULE_PATTERN);
    assertThat(window.at("/properties/timeZone/default").asText()).isEqualTo("UTC");

    String schedule = window.at("/properties/schedule/pattern").asText();
    assertThat("0 22 * * 1-5").matches(schedule);
    assertThat("0 22 * *").doesNotMatch(schedule);
    assertThat("0 0 22 * * 1-5").doesNotMatch(schedule);

    String duration = rule(window.at("/properties/duration"));
    assertThat(eval(duration, "2h", null)).isTrue();
    assertThat(eval(duration, "1m", null)).isTrue();
    assertThat(eval(duration, "1h30m", null)).isTrue();
    assertThat(eval(duration, "30s", null)).isFalse();
    assertThat(window.at("/properties/duration/x-kubernetes-validations/0/message").asText())
        .isEqualTo("an activation window must last at least 1m");
  }
}
