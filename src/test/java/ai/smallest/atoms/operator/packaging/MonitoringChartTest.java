package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's optional monitoring and hardening templates: PrometheusRule, Grafana dashboard,
 * PodDisruptionBudget and NetworkPolicy. That every metric they query is one the operator exports
 * is checked against the running operator (SandboxOperationsIT).
 */
class MonitoringChartTest {

  private static final Map<String, Object> ALL_ON =
      Map.of(
          "monitoring.prometheusRule.enabled", true,
          "monitoring.dashboard.enabled", true,
          "podDisruptionBudget.enabled", true,
          "networkPolicy.enabled", true);

  private static List<ObjectNode> allOn() {
    return HelmChart.template(ALL_ON);
  }

  private static List<JsonNode> rules(List<ObjectNode> objects) {
    List<JsonNode> rules = new ArrayList<>();
    K8s.one(objects, "PrometheusRule")
        .at("/spec/groups")
        .forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  private static JsonNode rule(List<ObjectNode> objects, String alert) {
    return rules(objects).stream()
        .filter(r -> r.path("alert").asText().equals(alert))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alert " + alert));
  }

  @Test
  void everythingIsOffByDefaultAndValidWhenOn() {
    assertThat(HelmChart.templateDefaults())
        .extracting(K8s::kind)
        .doesNotContain("PrometheusRule", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy");
    List<ObjectNode> objects = allOn();
    assertThat(objects)
        .extracting(K8s::kind)
        .contains("PrometheusRule", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy");
    assertThat(ManifestValidator.problems(objects)).isEmpty();
  }

  @Test
  void alertsSelectTheMetricsServiceTargetsAndSayWhatToDo() {
    List<ObjectNode> objects = allOn();
    String service = K8s.name(K8s.one(objects, "Service"));

    assertThat(rules(objects))
        .extracting(r -> r.path("alert").asText())
        .containsExactly(
            "AtomsOperatorDown",
            "AtomsAgentReleasesStalled",
            "AtomsDriftCorrectionsHigh",
            "AtomsApiErrorsHigh",
            "AtomsActivationFailures");
    assertThat(rules(objects))
        .allSatisfy(
            r -> {
              assertThat(r.path("expr").asText())
                  .contains("job=\"" + service + "\", namespace=\"" + HelmChart.NAMESPACE + "\"");
              assertThat(r.at("/labels/severity").asText()).isIn("critical", "warning");
              assertThat(r.at("/annotations/summary").asText()).isNotBlank();
              assertThat(r.at("/annotations/description").asText()).isNotBlank();
              assertThat(r.at("/annotations/runbook_url").asText())
                  .isEqualTo(
                      "https://github.com/smallest-ai/atoms-operator/blob/v"
                          + Repo.releaseVersion()
                          + "/docs/operations.md#alerts");
            });
    assertThat(Repo.read(Path.of("docs", "operations.md"))).contains("\n## Alerts\n");
    assertThat(rule(objects, "AtomsAgentReleasesStalled").path("for").asText()).isEqualTo("15m");
  }

  @Test
  void valuesShownInTheOperationsGuideTurnOnTheServiceMonitorAndTheAlerts() throws Exception {
    String block =
        InstallDocsTest.blocks(Repo.read(Path.of("docs", "operations.md"))).stream()
            .map(InstallDocsTest.Block::text)
            .filter(t -> t.startsWith("# file: monitoring-values.yaml"))
            .findFirst()
            .orElseThrow();
    var schema = JsonSchemas.draft7(Yaml.tree(Repo.read(Repo.CHART.resolve("values.schema.json"))));
    assertThat(JsonSchemas.problems(schema, Yaml.tree(block))).isEmpty();
    Path values = java.nio.file.Files.createTempFile("monitoring-values", ".yaml");
    try {
      java.nio.file.Files.writeString(values, block);
      List<ObjectNode> objects = HelmChart.template(values);
      assertThat(objects).extracting(K8s::kind).contains("ServiceMonitor", "PrometheusRule");
      assertThat(ManifestValidator.problems(objects)).isEmpty();
    } finally {
      java.nio.file.Files.delete(values);
    }
  }

  @Test
  void valuesSetTheThresholdsTheJobAndTheRuleLabels() {
    List<ObjectNode> objects = HelmChart.template(Repo.FIXTURES.resolve("values-production.yaml"));

    assertThat(K8s.one(objects, "PrometheusRule").at("/metadata/labels/release").asText())
        .isEqualTo("prometheus");
    assertThat(rule(objects, "AtomsOperatorDown").path("expr").asText())
        .contains("job=\"atoms-operator\"");
    assertThat(rule(objects, "AtomsAgentReleasesStalled").path("for").asText()).isEqualTo("30m");
    assertThat(rule(objects, "AtomsDriftCorrectionsHigh").path("expr").asText()).endsWith("> 10");
    assertThat(rule(objects, "AtomsApiErrorsHigh").path("expr").asText()).endsWith("> 0.5");
  }

  @Test
  void stalledAlertCoversExactlyTheReasonsThatSetStalled() {
    String expr = rule(allOn(), "AtomsAgentReleasesStalled").path("expr").asText();
    Matcher reasons = Pattern.compile("ready_reason=~\"([^\"]+)\"").matcher(expr);
    assertThat(reasons.find()).isTrue();

    Set<String> documented = new HashSet<>();
    ReasonsDocTest.rows().stream()
        .filter(r -> r.also().equals("Stalled"))
        .forEach(r -> documented.add(r.reason()));
    assertThat(Arrays.asList(reasons.group(1).split("\\|")))
        .containsExactlyInAnyOrderElementsOf(documented);

    // The dashboard's "Stalled" panel counts the same reasons.
    JsonNode stalledPanel = null;
    for (JsonNode panel : dashboard().path("panels")) {
      if (panel.path("title").asText().equals("Stalled")) {
        stalledPanel = panel;
      }
    }
    assertThat(stalledPanel).as("dashboard panel Stalled").isNotNull();
    assertThat(stalledPanel.at("/targets/0/expr").asText())
        .contains("ready_reason=~\"" + reasons.group(1) + "\"");
  }

  private static JsonNode dashboard() {
    try {
      return Yaml.JSON.readTree(
          Repo.read(Repo.CHART.resolve("files/dashboards/atoms-operator.json")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void dashboardIsAGrafanaDashboardForTheSidecar() throws Exception {
    ObjectNode configMap = K8s.one(allOn(), "ConfigMap");
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(configMap.path("data").properties()).hasSize(1);
    JsonNode dashboard = Yaml.JSON.readTree(configMap.at("/data/atoms-operator.json").asText());

    assertThat(dashboard.path("uid").asText()).isEqualTo("atoms-operator");
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<Integer> ids = new HashSet<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    assertThat(panels).hasSizeGreaterThan(10);
    for (JsonNode panel : panels) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).isNotEmpty();
      panel
          .path("targets")
          .forEach(
              t ->
                  assertThat(t.path("expr").asText())
                      .as(panel.path("title").asText())
                      .contains("namespace=\"$namespace\", job=\"$job\""));
    }
    assertThat(dashboard.at("/templating/list"))
        .extracting(v -> v.path("name").asText())
        .containsExactly("datasource", "namespace", "job");
    // The file the chart reads is the dashboard, verbatim.
    assertThat(configMap.at("/data/atoms-operator.json").asText())
        .isEqualTo(Repo.read(Repo.CHART.resolve("files/dashboards/atoms-operator.json")).strip());
  }

  @Test
  void podDisruptionBudgetProtectsTheOperatorPods() {
    List<ObjectNode> objects = allOn();
    ObjectNode pdb = K8s.one(objects, "PodDisruptionBudget");
    JsonNode podLabels = K8s.one(objects, "Deployment").at("/spec/template/metadata/labels");

    pdb.at("/spec/selector/matchLabels")
        .properties()
        .forEach(l -> assertThat(podLabels.path(l.getKey())).isEqualTo(l.getValue()));
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/minAvailable").isMissingNode()).isTrue();

    ObjectNode standby =
        K8s.one(
            HelmChart.template(Repo.FIXTURES.resolve("values-production.yaml")),
            "PodDisruptionBudget");
    assertThat(standby.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(standby.at("/spec/maxUnavailable").isMissingNode()).isTrue();
  }

  @Test
  void networkPolicyOpensTheMetricsPortAndTheEgressTheOperatorNeeds() {
    List<ObjectNode> objects = allOn();
    ObjectNode policy = K8s.one(objects, "NetworkPolicy");
    ObjectNode deployment = K8s.one(objects, "Deployment");
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");

    policy
        .at("/spec/podSelector/matchLabels")
        .properties()
        .forEach(l -> assertThat(podLabels.path(l.getKey())).isEqualTo(l.getValue()));
    assertThat(K8s.strings(policy.at("/spec/policyTypes"))).containsExactly("Ingress", "Egress");
    assertThat(policy.at("/spec/ingress/0/ports/0/port").asText())
        .isEqualTo(K8s.container(deployment).at("/ports/0/name").asText());
    assertThat(policy.at("/spec/ingress/0/from").isMissingNode()).isTrue();
    List<String> egress = new ArrayList<>();
    policy
        .at("/spec/egress")
        .forEach(
            rule ->
                rule.path("ports")
                    .forEach(
                        p ->
                            egress.add(
                                p.path("port").asText() + "/" + p.path("protocol").asText())));
    assertThat(egress).containsExactlyInAnyOrder("53/UDP", "53/TCP", "443/TCP", "6443/TCP");

    ObjectNode narrowed =
        K8s.one(
            HelmChart.template(Repo.FIXTURES.resolve("values-production.yaml")), "NetworkPolicy");
    assertThat(
            narrowed
                .at("/spec/ingress/0/from/0/namespaceSelector/matchLabels")
                .path("kubernetes.io/metadata.name")
                .asText())
        .isEqualTo("monitoring");
    assertThat(narrowed.at("/spec/egress/1/to/0/ipBlock/cidr").asText()).isEqualTo("10.0.0.1/32");
  }
}
