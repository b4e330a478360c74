package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/kube-state-metrics-values.yaml: the custom resource state config names the
 * AgentRelease kind of the CRD, every path it reads exists in the CRD's schema, and read the way
 * kube-state-metrics reads paths (fields, and "[key=value]" to pick a list item) it yields the
 * documented labels for a sample release.
 */
class KubeStateMetricsConfigTest {

  static final Path VALUES =
      Repo.DEPLOY.resolve("monitoring").resolve("kube-state-metrics-values.yaml");
  private static final JsonNode CONFIG = Yaml.document(VALUES);
  private static final JsonNode RESOURCE =
      CONFIG.at("/customResourceState/config/spec/resources/0");
  private static final JsonNode CRD = Yaml.document(Repo.CRD_FILE);
  private static final JsonNode SCHEMA = CRD.at("/spec/versions/0/schema/openAPIV3Schema");
  private static final Pattern FILTER = Pattern.compile("\\[(\\w+)=(\\w+)]");

  @Test
  void configNamesTheCrdsKindAndKubeStateMetricsMayListIt() {
    assertThat(CONFIG.at("/customResourceState/enabled").asBoolean()).isTrue();
    assertThat(CONFIG.at("/customResourceState/config/kind").asText())
        .isEqualTo("CustomResourceStateMetrics");
    assertThat(RESOURCE.at("/groupVersionKind/group").asText())
        .isEqualTo(CRD.at("/spec/group").asText());
    assertThat(RESOURCE.at("/groupVersionKind/version").asText())
        .isEqualTo(CRD.at("/spec/versions/0/name").asText());
    assertThat(RESOURCE.at("/groupVersionKind/kind").asText())
        .isEqualTo(CRD.at("/spec/names/kind").asText());
    JsonNode rule = CONFIG.at("/rbac/extraRules/0");
    assertThat(K8s.strings(rule.path("apiGroups"))).containsExactly(CRD.at("/spec/group").asText());
    assertThat(K8s.strings(rule.path("resources")))
        .containsExactly(CRD.at("/spec/names/plural").asText());
    assertThat(K8s.strings(rule.path("verbs"))).containsExactly("list", "watch");
  }

  @Test
  void everyPathItReadsExistsInTheCrdSchema() {
    List<List<String>> paths = new ArrayList<>();
    RESOURCE.path("labelsFromPath").forEach(p -> paths.add(K8s.strings(p)));
    for (JsonNode metric : RESOURCE.path("metrics")) {
      JsonNode each = metric.path("each");
      each.at("/info/labelsFromPath").forEach(p -> paths.add(K8s.strings(p)));
      JsonNode gauge = each.path("gauge");
      if (!gauge.isMissingNode()) {
        List<String> base = K8s.strings(gauge.path("path"));
        paths.add(base);
        List<String> items = new ArrayList<>(base);
        items.add("[type=Ready]");
        gauge.path("labelsFromPath").forEach(p -> paths.add(concat(items, K8s.strings(p))));
        paths.add(concat(items, K8s.strings(gauge.path("valueFrom"))));
      }
    }
    assertThat(paths).hasSizeGreaterThan(8);
    for (List<String> path : paths) {
      assertThat(schemaHas(path)).as("CRD schema has %s", path).isTrue();
    }
  }

  @Test
  void infoLabelsOfASampleReleaseAreItsVersionsAndReadyCondition() {
    JsonNode release =
        Yaml.document(Repo.FIXTURES.resolve("agentrelease-health/testdata/healthy-activated.yaml"));
    Map<String, String> labels = new LinkedHashMap<>();
    RESOURCE
        .path("labelsFromPath")
        .properties()
        .forEach(e -> labels.put(e.getKey(), read(release, K8s.strings(e.getValue()))));
    RESOURCE
        .at("/metrics/0/each/info/labelsFromPath")
        .properties()
        .forEach(e -> labels.put(e.getKey(), read(release, K8s.strings(e.getValue()))));

    assertThat(
            RESOURCE.path("metricNamePrefix").asText()
                + "_"
                + RESOURCE.at("/metrics/0/name").asText())
        .isEqualTo("atoms_agentrelease_info");
    assertThat(labels)
        .containsEntry("name", "support-agent")
        .containsEntry("exported_namespace", "voice")
        .containsEntry("agent_id", "agent-support")
        .containsEntry("desired_version", "3")
        .containsEntry("live_version", "3")
        .containsEntry("ready", "True")
        .containsEntry("reason", "Activated");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A kube-state-metrics path read on an object: field names, and [key=value] in a list. */
  private static String read(JsonNode node, List<String> path) {
    JsonNode current = node;
    for (String step : path) {
      Matcher filter = FILTER.matcher(step);
      if (filter.matches()) {
        JsonNode found = null;
        for (JsonNode item : current) {
          if (item.path(filter.group(1)).asText().equals(filter.group(2))) {
            found = item;
          }
        }
        current =
            found == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : found;
      } else {
        current = current.path(step);
      }
    }
    return current.isMissingNode() ? "" : current.asText();
  }

  private static boolean schemaHas(List<String> path) {
    if (path.get(0).equals("metadata")) {
      return path.size() == 2
          && List.of("name", "namespace", "labels", "annotations").contains(path.get(1));
    }
    JsonNode schema = SCHEMA;
    for (String step : path) {
      if (FILTER.matcher(step).matches()) {
        if (!schema.path("type").asText().equals("array")) {
          return false;
        }
        schema = schema.path("items");
      } else {
        schema = schema.at("/properties/" + step);
        if (schema.isMissingNode()) {
          return false;
        }
      }
    }
    return true;
  }
}
