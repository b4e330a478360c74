package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.configMap;
import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.lists;
import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.watchesOpened;
import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.Recorder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Watches that allow bookmarks get one every bookmark interval (and on demand) with the current
 * resourceVersion, so a quiet watcher can resume after a compaction instead of listing again.
 */
class ApiServerBookmarkTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void watchesThatAllowBookmarksGetThemPeriodicallyWithTheCurrentResourceVersion()
      throws Exception {
    try (TestApi api =
        new TestApi(EmbeddedApiServer.options().bookmarkInterval(Duration.ofMillis(200)))
            .withWidgets()) {
      try (InputStream stream =
              api.watch(WIDGETS + "?watch=true&allowWatchBookmarks=true&resourceVersion=0");
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        await().atMost(WAIT).until(() -> api.server.watches().size() == 1);
        // A change elsewhere: this watch sees no event for it, only a later bookmark.
        String rv =
            api.post(
                    "/api/v1/namespaces/default/configmaps",
                    Json.MAPPER.valueToTree(configMap("default", "elsewhere")))
                .body()
                .at("/metadata/resourceVersion")
                .asText();

        JsonNode bookmark = Json.MAPPER.readTree(lines.readLine());
        while (!rv.equals(bookmark.at("/object/metadata/resourceVersion").asText())) {
          assertThat(bookmark.at("/type").asText()).isEqualTo("BOOKMARK");
          bookmark = Json.MAPPER.readTree(lines.readLine());
        }
        assertThat(bookmark.at("/type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.at("/object/kind").asText()).isEqualTo("Widget");
        assertThat(bookmark.at("/object/apiVersion").asText()).isEqualTo("example.com/v1");
      }
    }
  }

  @Test
  void bookmarksOnDemandGoOnlyToWatchesThatAllowThem() throws Exception {
    try (TestApi api = new TestApi().withWidgets()) {
      try (InputStream with = api.watch(WIDGETS + "?watch=true&allowWatchBookmarks=true");
          InputStream without = api.watch(WIDGETS + "?watch=true");
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(with, StandardCharsets.UTF_8))) {
        await().atMost(WAIT).until(() -> api.server.watches().size() == 2);
        api.post(WIDGETS, widget("marked", 1));

        JsonNode sent = api.post("/_admin/watches/bookmark", Json.object()).body();

        assertThat(sent.at("/sent").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readTree(lines.readLine()).at("/type").asText()).isEqualTo("ADDED");
        assertThat(Json.MAPPER.readTree(lines.readLine()).at("/type").asText())
            .isEqualTo("BOOKMARK");
      }
    }
  }

  @Test
  void aQuietInformerKeptCurrentByBookmarksResumesAfterACompactionWithoutListing() {
    EmbeddedApiServer.Options options =
        EmbeddedApiServer.options().bookmarkInterval(Duration.ofMillis(200));
    try (TestApi api = new TestApi(options);
        KubernetesClient client = api.client("bookmark-test")) {
      EmbeddedApiServer server = api.server;
      server.createNamespace("quiet");
      server.createNamespace("busy");
      Recorder recorder = new Recorder();
      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace("quiet").inform(recorder, 0);
      await().atMost(WAIT).until(() -> server.watches().size() == 1);
      String latest =
          client
              .resource(configMap("busy", "elsewhere"))
              .create()
              .getMetadata()
              .getResourceVersion();

      // Fabric8 resumes from a bookmark's resourceVersion, though its informer does not show it.
      await()
          .atMost(WAIT)
          .until(() -> server.watches().get(0).resourceVersion() == Long.parseLong(latest));
      server.compact();
      server.closeWatches();

      await().atMost(WAIT).until(() -> watchesOpened(server, "bookmark-test") == 2);
      client.resource(configMap("quiet", "later")).create();
      await().atMost(WAIT).until(() -> recorder.count("ADD later") == 1);
      assertThat(lists(server, "bookmark-test")).as("resumed, not listed again").isEqualTo(1);
      informer.close();
    }
  }
}
