package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.ApiServerWatchExpiryTest.configMap;
import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fault rules answer chosen verbs on chosen resources, subresources and clients with an error
 * instead of serving them, a number of times or at a seeded ratio, or delay them.
 */
class ApiServerFaultInjectionTest {

  private static final ResourceDefinitionContext WIDGET_TYPE =
      new ResourceDefinitionContext.Builder()
          .withGroup("example.com")
          .withVersion("v1")
          .withPlural("widgets")
          .withKind("Widget")
          .withNamespaced(true)
          .build();

  private static GenericKubernetesResource widgetResource(KubernetesClient client, String name) {
    return client
        .genericKubernetesResources(WIDGET_TYPE)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private static void writeStatus(KubernetesClient client, String name, int observed) {
    GenericKubernetesResource widget = widgetResource(client, name);
    widget.setAdditionalProperty("status", Map.of("observed", observed));
    client
        .genericKubernetesResources(WIDGET_TYPE)
        .inNamespace("default")
        .resource(widget)
        .updateStatus();
  }

  @Test
  void statusWritesOfOneClientGet409TheChosenNumberOfTimes() {
    try (TestApi api = new TestApi().withWidgets();
        KubernetesClient operator = api.client("operator-under-test");
        KubernetesClient other = api.client("someone-else")) {
      api.post(WIDGETS, widget("contested", 1));
      Faults.Rule rule =
          api.server
              .faults()
              .add(
                  Fault.respond(409)
                      .on(
                          RequestFilter.any()
                              .client("operator-under-test")
                              .verbs("update", "patch")
                              .resource("widgets")
                              .subresource("status"))
                      .times(2));

      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> writeStatus(operator, "contested", 1))
            .isInstanceOfSatisfying(
                KubernetesClientException.class,
                e -> {
                  assertThat(e.getCode()).isEqualTo(409);
                  assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                  assertThat(e.getStatus().getMessage())
                      .contains(
                          "Operation cannot be fulfilled on widgets.example.com \"contested\"");
                });
      }
      writeStatus(other, "contested", 2); // another client is never affected
      writeStatus(operator, "contested", 3); // the two are used up

      assertThat(rule.hits()).isEqualTo(2);
      assertThat(widgetResource(other, "contested").getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("observed", 3));
      RequestFilter operatorStatusWrites =
          RequestFilter.any().client("operator-under-test").verbs("update").subresource("status");
      assertThat(api.server.requests().count(operatorStatusWrites)).isEqualTo(3);
      assertThat(api.server.requests().injected(operatorStatusWrites)).isEqualTo(2);
    }
  }

  @Test
  void aRatioIsDrawnFromItsSeedSoARunCanBeRepeated() {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (TestApi api = new TestApi()) {
        api.server
            .faults()
            .add(Fault.respond(500).on(RequestFilter.any().verbs("list")).ratio(0.5, 42));
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          codes.add(api.get("/api/v1/namespaces/default/configmaps").status());
        }
        runs.add(codes);
      }
    }
    assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(200, 500);
  }

  @Test
  void tooManyRequestsAndUnavailableCarryRetryAfter() {
    try (TestApi api = new TestApi()) {
      api.server
          .faults()
          .add(
              Fault.respond(429)
                  .on(RequestFilter.any().verbs("get").resource("configmaps"))
                  .retryAfter(2)
                  .times(1));
      api.server.faults().add(Fault.respond(503).on(RequestFilter.any().verbs("create")).times(1));

      Response throttled = api.get("/api/v1/namespaces/default/configmaps/some");
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
      assertThat(throttled.body().at("/reason").asText()).isEqualTo("TooManyRequests");
      assertThat(throttled.body().at("/details/retryAfterSeconds").asInt()).isEqualTo(2);
      assertThat(api.get("/api/v1/namespaces/default/configmaps/some").status()).isEqualTo(404);

      Response unavailable =
          api.post(
              "/api/v1/namespaces/default/configmaps",
              Json.MAPPER.valueToTree(configMap("default", "refused")));
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.body().at("/reason").asText()).isEqualTo("ServiceUnavailable");
      assertThat(api.get("/api/v1/namespaces/default/configmaps/refused").status())
          .as("not created")
          .isEqualTo(404);
    }
  }

  @Test
  void latencyHoldsTheChosenRequestsAndNoOthers() {
    try (TestApi api = new TestApi()) {
      Faults.Rule rule =
          api.server
              .faults()
              .add(
                  Fault.delay(Duration.ofMillis(400))
                      .on(RequestFilter.any().verbs("list").resource("configmaps")));

      long started = System.nanoTime();
      assertThat(api.get("/api/v1/namespaces/default/configmaps").status()).isEqualTo(200);
      long heldMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(heldMillis).isGreaterThanOrEqualTo(400);
      assertThat(api.get("/api/v1/namespaces").status()).isEqualTo(200);
      assertThat(rule.hits()).isEqualTo(1);
    }
  }

  @Test
  void theAdminEndpointAddsListsAndRemovesRules() {
    try (TestApi api = new TestApi().withWidgets()) {
      api.post(WIDGETS, widget("admin-faulted", 1));
      ObjectNode rule =
          Json.object()
              .put("resource", "widgets.example.com")
              .put("subresource", "status")
              .put("status", 409)
              .put("times", 1);
      rule.putArray("verbs").add("patch");

      Response added = api.post("/_admin/faults", rule);
      assertThat(added.status()).isEqualTo(201);
      long id = added.body().at("/id").asLong();
      Response refused =
          api.patch(
              WIDGETS + "/admin-faulted/status",
              Patches.MERGE_PATCH,
              "{\"status\":{\"observed\":1}}");
      assertThat(refused.status()).isEqualTo(409);
      JsonNode listed = api.get("/_admin/faults").body();
      assertThat(listed.at("/items/0/id").asLong()).isEqualTo(id);
      assertThat(listed.at("/items/0/hits").asLong()).isEqualTo(1);

      assertThat(api.delete("/_admin/faults/" + id).status()).isEqualTo(200);
      assertThat(api.get("/_admin/faults").body().at("/items").size()).isZero();
      assertThat(api.post("/_admin/faults", Json.object().put("status", 200)).status())
          .isEqualTo(400);
    }
  }
}
