package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests are counted per client (User-Agent), verb, resource, subresource and object, and Event
 * writes per the object they are about, readable through the Java API and the admin endpoint.
 */
class ApiServerRequestCountingTest {

  @Test
  void requestsAreCountedPerClientVerbResourceAndObject() {
    try (TestApi api = new TestApi();
        KubernetesClient alice = api.client("alice/1.0");
        KubernetesClient bob = api.client("bob/2.0")) {
      RequestCounter requests = api.server.requests();
      alice.resource(configMap("default", "a1")).create();
      alice.resource(configMap("default", "a2")).create();
      alice.configMaps().inNamespace("default").withName("a1").get();
      alice.configMaps().inNamespace("default").list();
      bob.configMaps()
          .inNamespace("default")
          .withName("a2")
          .edit(
              c -> {
                c.getData().put("by", "bob");
                return c;
              });

      assertThat(requests.count(RequestFilter.any().client("alice").verbs("create"))).isEqualTo(2);
      assertThat(requests.count(RequestFilter.any().client("alice").verbs("get", "list")))
          .isEqualTo(2);
      assertThat(requests.count(RequestFilter.any().client("bob").writes())).isEqualTo(1);
      assertThat(requests.count(RequestFilter.any().name("a2")))
          .as("create, get, patch")
          .isEqualTo(3);
      assertThat(
              requests.countBy(
                  RequestFilter.any().resource("configmaps").writes(), ApiRequest::client))
          .isEqualTo(Map.of("alice/1.0", 2L, "bob/2.0", 1L));

      JsonNode grouped = api.get("/_admin/requests?groupBy=client,verb&resource=configmaps").body();
      assertThat(grouped.at("/total").asLong()).as("bob's edit is a get and a patch").isEqualTo(6);
      assertThat(grouped.at("/items").findValuesAsText("verb"))
          .containsExactly("create", "get", "list", "get", "patch");
      assertThat(grouped.at("/items/0/count").asLong()).as("alice's creates").isEqualTo(2);

      assertThat(api.delete("/_admin/requests").status()).isEqualTo(200);
      assertThat(requests.count(RequestFilter.any())).isZero();
    }
  }

  @Test
  void eventWritesCountForTheObjectTheyAreAbout() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("recorder")) {
      client
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName("widget-1.")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("Widget")
                  .withName("widget-1")
                  .withNamespace("default")
                  .endInvolvedObject()
                  .withReason("Tested")
                  .withMessage("counted for widget-1")
                  .build())
          .create();

      RequestFilter aboutWidget = RequestFilter.any().resource("events").writes().name("widget-1");
      assertThat(api.server.requests().count(aboutWidget)).isEqualTo(1);
      JsonNode rows = api.get("/_admin/requests?resource=events").body();
      assertThat(rows.at("/items/0/involvedObject").asText()).isEqualTo("widget-1");
      assertThat(rows.at("/items/0/client").asText()).isEqualTo("recorder");
    }
  }
}
