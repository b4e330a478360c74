package ai.smallest.atoms.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The small formats kubectl shows verbatim: ages, printer-column paths, selectors, Go-style values.
 */
class ApiServerFormatsTest {

  @Test
  void agesReadLikeKubectlAges() {
    assertThat(HumanDuration.format(Duration.ofMillis(-1500))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    assertThat(HumanDuration.format(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(HumanDuration.format(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(HumanDuration.format(Duration.ofMinutes(7 * 60 + 59))).isEqualTo("7h59m");
    assertThat(HumanDuration.format(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(HumanDuration.format(Duration.ofHours(50))).isEqualTo("2d2h");
    assertThat(HumanDuration.format(Duration.ofDays(400))).isEqualTo("400d");
    assertThat(HumanDuration.format(Duration.ofDays(365 * 3 + 10))).isEqualTo("3y10d");
  }

  @Test
  void printerColumnPathsFilterListsAndToleratesMissingKeys() throws Exception {
    JsonNode object =
        Json.MAPPER.readTree(
            "{\"status\":{\"conditions\":[{\"type\":\"Stalled\",\"status\":\"False\"},{\"type\":\"Ready\",\"status\":\"True\"}]},"
                + "\"spec\":{\"items\":[\"a\",\"b\"],\"dotted.key\":1}}");
    assertThat(SimpleJsonPath.parse(".status.conditions[?(@.type==\"Ready\")].status").find(object))
        .extracting(JsonNode::asText)
        .containsExactly("True");
    assertThat(SimpleJsonPath.parse("{.spec.items[1]}").find(object))
        .extracting(JsonNode::asText)
        .containsExactly("b");
    assertThat(SimpleJsonPath.parse(".spec['dotted.key']").find(object))
        .extracting(JsonNode::asInt)
        .containsExactly(1);
    assertThat(SimpleJsonPath.parse(".status.activatedAt").find(object)).isEmpty();
  }

  @Test
  void labelSelectorsSupportEqualitySetAndExistenceRequirements() throws Exception {
    JsonNode labelled =
        Json.MAPPER.readTree("{\"metadata\":{\"labels\":{\"tier\":\"front\",\"team\":\"a\"}}}");
    assertThat(LabelSelector.parse("tier=front,team==a").test(labelled)).isTrue();
    assertThat(LabelSelector.parse("tier!=front").test(labelled)).isFalse();
    assertThat(LabelSelector.parse("tier in (back, front)").test(labelled)).isTrue();
    assertThat(LabelSelector.parse("tier notin (front)").test(labelled)).isFalse();
    assertThat(LabelSelector.parse("!owner,team").test(labelled)).isTrue();
    assertThat(LabelSelector.parse("owner").test(labelled)).isFalse();
  }

  @Test
  void fieldErrorsPrintValuesTheWayGoDoes() {
    assertThat(FieldError.invalid("spec.size", 0L, "too small").toString())
        .isEqualTo("spec.size: Invalid value: 0: too small");
    assertThat(FieldError.invalid("spec", "object", "rule").toString())
        .isEqualTo("spec: Invalid value: \"object\": rule");
    assertThat(FieldError.required("spec.agentId", "").toString())
        .isEqualTo("spec.agentId: Required value");
    assertThat(FieldError.formatFloat(1.0)).isEqualTo("1");
    assertThat(FieldError.formatFloat(0.5)).isEqualTo("0.5");
  }
}
