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
 * What a kube-apiserver does with writes, and clients rely on: status split, generation,
 * concurrency, patches.
 */
class ApiServerWriteSemanticsTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi().withWidgets();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static ObjectNode created(String name, int size) {
    Response response = api.post(WIDGETS, widget(name, size));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return (ObjectNode) response.body();
  }

  @Test
  void createSetsServerOwnedMetadataAndDropsStatusOfAStatusSubresource() {
    ObjectNode body = widget("born", 2);
    body.putObject("status").put("observed", 7);
    Response response = api.post(WIDGETS, body);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body().at("/metadata/uid").asText()).isNotEmpty();
    assertThat(response.body().at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(response.body().at("/metadata/namespace").asText()).isEqualTo("default");
    assertThat(response.body().at("/metadata/creationTimestamp").asText()).endsWith("Z");
    assertThat(response.body().has("status")).isFalse();
    assertThat(api.post(WIDGETS, widget("born", 2)).body().at("/reason").asText())
        .isEqualTo("AlreadyExists");
  }

  @Test
  void writesToTheObjectIgnoreStatusAndWritesToStatusChangeOnlyStatus() {
    ObjectNode widget = created("split", 2);
    ObjectNode statusWrite = widget.deepCopy();
    statusWrite.putObject("status").put("observed", 1);
    ((ObjectNode) statusWrite.get("spec")).put("size", 9);
    Response status = api.put(WIDGETS + "/split/status", statusWrite);
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    assertThat(status.body().at("/status/observed").asInt()).isEqualTo(1);
    assertThat(status.body().at("/spec/size").asInt())
        .as("spec is not written through /status")
        .isEqualTo(2);
    assertThat(status.body().at("/metadata/generation").asLong()).isEqualTo(1);

    ObjectNode mainWrite = (ObjectNode) status.body().deepCopy();
    ((ObjectNode) mainWrite.get("status")).put("observed", 99);
    Response main = api.put(WIDGETS + "/split", mainWrite);
    assertThat(main.status()).isEqualTo(200);
    assertThat(main.body().at("/status/observed").asInt())
        .as("status is not written through the object")
        .isEqualTo(1);
  }

  @Test
  void generationCountsSpecChangesOnly() {
    created("gen", 2);
    Response label =
        api.patch(
            WIDGETS + "/gen", Patches.MERGE_PATCH, "{\"metadata\":{\"labels\":{\"team\":\"a\"}}}");
    assertThat(label.body().at("/metadata/generation").asLong()).isEqualTo(1);
    Response status =
        api.patch(WIDGETS + "/gen/status", Patches.MERGE_PATCH, "{\"status\":{\"observed\":1}}");
    assertThat(status.body().at("/metadata/generation").asLong()).isEqualTo(1);
    Response spec = api.patch(WIDGETS + "/gen", Patches.MERGE_PATCH, "{\"spec\":{\"size\":3}}");
    assertThat(spec.body().at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    ObjectNode widget = created("stale", 2);
    String firstVersion = widget.at("/metadata/resourceVersion").asText();
    ((ObjectNode) widget.get("spec")).put("size", 3);
    assertThat(api.put(WIDGETS + "/stale", widget).status()).isEqualTo(200);

    ((ObjectNode) widget.get("spec")).put("size", 4);
    Response stale = api.put(WIDGETS + "/stale", widget);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body().at("/reason").asText()).isEqualTo("Conflict");
    assertThat(stale.body().at("/message").asText()).contains("the object has been modified");

    Response stalePatch =
        api.patch(
            WIDGETS + "/stale",
            Patches.MERGE_PATCH,
            "{\"metadata\":{\"resourceVersion\":\"" + firstVersion + "\"},\"spec\":{\"size\":5}}");
    assertThat(stalePatch.status()).isEqualTo(409);
  }

  @Test
  void anUpdateOfACustomResourceMustNameTheResourceVersionItStartsFrom() {
    ObjectNode widget = created("unconditional", 2);
    ((ObjectNode) widget.get("metadata")).remove("resourceVersion");
    Response response = api.put(WIDGETS + "/unconditional", widget);
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.body().at("/message").asText())
        .contains("metadata.resourceVersion: Invalid value: 0: must be specified for an update");
  }

  @Test
  void aNoOpUpdateKeepsTheResourceVersion() {
    ObjectNode widget = created("noop", 2);
    Response same = api.put(WIDGETS + "/noop", widget);
    assertThat(same.body().at("/metadata/resourceVersion").asText())
        .isEqualTo(widget.at("/metadata/resourceVersion").asText());
  }

  @Test
  void mergePatchDeletesWithNullAndReplacesArrays() {
    ObjectNode widget = widget("merge", 2);
    ((ObjectNode) widget.get("spec")).put("name", "abc").putArray("tags").add("a").add("b");
    ((ObjectNode) widget.get("spec")).putObject("labels").put("x", "1").put("y", "2");
    assertThat(api.post(WIDGETS, widget).status()).isEqualTo(201);

    Response patched =
        api.patch(
            WIDGETS + "/merge",
            Patches.MERGE_PATCH,
            "{\"spec\":{\"tags\":[\"c\"],\"labels\":{\"x\":null,\"z\":\"3\"}}}");

    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    assertThat(patched.body().at("/spec/tags").toString()).isEqualTo("[\"c\"]");
    assertThat(patched.body().at("/spec/labels").toString()).isEqualTo("{\"y\":\"2\",\"z\":\"3\"}");
    assertThat(patched.body().at("/spec/name").asText()).isEqualTo("abc");
  }

  @Test
  void jsonPatchAppliesOperationsAndAFailedTestIsRejected() {
    created("jp", 2);
    Response patched =
        api.patch(
            WIDGETS + "/jp",
            Patches.JSON_PATCH,
            "[{\"op\":\"test\",\"path\":\"/spec/size\",\"value\":2},{\"op\":\"replace\",\"path\":\"/spec/size\",\"value\":4},"
                + "{\"op\":\"add\",\"path\":\"/spec/tags\",\"value\":[\"t\"]}]");
    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    assertThat(patched.body().at("/spec/size").asInt()).isEqualTo(4);

    Response failed =
        api.patch(
            WIDGETS + "/jp",
            Patches.JSON_PATCH,
            "[{\"op\":\"test\",\"path\":\"/spec/size\",\"value\":2}]");
    assertThat(failed.status()).isEqualTo(422);

    // As on a real server: adding under a parent that does not exist fails (no implicit objects).
    Response missingParent =
        api.patch(
            WIDGETS + "/jp/status",
            Patches.JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/status/observed\",\"value\":1}]");
    assertThat(missingParent.status()).isEqualTo(422);
  }

  @Test
  void strategicMergePatchIsRefusedForCustomResourcesAndMergesBuiltIns() {
    created("smp", 2);
    Response custom =
        api.patch(WIDGETS + "/smp", Patches.STRATEGIC_MERGE_PATCH, "{\"spec\":{\"size\":3}}");
    assertThat(custom.status()).isEqualTo(415);
    assertThat(custom.body().at("/message").asText())
        .contains(
            "accepted media types include: application/json-patch+json, application/merge-patch+json");

    ObjectNode configMap = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap.putObject("metadata").put("name", "smp");
    configMap.putObject("data").put("a", "1").put("b", "2");
    assertThat(api.post("/api/v1/namespaces/default/configmaps", configMap).status())
        .isEqualTo(201);
    Response builtIn =
        api.patch(
            "/api/v1/namespaces/default/configmaps/smp",
            Patches.STRATEGIC_MERGE_PATCH,
            "{\"data\":{\"a\":null,\"c\":\"3\"},\"$setElementOrder/x\":[]}");
    assertThat(builtIn.status()).as(builtIn.text()).isEqualTo(200);
    assertThat(builtIn.body().at("/data").toString()).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
  }

  @Test
  void finalizersDelayDeletionUntilTheyAreRemoved() {
    ObjectNode widget = widget("final", 2);
    ((ObjectNode) widget.get("metadata")).putArray("finalizers").add("example.com/cleanup");
    assertThat(api.post(WIDGETS, widget).status()).isEqualTo(201);

    Response deleting = api.delete(WIDGETS + "/final");
    assertThat(deleting.status()).isEqualTo(200);
    assertThat(api.get(WIDGETS + "/final").body().at("/metadata/deletionTimestamp").asText())
        .isNotEmpty();

    api.patch(WIDGETS + "/final", Patches.MERGE_PATCH, "{\"metadata\":{\"finalizers\":null}}");
    assertThat(api.get(WIDGETS + "/final").status()).isEqualTo(404);
  }

  @Test
  void objectsCanOnlyBeCreatedInExistingNamespacesAndDryRunStoresNothing() {
    Response missing =
        api.post("/apis/example.com/v1/namespaces/nowhere/widgets", widget("lost", 2));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().at("/message").asText())
        .isEqualTo("namespaces \"nowhere\" not found");

    assertThat(api.post(WIDGETS + "?dryRun=All", widget("dry", 2)).status()).isEqualTo(201);
    assertThat(api.get(WIDGETS + "/dry").status()).isEqualTo(404);
  }

  @Test
  void generateNameGetsARandomSuffix() {
    ObjectNode widget = widget("x", 2);
    ((ObjectNode) widget.get("metadata")).remove("name");
    ((ObjectNode) widget.get("metadata")).put("generateName", "gen-");
    Response response = api.post(WIDGETS, widget);
    assertThat(response.body().at("/metadata/name").asText()).matches("gen-[a-z0-9]{5}");
  }

  @Test
  void secretStringDataIsStoredAsBase64Data() {
    ObjectNode secret = Json.object().put("apiVersion", "v1").put("kind", "Secret");
    secret.putObject("metadata").put("name", "creds");
    secret.putObject("stringData").put("apiKey", "sandbox-key");
    Response response = api.post("/api/v1/namespaces/default/secrets", secret);
    assertThat(response.body().at("/data/apiKey").asText()).isEqualTo("c2FuZGJveC1rZXk=");
    assertThat(response.body().has("stringData")).isFalse();
    assertThat(response.body().at("/type").asText()).isEqualTo("Opaque");
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    ObjectNode namespace = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
    namespace.putObject("metadata").put("name", "doomed");
    assertThat(api.post("/api/v1/namespaces", namespace).body().at("/status/phase").asText())
        .isEqualTo("Active");
    assertThat(
            api.post("/apis/example.com/v1/namespaces/doomed/widgets", widget("inside", 2))
                .status())
        .isEqualTo(201);

    assertThat(api.delete("/api/v1/namespaces/doomed").status()).isEqualTo(200);
    assertThat(api.get("/apis/example.com/v1/namespaces/doomed/widgets/inside").status())
        .isEqualTo(404);
  }
}
