package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.Recorder;
import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Lists in pages ({@code limit}/{@code continue}) as a kube-apiserver serves them from etcd: every
 * page reads the snapshot of the first one, the continue token expires with compaction, and Fabric8
 * lists and paginating informers see every object exactly once.
 */
class ApiServerPaginationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static List<String> names(ConfigMapList list) {
    return list.getItems().stream().map(c -> c.getMetadata().getName()).toList();
  }

  private static void seed(KubernetesClient client, String namespace, int count) {
    for (int i = 0; i < count; i++) {
      client.resource(configMap(namespace, String.format("cm-%02d", i))).create();
    }
  }

  @Test
  void fabric8ListsPageThroughEveryObjectWithContinueTokens() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("paging-test")) {
      api.server.createNamespace("paged");
      seed(client, "paged", 7);

      ConfigMapList first =
          client
              .configMaps()
              .inNamespace("paged")
              .list(new ListOptionsBuilder().withLimit(3L).build());
      assertThat(names(first)).containsExactly("cm-00", "cm-01", "cm-02");
      assertThat(first.getMetadata().getContinue()).isNotEmpty();
      assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(4L);

      List<String> all = new ArrayList<>(names(first));
      String next = first.getMetadata().getContinue();
      while (next != null && !next.isEmpty()) {
        ConfigMapList page =
            client
                .configMaps()
                .inNamespace("paged")
                .list(new ListOptionsBuilder().withLimit(3L).withContinue(next).build());
        assertThat(page.getMetadata().getResourceVersion())
            .isEqualTo(first.getMetadata().getResourceVersion());
        all.addAll(names(page));
        next = page.getMetadata().getContinue();
      }
      assertThat(all)
          .containsExactlyElementsOf(
              IntStream.range(0, 7).mapToObj(i -> String.format("cm-%02d", i)).toList());
      assertThat(
              api.server.requests().count(RequestFilter.any().client("paging-test").verbs("list")))
          .isEqualTo(3);
    }
  }

  @Test
  void laterPagesShowTheSnapshotOfTheFirstPage() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("snapshot-test")) {
      api.server.createNamespace("snap");
      seed(client, "snap", 4);
      ConfigMapList first =
          client
              .configMaps()
              .inNamespace("snap")
              .list(new ListOptionsBuilder().withLimit(2L).build());

      // After the first page: one object on the second page changes, one goes, one is new.
      client
          .configMaps()
          .inNamespace("snap")
          .withName("cm-02")
          .edit(
              c -> {
                c.getData().put("k", "changed");
                return c;
              });
      client.configMaps().inNamespace("snap").withName("cm-03").delete();
      client.resource(configMap("snap", "cm-04")).create();

      ConfigMapList second =
          client
              .configMaps()
              .inNamespace("snap")
              .list(
                  new ListOptionsBuilder()
                      .withLimit(2L)
                      .withContinue(first.getMetadata().getContinue())
                      .build());
      assertThat(names(second)).containsExactly("cm-02", "cm-03");
      assertThat(second.getItems().get(0).getData()).containsEntry("k", "v");
      assertThat(second.getMetadata().getContinue()).isNull();
      // The latest state, as a fresh list shows it.
      assertThat(names(client.configMaps().inNamespace("snap").list()))
          .containsExactly("cm-00", "cm-01", "cm-02", "cm-04");
    }
  }

  @Test
  void aContinueTokenFromBeforeACompactionIsExpiredWithATokenToGoOnInconsistently() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("expired-continue-test")) {
      api.server.createNamespace("expire");
      seed(client, "expire", 3);
      ConfigMapList first =
          client
              .configMaps()
              .inNamespace("expire")
              .list(new ListOptionsBuilder().withLimit(1L).build());
      client.resource(configMap("expire", "cm-zz")).create();
      api.server.compact();

      String token = first.getMetadata().getContinue();
      assertThatThrownBy(
              () ->
                  client
                      .configMaps()
                      .inNamespace("expire")
                      .list(new ListOptionsBuilder().withLimit(1L).withContinue(token).build()))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(410);
                assertThat(e.getStatus().getReason()).isEqualTo("Expired");
              });
      Response expired = api.get("/api/v1/namespaces/expire/configmaps?limit=10&continue=" + token);
      String inconsistent = expired.body().at("/metadata/continue").asText();
      assertThat(inconsistent).isNotEmpty();
      JsonNode rest =
          api.get("/api/v1/namespaces/expire/configmaps?limit=10&continue=" + inconsistent).body();
      assertThat(rest.at("/items").findValuesAsText("name"))
          .containsExactly("cm-01", "cm-02", "cm-zz");
    }
  }

  @Test
  void anExactResourceVersionIsReadAsOfThenAndTooOldOrTooNewIsRefused() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("exact-test")) {
      api.server.createNamespace("exact");
      seed(client, "exact", 2);
      String then =
          client.configMaps().inNamespace("exact").list().getMetadata().getResourceVersion();
      client.configMaps().inNamespace("exact").withName("cm-00").delete();

      ConfigMapList asOfThen =
          client
              .configMaps()
              .inNamespace("exact")
              .list(
                  new ListOptionsBuilder()
                      .withResourceVersion(then)
                      .withResourceVersionMatch("Exact")
                      .build());
      assertThat(names(asOfThen)).containsExactly("cm-00", "cm-01");
      assertThat(asOfThen.getMetadata().getResourceVersion()).isEqualTo(then);

      Response future =
          api.get(
              "/api/v1/namespaces/exact/configmaps?resourceVersionMatch=Exact&resourceVersion=999999");
      assertThat(future.status()).isEqualTo(504);
      api.server.compact();
      Response compacted =
          api.get(
              "/api/v1/namespaces/exact/configmaps?resourceVersionMatch=Exact&resourceVersion="
                  + then);
      assertThat(compacted.status()).isEqualTo(410);
    }
  }

  @Test
  void aPaginatingInformerListsInPagesAndSeesEveryObjectOnce() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("paging-informer")) {
      api.server.createNamespace("inform");
      seed(client, "inform", 10);
      Recorder recorder = new Recorder();

      SharedIndexInformer<ConfigMap> informer =
          client.configMaps().inNamespace("inform").withLimit(4L).inform(recorder, 0);

      await().atMost(WAIT).until(() -> recorder.events.size() == 10);
      assertThat(recorder.events).doesNotHaveDuplicates().allMatch(e -> e.startsWith("ADD "));
      JsonNode lists =
          api.get("/_admin/requests?client=paging-informer&verb=list&groupBy=verb,resource").body();
      assertThat(lists.at("/items/0/count").asLong()).as("pages of 4").isEqualTo(3);
      client.resource(configMap("inform", "cm-99")).create();
      await().atMost(WAIT).until(() -> recorder.count("ADD cm-99") == 1);
      informer.close();
    }
  }
}
