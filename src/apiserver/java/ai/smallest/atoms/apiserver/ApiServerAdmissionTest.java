package ai.smallest.atoms.apiserver;

import static ai.smallest.atoms.apiserver.TestApi.WIDGETS;
import static ai.smallest.atoms.apiserver.TestApi.widget;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.TestApi.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The admission-off switch stores custom resources as sent (what an older, laxer CRD would have let
 * through); once it is back on, such objects can still be written where the write leaves the
 * offending values alone (validation ratcheting), as on Kubernetes 1.30+.
 */
class ApiServerAdmissionTest {

  /** Out of range, unknown, too long and against a CEL rule: the current CRD refuses each. */
  private static ObjectNode poison(String name) {
    ObjectNode widget = widget(name, 99);
    ((ObjectNode) widget.get("spec"))
        .put("extra", "unknown field")
        .put("name", "x".repeat(100_000));
    return widget;
  }

  @Test
  void withAdmissionOffForAResourceItsObjectsAreStoredAsSent() {
    try (TestApi api = new TestApi().withWidgets()) {
      assertThat(api.post(WIDGETS, poison("refused")).status()).isEqualTo(422);

      api.server.admission().disable("widgets.example.com");
      Response planted = api.post(WIDGETS, poison("planted"));

      assertThat(planted.status()).as(planted.text()).isEqualTo(201);
      JsonNode stored = api.get(WIDGETS + "/planted").body();
      assertThat(stored.at("/spec/size").asInt()).isEqualTo(99);
      assertThat(stored.at("/spec/extra").asText()).isEqualTo("unknown field");
      assertThat(stored.at("/spec/name").asText()).hasSize(100_000);
      assertThat(stored.at("/spec").has("color")).as("no defaults").isFalse();
      assertThat(stored.at("/metadata/generation").asInt()).isEqualTo(1);
      // Built-in kinds are not affected.
      ObjectNode badName = Json.object();
      badName.putObject("metadata").put("name", "Not_A_DNS_Name");
      assertThat(api.post("/api/v1/namespaces/default/configmaps", badName).status())
          .isEqualTo(422);
    }
  }

  @Test
  void theAdminEndpointSwitchesAdmissionGloballyOrPerResource() {
    try (TestApi api = new TestApi().withWidgets()) {
      ObjectNode off = Json.object().put("enabled", false);
      off.putArray("resources").add("widgets.example.com");
      assertThat(api.put("/_admin/admission", off).body().at("/disabled/0").asText())
          .isEqualTo("widgets.example.com");
      assertThat(api.post(WIDGETS, widget("one", 99)).status()).isEqualTo(201);

      api.put("/_admin/admission", Json.object().put("enabled", true));
      assertThat(api.post(WIDGETS, widget("two", 99)).status()).isEqualTo(422);

      JsonNode state = api.put("/_admin/admission", Json.object().put("enabled", false)).body();
      assertThat(state.at("/enabled").asBoolean()).isFalse();
      assertThat(api.post(WIDGETS, widget("three", 99)).status()).isEqualTo(201);
      assertThat(api.get("/_admin/admission").body().at("/enabled").asBoolean()).isFalse();
    }
  }

  @Test
  void onceAdmissionIsBackOnAPlantedObjectsStatusCanBeWrittenButNotANewBadValue() {
    try (TestApi api = new TestApi().withWidgets()) {
      api.server.admission().disableAll();
      assertThat(api.post(WIDGETS, poison("ratcheted")).status()).isEqualTo(201);
      api.server.admission().enableAll();

      Response status =
          api.patch(
              WIDGETS + "/ratcheted/status", Patches.MERGE_PATCH, "{\"status\":{\"observed\":1}}");
      assertThat(status.status()).as(status.text()).isEqualTo(200);
      Response label =
          api.patch(
              WIDGETS + "/ratcheted",
              Patches.MERGE_PATCH,
              "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}");
      assertThat(label.status()).as(label.text()).isEqualTo(200);
      assertThat(label.body().at("/metadata/generation").asInt()).isEqualTo(1);
      Response worse =
          api.patch(WIDGETS + "/ratcheted", Patches.MERGE_PATCH, "{\"spec\":{\"size\":98}}");
      assertThat(worse.status()).isEqualTo(422);
      assertThat(worse.body().at("/message").asText()).contains("spec.size");
    }
  }

  @Test
  void aWrongTypeStaysWritableThroughStatusOnlyWhichChecksNothingButStatus() {
    try (TestApi api = new TestApi().withWidgets()) {
      api.server.admission().disable("widgets.example.com");
      ObjectNode wrongType = widget("typed", 1);
      ((ObjectNode) wrongType.get("spec")).put("size", "three");
      assertThat(api.post(WIDGETS, wrongType).status()).isEqualTo(201);
      api.server.admission().enable("widgets.example.com");

      Response status =
          api.patch(
              WIDGETS + "/typed/status", Patches.MERGE_PATCH, "{\"status\":{\"observed\":1}}");
      assertThat(status.status()).as(status.text()).isEqualTo(200);
      Response badStatus =
          api.patch(
              WIDGETS + "/typed/status", Patches.MERGE_PATCH, "{\"status\":{\"observed\":\"x\"}}");
      assertThat(badStatus.status()).isEqualTo(422);

      // A write to the object itself checks all of it, and a wrong type is not ratcheted.
      Response label =
          api.patch(
              WIDGETS + "/typed",
              Patches.MERGE_PATCH,
              "{\"metadata\":{\"labels\":{\"seen\":\"yes\"}}}");
      assertThat(label.status()).isEqualTo(422);
      assertThat(label.body().at("/message").asText())
          .contains("spec.size in body must be of type integer");
    }
  }
}
