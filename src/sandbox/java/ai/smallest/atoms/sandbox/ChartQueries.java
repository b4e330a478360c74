package ai.smallest.atoms.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL query the Helm chart ships: the PrometheusRule's alert expressions and the Grafana
 * dashboard's panel queries and variable queries, rendered by the real Helm library with the
 * monitoring templates on.
 */
final class ChartQueries {

  /** Labels Prometheus adds to every series it scrapes; the operator does not export them. */
  static final Set<String> TARGET_LABELS = Set.of("namespace", "job", "pod", "instance");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** label_values(metric{...}, label): Grafana's variable query; its metric is what matters. */
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?)\\s*,\\s*\\w+\\s*\\)");

  private ChartQueries() {}

  static List<String> render(Path chart) {
    String rendered =
        new Helm(chart)
            .template()
            .withName("atoms-operator")
            .withNamespace("atoms-system")
            .withKubeVersion("1.32.0")
            .set("monitoring.prometheusRule.enabled", true)
            .set("monitoring.dashboard.enabled", true)
            .call();
    List<String> queries = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(rendered)) {
      for (JsonNode object : YAML.readValues(parser, JsonNode.class).readAll()) {
        String kind = object.path("kind").asText();
        if (kind.equals("PrometheusRule")) {
          for (JsonNode group : object.at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
              queries.add(rule.path("expr").asText());
            }
          }
        } else if (kind.equals("ConfigMap")
            && object.at("/metadata/labels/grafana_dashboard").isTextual()) {
          object.path("data").forEach(json -> queries.addAll(dashboard(json.asText())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return queries;
  }

  private static List<String> dashboard(String text) {
    List<String> queries = new ArrayList<>();
    try {
      JsonNode dashboard = JSON.readTree(text);
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(target.path("expr").asText());
        }
      }
      for (JsonNode variable : dashboard.at("/templating/list")) {
        String query = variable.at("/query/query").asText(variable.path("query").asText());
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
          queries.add(labelValues.group(1));
        } else if (!variable.path("type").asText().equals("datasource")) {
          throw new IllegalArgumentException("dashboard variable query not understood: " + query);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return queries;
  }
}
