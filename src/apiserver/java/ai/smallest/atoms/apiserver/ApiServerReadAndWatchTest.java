package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads as clients expect them: discovery, OpenAPI, Tables, selectors, paging, watches, protobuf
 * bodies.
 */
class ApiServerReadAndWatchTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi().withWidgets();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void versionAndDiscoveryListTheResourcesOfAppliedCrds() {
    assertThat(api.get("/version").body().at("/gitVersion").asText())
        .isEqualTo(EmbeddedApiServer.KUBERNETES_VERSION);
    assertThat(api.get("/api").body().at("/versions/0").asText()).isEqualTo("v1");
    assertThat(api.get("/apis").body().findValuesAsText("name"))
        .contains("example.com", "apiextensions.k8s.io", "coordination.k8s.io");

    JsonNode widgets = api.get("/apis/example.com/v1").body().at("/resources");
    assertThat(widgets.findValuesAsText("name")).containsExactly("widgets", "widgets/status");
    assertThat(widgets.at("/0/shortNames/0").asText()).isEqualTo("wd");
    assertThat(widgets.at("/0/namespaced").asBoolean()).isTrue();
    assertThat(api.get("/api/v1").body().at("/resources").findValuesAsText("name"))
        .contains("namespaces", "secrets", "configmaps", "events");
  }

  @Test
  void aggregatedDiscoveryIsDeclinedWithThePlainDocumentAndProtobufAloneIsNotAcceptable() {
    Response aggregated =
        api.get(
            "/apis",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    assertThat(aggregated.body().at("/kind").asText()).isEqualTo("APIGroupList");
    assertThat(api.get("/api/v1/namespaces", "application/vnd.kubernetes.protobuf").status())
        .isEqualTo(406);
    assertThat(
            api.get("/api/v1/namespaces", "application/vnd.kubernetes.protobuf,application/json")
                .status())
        .isEqualTo(200);
  }

  @Test
  void openApiV3DescribesCustomResourcesForExplainAndAdvertisesServerSideFieldValidation() {
    JsonNode index = api.get("/openapi/v3").body();
    String url = index.at("/paths/apis~1example.com~1v1/serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/example.com/v1?hash=");

    JsonNode doc = api.get(url).body();
    JsonNode widget = doc.at("/components/schemas/com.example.v1.Widget");
    assertThat(widget.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("Widget");
    assertThat(widget.at("/properties/spec/properties/size/minimum").asInt()).isEqualTo(1);
    JsonNode patch =
        doc.at("/paths/~1apis~1example.com~1v1~1namespaces~1{namespace}~1widgets~1{name}/patch");
    assertThat(patch.at("/parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(patch.at("/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Widget");
    assertThat(api.get("/openapi/v2").status()).isEqualTo(200);
  }

  @Test
  void tablesShowThePrinterColumnsWithDatesAsAges() {
    ObjectNode ready = widget("tabled", 3);
    assertThat(api.post(WIDGETS, ready).status()).isEqualTo(201);
    api.patch(
        WIDGETS + "/tabled/status",
        Patches.MERGE_PATCH,
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");

    JsonNode table =
        api.get(
                WIDGETS + "?fieldSelector=metadata.name%3Dtabled",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            .body();

    assertThat(table.at("/kind").asText()).isEqualTo("Table");
    assertThat(table.at("/columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Size", "Ready", "Color", "Age");
    assertThat(table.at("/columnDefinitions/3/priority").asInt()).isEqualTo(1);
    JsonNode cells = table.at("/rows/0/cells");
    assertThat(cells.get(0).asText()).isEqualTo("tabled");
    assertThat(cells.get(1).asInt()).isEqualTo(3);
    assertThat(cells.get(2).asText()).isEqualTo("True");
    assertThat(cells.get(3).asText()).isEqualTo("red");
    assertThat(cells.get(4).asText()).matches("\\d+s");
    assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void listsFilterByLabelAndFieldSelectorsAndPage() {
    for (String name : List.of("sel-a", "sel-b", "sel-c")) {
      ObjectNode widget = widget(name, 1);
      ((ObjectNode) widget.get("metadata"))
          .putObject("labels")
          .put("tier", name.equals("sel-c") ? "back" : "front");
      api.post(WIDGETS, widget);
    }
    assertThat(names(api.get(WIDGETS + "?labelSelector=tier%3Dfront").body()))
        .containsExactly("sel-a", "sel-b");
    assertThat(names(api.get(WIDGETS + "?labelSelector=tier%20in%20(back)").body()))
        .containsExactly("sel-c");
    assertThat(names(api.get(WIDGETS + "?labelSelector=tier,tier!%3Dfront").body()))
        .containsExactly("sel-c");
    assertThat(names(api.get(WIDGETS + "?fieldSelector=metadata.name%3Dsel-b").body()))
        .containsExactly("sel-b");
    assertThat(api.get(WIDGETS + "?fieldSelector=spec.size%3D1").status()).isEqualTo(400);

    JsonNode first = api.get(WIDGETS + "?labelSelector=tier&limit=2").body();
    assertThat(names(first)).containsExactly("sel-a", "sel-b");
    String next = first.at("/metadata/continue").asText();
    assertThat(names(api.get(WIDGETS + "?labelSelector=tier&limit=2&continue=" + next).body()))
        .containsExactly("sel-c");
  }

  @Test
  void aWatchResumesAfterAResourceVersionAndSeesObjectsLeaveItsSelector() throws Exception {
    ObjectNode widget = widget("watched", 1);
    ((ObjectNode) widget.get("metadata")).putObject("labels").put("watch", "me");
    String rv = api.post(WIDGETS, widget).body().at("/metadata/resourceVersion").asText();
    api.patch(WIDGETS + "/watched", Patches.MERGE_PATCH, "{\"spec\":{\"size\":2}}");

    try (InputStream stream =
            api.watch(WIDGETS + "?watch=true&labelSelector=watch%3Dme&resourceVersion=" + rv);
        BufferedReader events =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      JsonNode modified = Json.MAPPER.readTree(events.readLine());
      assertThat(modified.at("/type").asText()).isEqualTo("MODIFIED");
      assertThat(modified.at("/object/spec/size").asInt()).isEqualTo(2);

      api.patch(
          WIDGETS + "/watched",
          Patches.MERGE_PATCH,
          "{\"metadata\":{\"labels\":{\"watch\":null}}}");
      JsonNode left = Json.MAPPER.readTree(events.readLine());
      assertThat(left.at("/type").asText()).isEqualTo("DELETED");
      assertThat(left.at("/object/metadata/name").asText()).isEqualTo("watched");
    }
  }

  @Test
  void aWatchWithoutResourceVersionStartsWithTheCurrentObjects() throws Exception {
    api.post(WIDGETS, widget("existing", 1));
    try (InputStream stream =
            api.watch(WIDGETS + "?watch=1&fieldSelector=metadata.name%3Dexisting");
        BufferedReader events =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      JsonNode added = Json.MAPPER.readTree(events.readLine());
      assertThat(added.at("/type").asText()).isEqualTo("ADDED");
      assertThat(added.at("/object/kind").asText()).isEqualTo("Widget");
    }
  }

  @Test
  void aWatchAnswersBeforeItsFirstEvent() throws Exception {
    // client-go cannot stop a watch that has not answered: kubectl wait on a condition that is
    // already met would otherwise hang until the object next changes.
    String rv = api.get(WIDGETS).body().at("/metadata/resourceVersion").asText();
    try (InputStream stream =
        api.watch(
            WIDGETS + "?watch=true&fieldSelector=metadata.name%3Dnobody&resourceVersion=" + rv)) {
      assertThat(stream).isNotNull();
    }
  }

  @Test
  void aResourceVersionOlderThanTheHistoryIsGone() {
    ObjectStore store = new ObjectStore(2);
    ResourceType type = new ResourceRegistry().namespaceType();
    for (String name : List.of("a", "b", "c", "d")) {
      ObjectNode ns = Json.object();
      ns.putObject("metadata").put("name", name);
      store.put(type, ns);
    }
    assertThat(store.subscribe(type.storageKey(), 1, e -> {})).isEmpty();
    assertThat(store.subscribe(type.storageKey(), 2, e -> {})).isPresent();
  }

  @Test
  void fabric8ClientsWatchOverWebSockets() throws Exception {
    Config config =
        new ConfigBuilder().withMasterUrl(api.server.url()).withNamespace("default").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      try (var watch =
          client
              .configMaps()
              .inNamespace("default")
              .watch(
                  new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                      seen.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("via-fabric8")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED via-fabric8");
      }
      assertThat(client.configMaps().inNamespace("default").withName("via-fabric8").get().getData())
          .containsEntry("k", "v");
    }
  }

  @Test
  void protobufSecretBodiesFromKubectlCreateAreDecoded() {
    // `kubectl create secret generic proto --from-literal=a=b`, as kubectl v1.32 encodes it.
    byte[] body =
        HexFormat.of()
            .parseHex(
                "6b3873000a0c0a027631120653656372657412210a150a0570726f746f12001a00"
                    + "22002a0032003800420012060a01611201621a001a002200");
    Response created =
        api.send(
            HttpRequest.newBuilder(
                    api.uri("/api/v1/namespaces/default/secrets?fieldValidation=Strict"))
                .header("Content-Type", "application/vnd.kubernetes.protobuf")
                .header("Accept", "application/vnd.kubernetes.protobuf,application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.body().at("/metadata/name").asText()).isEqualTo("proto");
    assertThat(created.body().at("/data/a").asText()).isEqualTo("Yg==");
  }

  private static List<String> names(JsonNode list) {
    return list.at("/items").findValuesAsText("name").stream()
        .filter(n -> n.startsWith("sel-"))
        .distinct()
        .toList();
  }
}
