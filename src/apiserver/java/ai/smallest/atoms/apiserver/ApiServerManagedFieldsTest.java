package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * metadata.managedFields as a kube-apiserver keeps them for Update operations: what each field
 * manager last set, per subresource. Clients (and informer caches) carry them in every object.
 */
class ApiServerManagedFieldsTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi().withWidgets();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static JsonNode entry(JsonNode object, String manager, String subresource) {
    for (JsonNode entry : object.at("/metadata/managedFields")) {
      if (entry.path("manager").asText().equals(manager)
          && entry.path("subresource").asText("").equals(subresource)) {
        return entry;
      }
    }
    return null;
  }

  private static List<String> managers(JsonNode object) {
    List<String> managers = new ArrayList<>();
    object
        .at("/metadata/managedFields")
        .forEach(
            e -> managers.add(e.path("manager").asText() + "/" + e.path("subresource").asText("")));
    return managers;
  }

  @Test
  void theCreatorManagesEveryFieldItSentAndTheManagerIsTheFieldManagerParameter() {
    ObjectNode body = widget("made", 2);
    body.with("metadata").putObject("labels").put("team", "a");
    Response created = api.post(WIDGETS + "?fieldManager=kubectl-create", body);

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode entry = entry(created.body(), "kubectl-create", "");
    assertThat(entry).isNotNull();
    assertThat(entry.path("operation").asText()).isEqualTo("Update");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("example.com/v1");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.at("/fieldsV1/f:spec/f:size").isObject()).isTrue();
    assertThat(entry.at("/fieldsV1/f:spec/f:color").isObject()).as("defaulted").isTrue();
    assertThat(entry.at("/fieldsV1/f:metadata/f:labels/f:team").isObject()).isTrue();
    assertThat(entry.at("/fieldsV1/f:metadata/f:name").isMissingNode())
        .as("server-owned metadata")
        .isTrue();
    assertThat(api.get(WIDGETS + "/made").body().at("/metadata/managedFields"))
        .isEqualTo(created.body().at("/metadata/managedFields"));
  }

  @Test
  void aStatusWriteAddsAStatusEntryAndAnUpdateMovesTheFieldsItChanged() {
    api.post(WIDGETS + "?fieldManager=creator", widget("moved", 2));
    Response status =
        api.patch(
            WIDGETS + "/moved/status?fieldManager=operator",
            "application/merge-patch+json",
            "{\"status\":{\"observed\":1,\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    JsonNode statusEntry = entry(status.body(), "operator", "status");
    assertThat(statusEntry.at("/fieldsV1/f:status/f:observed").isObject()).isTrue();
    assertThat(statusEntry.at("/fieldsV1/f:status/f:conditions/k:{\"type\":\"Ready\"}/f:status"))
        .isNotNull();
    assertThat(statusEntry.at("/fieldsV1/f:spec").isMissingNode()).isTrue();

    Response edited =
        api.patch(
            WIDGETS + "/moved?fieldManager=editor",
            "application/merge-patch+json",
            "{\"spec\":{\"size\":3}}");
    assertThat(edited.status()).as(edited.text()).isEqualTo(200);
    assertThat(entry(edited.body(), "editor", "").at("/fieldsV1/f:spec/f:size").isObject())
        .isTrue();
    assertThat(entry(edited.body(), "creator", "").at("/fieldsV1/f:spec/f:size").isMissingNode())
        .as("the field moved to the manager that changed it")
        .isTrue();
    assertThat(entry(edited.body(), "creator", "").at("/fieldsV1/f:spec/f:color").isObject())
        .isTrue();
    assertThat(managers(edited.body()))
        .containsExactlyInAnyOrder("creator/", "operator/status", "editor/");
  }

  @Test
  void aWriteThatChangesNothingChangesNoManagedFields() {
    Response created = api.post(WIDGETS + "?fieldManager=creator", widget("same", 2));
    Response again =
        api.patch(
            WIDGETS + "/same?fieldManager=someone-else",
            "application/merge-patch+json",
            "{\"spec\":{\"size\":2}}");

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().at("/metadata/resourceVersion"))
        .isEqualTo(created.body().at("/metadata/resourceVersion"));
    assertThat(managers(again.body())).containsExactly("creator/");
  }

  @Test
  void whatAClientSendsAsManagedFieldsIsNotTaken() {
    Response created = api.post(WIDGETS + "?fieldManager=creator", widget("kept", 2));
    ObjectNode update = (ObjectNode) created.body().deepCopy();
    update.with("metadata").putArray("managedFields").addObject().put("manager", "forged");
    ((ObjectNode) update.get("spec")).put("size", 4);
    Response updated = api.put(WIDGETS + "/kept?fieldManager=updater", update);

    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(managers(updated.body())).containsExactlyInAnyOrder("creator/", "updater/");
  }

  @Test
  void withoutAFieldManagerParameterTheManagerIsTheUserAgentUpToTheSlash() {
    assertThat(ManagedFields.manager(null, "kubectl/v1.32.0 (linux/amd64) kubernetes/abc"))
        .isEqualTo("kubectl");
    assertThat(ManagedFields.manager("", "fabric8-kubernetes-client/7.4.0"))
        .isEqualTo("fabric8-kubernetes-client");
    assertThat(ManagedFields.manager("mine", "kubectl/v1.32.0")).isEqualTo("mine");
  }
}
