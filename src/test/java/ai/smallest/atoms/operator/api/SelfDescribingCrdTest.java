package ai.smallest.atoms.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checked-in CRD explains itself ({@code kubectl explain agr ...}) and follows the Kubernetes
 * conventions tools rely on: every field described, status.conditions shaped as metav1.Condition,
 * the {@code atoms} category and a Message column. CrdDriftTest guarantees the file is what the
 * model generates, so these are properties of the model.
 */
class SelfDescribingCrdTest {

  private static JsonNode crd;
  private static JsonNode version;
  private static JsonNode root;

  @BeforeAll
  static void readCrd() throws IOException {
    crd = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(CrdDriftTest.CHECKED_IN));
    version = crd.at("/spec/versions/0");
    root = version.at("/schema/openAPIV3Schema");
  }

  /**
   * Paths of the properties under {@code schema} (at any depth: nested objects, items of arrays,
   * values of maps) that have no non-blank description.
   */
  static List<String> undescribed(JsonNode schema, String path) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
      if (property.getValue().path("description").asText().isBlank()) {
        missing.add(child);
      }
      missing.addAll(undescribed(property.getValue(), child));
    }
    if (schema.has("items")) {
      missing.addAll(undescribed(schema.get("items"), path + "[]"));
    }
    if (schema.path("additionalProperties").isObject()) {
      missing.addAll(undescribed(schema.get("additionalProperties"), path + "{}"));
    }
    return missing;
  }

  @Test
  void everyPropertyAtEveryDepthHasADescription() {
    assertThat(root.path("description").asText()).as("kubectl explain agr").isNotBlank();
    assertThat(root.at("/properties/spec/properties").size()).isPositive();
    assertThat(root.at("/properties/status/properties").size()).isPositive();
    assertThat(undescribed(root, ""))
        .as(
            "CRD properties without a description: add @JsonPropertyDescription to the model"
                + " field, then regenerate (./mvnw test -Dtest=CrdDriftTest -Dcrds.update=true)")
        .isEmpty();
  }

  @Test
  void theDescriptionWalkFindsAnUndescribedFieldInsideArrayItemsAndMaps() throws IOException {
    JsonNode schema =
        new ObjectMapper()
            .readTree(
                """
                {"properties": {
                  "list": {"description": "d", "type": "array", "items": {"type": "object",
                    "properties": {"ok": {"description": "d"}, "bare": {"type": "string"},
                                   "inner": {"description": "d", "properties": {"deep": {}}}}}},
                  "map": {"description": "d", "type": "object", "additionalProperties": {
                    "properties": {"value": {"description": " "}}}},
                  "plain": {"type": "string"}}}
                """);
    assertThat(undescribed(schema, ""))
        .containsExactlyInAnyOrder("list[].bare", "list[].inner.deep", "map{}.value", "plain");
  }

  @Test
  void specStatusAndConditionsSayWhatTheyAre() {
    assertThat(root.at("/properties/spec/description").asText()).contains("Desired state");
    assertThat(root.at("/properties/status/description").asText()).contains("Observed state");
    JsonNode conditions = root.at("/properties/status/properties/conditions");
    assertThat(conditions.path("description").asText()).contains("Ready", "Reconciling", "Stalled");
    assertThat(conditions.at("/items/description").asText())
        .isEqualTo(
            "Condition contains details for one aspect of the current state of this API Resource.");
  }

  @Test
  void conditionsHaveTheSchemaOfKubernetesMetav1Condition() {
    JsonNode conditions = root.at("/properties/status/properties/conditions");
    assertThat(conditions.path("type").asText()).isEqualTo("array");
    assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(texts(conditions.path("x-kubernetes-list-map-keys"))).containsExactly("type");

    JsonNode item = conditions.path("items");
    assertThat(item.path("type").asText()).isEqualTo("object");
    assertThat(texts(item.path("required")))
        .containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
    JsonNode fields = item.path("properties");
    assertThat(names(fields))
        .containsExactlyInAnyOrder(
            "type", "status", "observedGeneration", "lastTransitionTime", "reason", "message");

    assertThat(texts(fields.at("/status/enum")))
        .containsExactlyInAnyOrder("True", "False", "Unknown");
    assertThat(fields.at("/lastTransitionTime/type").asText()).isEqualTo("string");
    assertThat(fields.at("/lastTransitionTime/format").asText()).isEqualTo("date-time");
    assertThat(fields.at("/observedGeneration/type").asText()).isEqualTo("integer");
    assertThat(fields.at("/observedGeneration/minimum").asDouble()).isZero();
    assertThat(fields.at("/type/maxLength").asInt()).isEqualTo(316);
    assertThat(fields.at("/type/pattern").asText()).isEqualTo(ConditionSchema.TYPE_PATTERN);
    assertThat(fields.at("/reason/minLength").asInt()).isEqualTo(1);
    assertThat(fields.at("/reason/maxLength").asInt()).isEqualTo(1024);
    assertThat(fields.at("/reason/pattern").asText()).isEqualTo(ConditionSchema.REASON_PATTERN);
    assertThat(fields.at("/message/maxLength").asInt()).isEqualTo(32768);
  }

  @Test
  void everyConditionTheOperatorWritesFitsTheConditionSchema() {
    java.util.regex.Pattern type = java.util.regex.Pattern.compile(ConditionSchema.TYPE_PATTERN);
    java.util.regex.Pattern reason =
        java.util.regex.Pattern.compile(ConditionSchema.REASON_PATTERN);
    for (String conditionType :
        List.of(Conditions.READY, Conditions.RECONCILING, Conditions.STALLED)) {
      assertThat(conditionType).matches(type);
    }
    for (Reason r : Reason.values()) {
      assertThat(r.value()).as(r.name()).matches(reason);
    }
    assertThat(List.of(Conditions.TRUE, Conditions.FALSE, Conditions.UNKNOWN))
        .containsExactlyElementsOf(
            java.util.Arrays.stream(ConditionSchema.Status.values()).map(Enum::name).toList());
  }

  @Test
  void numbersAreBoundedAsTheModelHoldsThem() {
    JsonNode status = root.at("/properties/status/properties");
    for (String generation :
        List.of("/observedGeneration", "/pendingActivation/properties/generation")) {
      assertThat(status.at(generation + "/minimum").asDouble()).as(generation).isZero();
    }
    for (String number :
        List.of(
            "/versionNumber",
            "/pendingActivation/properties/versionNumber",
            "/history/items/properties/versionNumber")) {
      assertThat(status.at(number + "/minimum").asDouble())
          .as(number)
          .isEqualTo((double) Integer.MIN_VALUE);
      assertThat(status.at(number + "/maximum").asDouble())
          .as(number)
          .isEqualTo((double) Integer.MAX_VALUE);
    }
    JsonNode desired = root.at("/properties/spec/properties/versionNumber");
    assertThat(desired.path("minimum").asDouble()).isEqualTo(1.0);
    assertThat(desired.path("maximum").asDouble()).isEqualTo((double) Integer.MAX_VALUE);
  }

  @Test
  void kubectlGetAtomsListsAgentReleases() {
    assertThat(texts(crd.at("/spec/names/categories"))).containsExactly(AgentRelease.CATEGORY);
    assertThat(AgentRelease.CATEGORY).isEqualTo("atoms");
  }

  @Test
  void theReadyMessageIsAWideColumnAfterTheOthers() {
    List<JsonNode> columns =
        StreamSupport.stream(version.path("additionalPrinterColumns").spliterator(), false)
            .toList();
    JsonNode last = columns.get(columns.size() - 1);
    assertThat(last.path("name").asText()).isEqualTo("Message");
    assertThat(last.path("jsonPath").asText())
        .isEqualTo(".status.conditions[?(@.type==\"Ready\")].message");
    assertThat(last.path("type").asText()).isEqualTo("string");
    assertThat(last.path("priority").asInt()).isEqualTo(1);
    assertThat(
            columns.stream()
                .filter(c -> c.path("priority").asInt() == 1)
                .map(c -> c.path("name").asText()))
        .as("-o wide columns, in declaration order")
        .containsExactly("Desired-ID", "Active-ID", "Message");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
