package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CRD schemas and CEL rules are enforced with the API server's own messages; defaults are applied.
 */
class ApiServerValidationTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi().withWidgets();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String rejection(ObjectNode widget) {
    Response response = api.post(WIDGETS, widget);
    assertThat(response.status()).as(response.text()).isEqualTo(422);
    assertThat(response.body().at("/reason").asText()).isEqualTo("Invalid");
    return response.body().at("/message").asText();
  }

  @Test
  void aCelRuleRejectsWithItsMessageOnTheRuleField() {
    ObjectNode widget = widget("big", 8);
    assertThat(rejection(widget))
        .isEqualTo(
            "Widget.example.com \"big\" is invalid: spec: Invalid value: \"object\": big widgets must be blue");

    Response cause = api.post(WIDGETS, widget);
    assertThat(cause.body().at("/details/causes/0/field").asText()).isEqualTo("spec");
    assertThat(cause.body().at("/details/causes/0/message").asText())
        .isEqualTo("Invalid value: \"object\": big widgets must be blue");
    assertThat(cause.body().at("/details/kind").asText()).isEqualTo("Widget");
  }

  @Test
  void schemaViolationsAreReportedLikeKubeOpenApi() {
    assertThat(rejection(widget("tiny", 0)))
        .contains(
            "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1");

    ObjectNode wrongType = widget("typed", 1);
    ((ObjectNode) wrongType.get("spec")).put("size", "three");
    assertThat(rejection(wrongType))
        .contains(
            "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"");

    ObjectNode noSize = widget("nosize", 1);
    ((ObjectNode) noSize.get("spec")).remove("size");
    assertThat(rejection(noSize)).contains("spec.size: Required value");

    ObjectNode badColor = widget("color", 1);
    ((ObjectNode) badColor.get("spec")).put("color", "green");
    assertThat(rejection(badColor))
        .contains("spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"");

    ObjectNode badName = widget("named", 1);
    ((ObjectNode) badName.get("spec")).put("name", "Abcdefghijk");
    assertThat(rejection(badName))
        .contains("spec.name: Too long: may not be more than 8 bytes")
        .contains(
            "spec.name: Invalid value: \"Abcdefghijk\": spec.name in body should match '^[a-z]+$'");
  }

  @Test
  void severalErrorsAreListedTogether() {
    ObjectNode widget = widget("many", 0);
    ((ObjectNode) widget.get("spec")).put("color", "green");
    assertThat(rejection(widget)).startsWith("Widget.example.com \"many\" is invalid: [");
  }

  @Test
  void transitionRulesCompareWithTheStoredObject() {
    ObjectNode widget = widget("fixed", 1);
    ((ObjectNode) widget.get("spec")).put("name", "first");
    assertThat(api.post(WIDGETS, widget).status()).isEqualTo(201);

    Response renamed =
        api.patch(WIDGETS + "/fixed", Patches.MERGE_PATCH, "{\"spec\":{\"name\":\"second\"}}");
    assertThat(renamed.status()).isEqualTo(422);
    assertThat(renamed.body().at("/message").asText())
        .contains("spec.name: Invalid value: \"string\": name is immutable");
  }

  @Test
  void defaultsAreAppliedOnWrite() {
    Response created = api.post(WIDGETS, widget("defaulted", 1));
    assertThat(created.body().at("/spec/color").asText()).isEqualTo("red");
  }

  @Test
  void unknownFieldsAreRefusedUnderStrictWarnedAboutUnderWarnAndAlwaysDropped() {
    ObjectNode widget = widget("unknown", 1);
    ((ObjectNode) widget.get("spec")).put("colour", "red");

    Response strict = api.post(WIDGETS + "?fieldValidation=Strict", widget);
    assertThat(strict.status()).isEqualTo(400);
    assertThat(strict.body().at("/message").asText())
        .isEqualTo(
            "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.colour\"");

    Response warned = api.post(WIDGETS, widget);
    assertThat(warned.status()).isEqualTo(201);
    assertThat(warned.headers().allValues("Warning"))
        .containsExactly("299 - \"unknown field \\\"spec.colour\\\"\"");
    assertThat(warned.body().at("/spec").has("colour")).isFalse();
  }

  @Test
  void unknownFieldsOfBuiltInKindsAreFoundFromTheirModel() {
    ObjectNode configMap = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap.putObject("metadata").put("name", "strict").put("nmae", "typo");
    configMap.putObject("data").put("a", "1");
    Response strict =
        api.post("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", configMap);
    assertThat(strict.status()).isEqualTo(400);
    assertThat(strict.body().at("/message").asText()).contains("unknown field \"metadata.nmae\"");
  }

  @Test
  void namesMustBeDnsSubdomains() {
    assertThat(rejection(widget("Not_Valid", 1)))
        .contains(
            "metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain must consist of");
  }

  private static Response statusPatch(String name, String conditionsJson) {
    assertThat(api.post(WIDGETS, widget(name, 1)).status()).isEqualTo(201);
    return api.patch(
        WIDGETS + "/" + name + "/status",
        Patches.MERGE_PATCH,
        "{\"status\":{\"conditions\":" + conditionsJson + "}}");
  }

  @Test
  void aDateTimeFieldRefusesTextThatIsNotAnRfc3339DateTime() {
    Response refused =
        statusPatch("clock", "[{\"type\":\"Ready\",\"lastTransitionTime\":\"yesterday at noon\"}]");
    assertThat(refused.status()).as(refused.text()).isEqualTo(422);
    assertThat(refused.body().at("/message").asText())
        .contains(
            "status.conditions[0].lastTransitionTime: Invalid value: \"yesterday at noon\": "
                + "status.conditions[0].lastTransitionTime in body must be of type date-time: "
                + "\"yesterday at noon\"");
    assertThat(refused.body().at("/details/causes/0/reason").asText())
        .isEqualTo("FieldValueTypeInvalid");

    Response accepted =
        api.patch(
            WIDGETS + "/clock/status",
            Patches.MERGE_PATCH,
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\","
                + "\"lastTransitionTime\":\"2024-05-01T10:00:00.5+02:00\"}]}}");
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
  }

  @Test
  void dateTimesAreCheckedAsKubeOpenApiChecksThem() {
    assertThat(StructuralSchema.isDateTime("2024-05-01T10:00:00Z")).isTrue();
    assertThat(StructuralSchema.isDateTime("2024-05-01t10:00:00z")).isTrue();
    assertThat(StructuralSchema.isDateTime("2024-02-29T23:59:59.123456789-07:00")).isTrue();
    assertThat(StructuralSchema.isDateTime("2024-05-01T10:00:00")).as("no zone").isFalse();
    assertThat(StructuralSchema.isDateTime("2024-05-01 10:00:00Z")).as("no T").isFalse();
    assertThat(StructuralSchema.isDateTime("2023-02-29T10:00:00Z")).as("no such day").isFalse();
    assertThat(StructuralSchema.isDateTime("2024-05-01T24:00:00Z")).isFalse();
    assertThat(StructuralSchema.isDateTime("2024-05-01T10:60:00Z")).isFalse();
    assertThat(StructuralSchema.isDateTime("2024-05-01T10:00:00+0200")).isFalse();
    assertThat(StructuralSchema.isDateTime("1714557600")).isFalse();
    assertThat(StructuralSchema.isDateTime("")).isFalse();
  }

  @Test
  void aListMapRefusesTwoItemsWithTheSameKey() {
    Response refused =
        statusPatch(
            "twice",
            "[{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"Stalled\"},"
                + "{\"type\":\"Ready\",\"status\":\"False\"}]");
    assertThat(refused.status()).as(refused.text()).isEqualTo(422);
    assertThat(refused.body().at("/message").asText())
        .isEqualTo(
            "Widget.example.com \"twice\" is invalid: status.conditions[2]: Duplicate value: "
                + "map[string]interface {}{\"type\":\"Ready\"}");
    assertThat(refused.body().at("/details/causes/0/reason").asText())
        .isEqualTo("FieldValueDuplicate");

    Response distinct =
        api.patch(
            WIDGETS + "/twice/status",
            Patches.MERGE_PATCH,
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\"},{\"type\":\"Stalled\"}]}}");
    assertThat(distinct.status()).as(distinct.text()).isEqualTo(200);
  }

  @Test
  void aListSetRefusesARepeatedItem() {
    ObjectNode widget = widget("tagged", 1);
    ((ObjectNode) widget.get("spec")).putArray("tags").add("a").add("b").add("a").add("a");
    assertThat(rejection(widget))
        .isEqualTo(
            "Widget.example.com \"tagged\" is invalid: spec.tags[2]: Duplicate value: \"a\"");
  }

  @Test
  void aDuplicateIsPrintedAsGoPrintsTheKeysOrTheItem() throws Exception {
    assertThat(
            FieldError.duplicate(
                    "spec.ports[1]", Json.MAPPER.readTree("{\"protocol\":\"TCP\",\"port\":80}"))
                .toString())
        .isEqualTo(
            "spec.ports[1]: Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}");
    assertThat(FieldError.duplicate("spec.sizes[2]", Json.MAPPER.readTree("5")).toString())
        .isEqualTo("spec.sizes[2]: Duplicate value: 5");
  }

  @Test
  void anObjectStoredWithARepeatBeforeTheListBecameASetCanStillBeUpdated() {
    String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    String gizmos = "/apis/example.com/v1/namespaces/default/gizmos";
    ObjectNode crd = (ObjectNode) TestApi.resourceYaml("apiserver/widgets-crd.yaml");
    ((ObjectNode) crd.get("metadata")).put("name", "gizmos.example.com");
    ((ObjectNode) crd.at("/spec/names"))
        .put("kind", "Gizmo")
        .put("plural", "gizmos")
        .put("singular", "gizmo")
        .remove("shortNames");
    ObjectNode tags =
        (ObjectNode)
            crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/tags");
    tags.remove("x-kubernetes-list-type");
    assertThat(api.post(crds, crd).status()).isEqualTo(201);
    ObjectNode gizmo = widget("old", 1).put("kind", "Gizmo");
    ((ObjectNode) gizmo.get("spec")).putArray("tags").add("a").add("a");
    assertThat(api.post(gizmos, gizmo).status()).isEqualTo(201);

    ObjectNode stored = (ObjectNode) api.get(crds + "/gizmos.example.com").body();
    ((ObjectNode)
            stored.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/tags"))
        .put("x-kubernetes-list-type", "set");
    assertThat(api.put(crds + "/gizmos.example.com", stored).status()).isEqualTo(200);

    Response resized = api.patch(gizmos + "/old", Patches.MERGE_PATCH, "{\"spec\":{\"size\":2}}");
    assertThat(resized.status()).as(resized.text()).isEqualTo(200);
    ((ObjectNode) gizmo.get("metadata")).put("name", "new");
    Response fresh = api.post(gizmos, gizmo);
    assertThat(fresh.status()).isEqualTo(422);
    assertThat(fresh.body().at("/message").asText())
        .contains("spec.tags[1]: Duplicate value: \"a\"");
  }

  @Test
  void aCrdWithARuleThatDoesNotCompileIsRefused() {
    ObjectNode crd = (ObjectNode) TestApi.resourceYaml("apiserver/widgets-crd.yaml");
    ((ObjectNode) crd.get("metadata")).put("name", "gadgets.example.com");
    ((ObjectNode) crd.at("/spec/names"))
        .put("kind", "Gadget")
        .put("plural", "gadgets")
        .put("singular", "gadget")
        .remove("shortNames");
    ((ObjectNode)
            crd.at(
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0"))
        .put("rule", "self.size <");
    Response response = api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.body().at("/message").asText()).contains("compilation failed");
  }
}
