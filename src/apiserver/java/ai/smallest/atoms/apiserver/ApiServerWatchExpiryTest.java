package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Watch expiry as a real cluster produces it, driven through the Java API and the admin endpoint:
 * compaction makes old resourceVersions 410 Gone, expired watches make informers list again, closed
 * watches make them resume, and periodic compaction with a watch timeout does the same on its own.
 */
class ApiServerWatchExpiryTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** What an informer's handler was told, as "ADD name", "UPDATE name", "DELETE name". */
  static final class Recorder implements ResourceEventHandler<ConfigMap> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(ConfigMap obj) {
      events.add("ADD " + obj.getMetadata().getName());
    }

    @Override
    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
      events.add("UPDATE " + newObj.getMetadata().getName());
    }

    @Override
    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
      events.add("DELETE " + obj.getMetadata().getName());
    }

    long count(String event) {
      return events.stream().filter(event::equals).count();
    }
  }

  static ConfigMap configMap(String namespace, String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  static long lists(EmbeddedApiServer server, String client) {
    return server
        .requests()
        .count(RequestFilter.any().client(client).verbs("list").resource("configmaps"));
  }

  static long watchesOpened(EmbeddedApiServer server, String client) {
    return server
        .requests()
        .count(RequestFilter.any().client(client).verbs("watch").resource("configmaps"));
  }

  @Test
  void anExpiredWatchMakesAnInformerListAgainAndItKeepsDeliveringEvents() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("expiry-test")) {
      EmbeddedApiServer server = api.server;
      server.createNamespace("expiry");
      Recorder recorder = new Recorder();
      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace("expiry").inform(recorder, 0);
      client.resource(configMap("expiry", "before")).create();
      await().atMost(WAIT).until(() -> recorder.count("ADD before") == 1);
      assertThat(lists(server, "expiry-test")).isEqualTo(1);

      assertThat(server.expireWatches()).isEqualTo(1);

      await().atMost(WAIT).until(() -> lists(server, "expiry-test") == 2);
      await().atMost(WAIT).until(() -> server.watches().size() == 1);
      client.resource(configMap("expiry", "after")).create();
      await().atMost(WAIT).until(() -> recorder.count("ADD after") == 1);
      assertThat(recorder.count("ADD before")).as("the relist adds nothing twice").isEqualTo(1);
      assertThat(informer.getStore().listKeys())
          .containsExactlyInAnyOrder("expiry/before", "expiry/after");
      informer.close();
    }
  }

  @Test
  void aClosedWatchIsResumedFromItsResourceVersionWithoutListingAgain() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("close-test")) {
      EmbeddedApiServer server = api.server;
      server.createNamespace("closing");
      Recorder recorder = new Recorder();
      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace("closing").inform(recorder, 0);
      await().atMost(WAIT).until(() -> server.watches().size() == 1);

      assertThat(server.closeWatches()).isEqualTo(1);
      // While it is away, a change: the resumed watch replays it from the history.
      client.resource(configMap("closing", "while-away")).create();

      await().atMost(WAIT).until(() -> watchesOpened(server, "close-test") == 2);
      await().atMost(WAIT).until(() -> recorder.count("ADD while-away") == 1);
      assertThat(lists(server, "close-test")).isEqualTo(1);
      informer.close();
    }
  }

  @Test
  void periodicCompactionAndAWatchTimeoutMakeAnIdleInformerListAgain() {
    EmbeddedApiServer.Options options =
        EmbeddedApiServer.options()
            .compactEvery(Duration.ofMillis(300))
            .watchTimeout(Duration.ofSeconds(1));
    try (TestApi api = new TestApi(options);
        KubernetesClient client = api.client("idle-test")) {
      EmbeddedApiServer server = api.server;
      server.createNamespace("idle");
      server.createNamespace("busy");
      Recorder recorder = new Recorder();
      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace("idle").inform(recorder, 0);
      await().atMost(WAIT).until(() -> server.watches().size() == 1);
      // Writes elsewhere move the resourceVersion past the idle informer's, then get compacted.
      client.resource(configMap("busy", "elsewhere")).create();

      await().atMost(WAIT).until(() -> lists(server, "idle-test") >= 2);
      client.resource(configMap("idle", "later")).create();
      await().atMost(WAIT).until(() -> recorder.count("ADD later") == 1);
      informer.close();
    }
  }

  @Test
  void aWatchFromACompactedResourceVersionEndsWith410Expired() throws Exception {
    try (TestApi api = new TestApi().withWidgets()) {
      String rv =
          api.post(WIDGETS, widget("compacted", 1)).body().at("/metadata/resourceVersion").asText();
      api.post(WIDGETS, widget("newer", 1));

      JsonNode compacted = api.post("/_admin/compact", Json.object()).body();
      assertThat(compacted.at("/compactedResourceVersion").asLong())
          .isGreaterThan(Long.parseLong(rv));

      try (InputStream stream = api.watch(WIDGETS + "?watch=true&resourceVersion=" + rv);
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        JsonNode event = Json.MAPPER.readTree(lines.readLine());
        assertThat(event.at("/type").asText()).isEqualTo("ERROR");
        assertThat(event.at("/object/code").asInt()).isEqualTo(410);
        assertThat(event.at("/object/reason").asText()).isEqualTo("Expired");
        assertThat(lines.readLine()).as("the stream ends").isNull();
      }
      // A list's resourceVersion is never older than the compaction: watching from it works.
      String listed = api.get(WIDGETS).body().at("/metadata/resourceVersion").asText();
      try (InputStream stream = api.watch(WIDGETS + "?watch=true&resourceVersion=" + listed)) {
        assertThat(stream).isNotNull();
      }
    }
  }

  @Test
  void theAdminEndpointListsExpiresAndClosesWatchesSelectively() throws Exception {
    try (TestApi api = new TestApi().withWidgets();
        KubernetesClient client = api.client("admin-test")) {
      EmbeddedApiServer server = api.server;
      Recorder configMaps = new Recorder();
      SharedIndexInformer<ConfigMap> informer = client.configMaps().inform(configMaps, 0);
      try (InputStream widgets = api.watch(WIDGETS + "?watch=true");
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(widgets, StandardCharsets.UTF_8))) {
        await().atMost(WAIT).until(() -> server.watches().size() == 2);
        JsonNode listed = api.get("/_admin/watches").body();
        assertThat(listed.at("/items").findValuesAsText("resource"))
            .containsExactlyInAnyOrder("configmaps", "widgets.example.com");
        assertThat(listed.at("/items").findValuesAsText("transport"))
            .containsExactlyInAnyOrder("websocket", "http");

        JsonNode expired =
            api.post("/_admin/watches/expire?resource=widgets", Json.object()).body();
        assertThat(expired.at("/expired").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(lines.readLine()).at("/object/code").asInt())
            .isEqualTo(410);
      }
      JsonNode closed = api.post("/_admin/watches/close?client=admin-test", Json.object()).body();
      assertThat(closed.at("/closed").asInt()).isEqualTo(1);
      await().atMost(WAIT).until(() -> watchesOpened(server, "admin-test") == 2);
      informer.close();
    }
  }
}
