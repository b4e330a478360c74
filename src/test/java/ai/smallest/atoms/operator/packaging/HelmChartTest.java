package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.operator.config.OperatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * helm/atoms-operator, rendered by the real Helm library (helm-java embeds it): lint, template with
 * default and non-default values, every object checked against the Kubernetes API types, and
 * values.schema.json rejecting wrong values the way `helm install` does.
 */
class HelmChartTest {

  private static final Path PRODUCTION_VALUES = Repo.FIXTURES.resolve("values-production.yaml");
  private static final Path CHART_CRD =
      Repo.CHART.resolve("files").resolve("crds").resolve(Repo.CRD_FILE.getFileName());

  @Test
  void passesHelmLintInStrictMode() {
    LintResult lint = HelmChart.helm().lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void defaultValuesRenderOnlyValidKubernetesObjects() {
    List<ObjectNode> objects = HelmChart.templateDefaults();

    assertThat(objects)
        .extracting(K8s::id)
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition agentreleases.atoms.smallest.ai",
            "ServiceAccount atoms-system/atoms-operator",
            "ClusterRole atoms-operator",
            "ClusterRoleBinding atoms-operator",
            "ClusterRole atoms-operator-namespace-policy",
            "ClusterRoleBinding atoms-operator-namespace-policy",
            "Role atoms-system/atoms-operator-leader-election",
            "RoleBinding atoms-system/atoms-operator-leader-election",
            "Service atoms-system/atoms-operator-metrics",
            "Deployment atoms-system/atoms-operator");
    assertThat(ManifestValidator.problems(objects)).isEmpty();
  }

  @Test
  void nonDefaultValuesRenderOnlyValidKubernetesObjects() {
    List<ObjectNode> objects = HelmChart.template(PRODUCTION_VALUES);

    assertThat(objects)
        .extracting(K8s::id)
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition agentreleases.atoms.smallest.ai",
            "ServiceAccount atoms-system/atoms-operator-sa",
            "Secret atoms-system/shared-atoms-key",
            "ClusterRole atoms-namespace-policy",
            "ClusterRoleBinding atoms-namespace-policy",
            "Role team-a/atoms",
            "RoleBinding team-a/atoms",
            "Role team-b/atoms",
            "RoleBinding team-b/atoms",
            "Role atoms-system/atoms-default-secret",
            "RoleBinding atoms-system/atoms-default-secret",
            "Role atoms-system/atoms-leader-election",
            "RoleBinding atoms-system/atoms-leader-election",
            "Service atoms-system/atoms-metrics",
            "ServiceMonitor atoms-system/atoms",
            "PrometheusRule atoms-system/atoms",
            "ConfigMap monitoring/atoms-dashboard",
            "PodDisruptionBudget atoms-system/atoms",
            "NetworkPolicy atoms-system/atoms",
            "Deployment atoms-system/atoms");
    assertThat(ManifestValidator.problems(objects)).isEmpty();
  }

  @Test
  void deploymentIsRestrictedProbedAndSizedWithDefaultAndNonDefaultValues() {
    for (List<ObjectNode> objects :
        List.of(HelmChart.templateDefaults(), HelmChart.template(PRODUCTION_VALUES))) {
      ObjectNode deployment = K8s.one(objects, "Deployment");
      OperatorDeploymentAssertions.isRestrictedReadOnlyProbedAndSized(deployment);
    }
  }

  @Test
  void chartShipsAByteForByteCopyOfTheTopLevelCrdAndNoCrdsFolder() {
    assertThat(Repo.read(CHART_CRD))
        .as(
            "%s must equal %s: ./mvnw test -Dtest=CrdDriftTest -Dcrds.update=true",
            CHART_CRD, Repo.CRD_FILE)
        .isEqualTo(Repo.read(Repo.CRD_FILE));
    // A crds/ folder would be installed once and never upgraded, and would clash with the template.
    assertThat(Repo.CHART.resolve("crds")).doesNotExist();
    assertThat(HelmChart.helm().show().crds().call()).isBlank();
  }

  @Test
  void renderedCrdIsTheTopLevelCrdWithTheChartLabelsAndKeepAnnotations() {
    ObjectNode crd = K8s.one(HelmChart.templateDefaults(), "CustomResourceDefinition");
    ObjectNode metadata = (ObjectNode) crd.path("metadata");

    assertThat(metadata.path("annotations").properties())
        .extracting(e -> e.getKey() + "=" + e.getValue().asText())
        .containsExactlyInAnyOrder(
            "helm.sh/resource-policy=keep",
            "argocd.argoproj.io/sync-options=Prune=false,Delete=false");
    assertThat(metadata.path("labels").path("app.kubernetes.io/managed-by").asText())
        .isEqualTo("Helm");
    metadata.remove(List.of("labels", "annotations"));
    assertThat(crd).isEqualTo(Yaml.document(Repo.CRD_FILE));
  }

  @Test
  void crdsKeepFalseLetsHelmDeleteTheCrdAndCrdsEnabledFalseRendersNone() {
    ObjectNode unkept =
        K8s.one(HelmChart.template(Map.of("crds.keep", false)), "CustomResourceDefinition");
    assertThat(unkept.at("/metadata/annotations").isMissingNode()).isTrue();

    List<ObjectNode> without = HelmChart.template(Map.of("crds.enabled", false));
    assertThat(K8s.ofKind(without, "CustomResourceDefinition")).isEmpty();
    assertThat(K8s.one(without, "Deployment")).isNotNull();
  }

  @Test
  void imageDefaultsToTheChartAppVersionAndCanBePinnedByDigest() {
    JsonNode byDefault = K8s.container(K8s.one(HelmChart.templateDefaults(), "Deployment"));
    assertThat(byDefault.path("image").asText())
        .isEqualTo(Repo.IMAGE_REPOSITORY + ":" + Repo.releaseVersion());

    JsonNode tagged =
        K8s.container(K8s.one(HelmChart.template(Map.of("image.tag", "1.2.3")), "Deployment"));
    assertThat(tagged.path("image").asText()).isEqualTo(Repo.IMAGE_REPOSITORY + ":1.2.3");

    JsonNode pinned = K8s.container(K8s.one(HelmChart.template(PRODUCTION_VALUES), "Deployment"));
    assertThat(pinned.path("image").asText())
        .isEqualTo(
            "registry.example.com/mirror/atoms-operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  }

  @Test
  void defaultValuesConfigureTheOperatorWithItsOwnDefaults() {
    Map<String, String> env = K8s.env(K8s.one(HelmChart.templateDefaults(), "Deployment"));
    OperatorConfig fromChart = OperatorEnvironment.configFrom(env);
    OperatorConfig builtIn = OperatorEnvironment.configFrom(Map.of());

    assertThat(fromChart.baseUrl()).isEqualTo(builtIn.baseUrl());
    assertThat(fromChart.resyncInterval()).isEqualTo(builtIn.resyncInterval());
    assertThat(fromChart.statusHeartbeat()).isEqualTo(builtIn.statusHeartbeat());
    assertThat(fromChart.errorRetryInterval()).isEqualTo(builtIn.errorRetryInterval());
    assertThat(fromChart.connectTimeout()).isEqualTo(builtIn.connectTimeout());
    assertThat(fromChart.readTimeout()).isEqualTo(builtIn.readTimeout());
    assertThat(fromChart.requestDeadline()).isEqualTo(builtIn.requestDeadline());
    assertThat(fromChart.rateLimit().requestsPerSecond())
        .isEqualTo(builtIn.rateLimit().requestsPerSecond());
    assertThat(fromChart.rateLimit().concurrency()).isEqualTo(builtIn.rateLimit().concurrency());
    assertThat(fromChart.leaderElection().leaseName())
        .isEqualTo(builtIn.leaderElection().leaseName());
    assertThat(fromChart.defaultApiKeySecret().key())
        .isEqualTo(builtIn.defaultApiKeySecret().key());
    // Deliberate differences from the bare operator: HA-safe rollouts and a shared default key.
    assertThat(fromChart.leaderElection().enabled()).isTrue();
    assertThat(fromChart.defaultApiKeySecret().name()).contains("atoms-api-key");
    assertThat(fromChart.defaultApiKeySecret().namespace()).contains(HelmChart.NAMESPACE);
  }

  @Test
  void nonDefaultValuesReachTheOperatorThroughItsConfigurationKeys() {
    Map<String, String> env = K8s.env(K8s.one(HelmChart.template(PRODUCTION_VALUES), "Deployment"));
    OperatorConfig config = OperatorEnvironment.configFrom(env);

    assertThat(OperatorEnvironment.unknownVariable(env))
        .as("env var the operator does not read")
        .isEmpty();
    assertThat(config.baseUrl()).hasToString("https://atoms.example.com/atoms/v1");
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(3));
    assertThat(config.errorRetryInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.requestDeadline()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.rateLimit().requestsPerSecond()).isEqualTo(2.5);
    assertThat(config.rateLimit().concurrency()).isEqualTo(2);
    assertThat(config.defaultApiKeySecret().name()).contains("shared-atoms-key");
    assertThat(config.defaultApiKeySecret().key()).isEqualTo("token");
    assertThat(config.defaultApiKeySecret().namespace()).contains(HelmChart.NAMESPACE);
    assertThat(config.leaderElection().enabled()).isTrue();
    assertThat(config.leaderElection().leaseName()).isEqualTo("atoms-leader");
    assertThat(env)
        .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_NAMESPACES", "team-a,team-b")
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
        .containsEntry(
            "ATOMS_LEADER_ELECTION_LEASE_NAMESPACE",
            "<from:{\"fieldRef\":{\"fieldPath\":\"metadata.namespace\"}}>")
        .containsEntry(
            "POD_NAMESPACE", "<from:{\"fieldRef\":{\"fieldPath\":\"metadata.namespace\"}}>");
  }

  @Test
  void createdApiKeySecretHoldsTheValueAndOnlyTheSecretNameReachesTheDeployment() {
    List<ObjectNode> objects = HelmChart.template(PRODUCTION_VALUES);
    ObjectNode secret = K8s.one(objects, "Secret");
    String key = new String(Base64.getDecoder().decode(secret.at("/data/token").asText()));
    String deployment = K8s.one(objects, "Deployment").toString();

    assertThat(key).isEqualTo("not-a-real-key-0000");
    assertThat(deployment)
        .doesNotContain("not-a-real-key-0000")
        .doesNotContain(secret.at("/data/token").asText());
  }

  @Test
  void creatingTheApiKeySecretWithoutAValueFails() {
    assertThatThrownBy(() -> HelmChart.template(Map.of("defaultApiKeySecret.create", true)))
        .hasMessageContaining("defaultApiKeySecret.value is required");
  }

  @Test
  void perAgentReleaseNamespaceLeavesTheSecretNamespaceUnset() {
    Map<String, String> env =
        K8s.env(
            K8s.one(
                HelmChart.template(Map.of("defaultApiKeySecret.perAgentReleaseNamespace", true)),
                "Deployment"));

    assertThat(env)
        .containsEntry("ATOMS_DEFAULT_API_KEY_SECRET_NAME", "atoms-api-key")
        .doesNotContainKey("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE");
    assertThat(OperatorEnvironment.configFrom(env).defaultApiKeySecret().namespace()).isEmpty();
  }

  @Test
  void withoutLeaderElectionTheOldPodStopsBeforeTheNewOneStarts() {
    List<ObjectNode> objects = HelmChart.template(Map.of("leaderElection.enabled", false));
    ObjectNode deployment = K8s.one(objects, "Deployment");

    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(K8s.env(deployment)).containsEntry("ATOMS_LEADER_ELECTION_ENABLED", "false");
    assertThat(K8s.ofKind(objects, "Role")).isEmpty();
    assertThat(
            K8s.one(HelmChart.templateDefaults(), "Deployment").at("/spec/strategy/type").asText())
        .isEqualTo("RollingUpdate");
  }

  @Test
  void serviceMonitorScrapesTheMetricsServicePortAndPath() {
    List<ObjectNode> objects = HelmChart.template(PRODUCTION_VALUES);
    ObjectNode monitor = K8s.one(objects, "ServiceMonitor");
    ObjectNode service = K8s.one(objects, "Service");
    ObjectNode deployment = K8s.one(objects, "Deployment");

    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
    assertThat(endpoint.path("port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(9090);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    monitor
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(
            label ->
                assertThat(service.path("metadata").path("labels").path(label.getKey()))
                    .isEqualTo(label.getValue()));
    service
        .at("/spec/selector")
        .properties()
        .forEach(
            label ->
                assertThat(deployment.at("/spec/template/metadata/labels").path(label.getKey()))
                    .isEqualTo(label.getValue()));
    assertThat(K8s.ofKind(HelmChart.templateDefaults(), "ServiceMonitor")).isEmpty();
  }

  @Test
  void valuesYamlPassesItsOwnSchema() {
    var schema = JsonSchemas.draft7(Yaml.tree(Repo.read(Repo.CHART.resolve("values.schema.json"))));
    assertThat(
            JsonSchemas.problems(schema, Yaml.tree(Repo.read(Repo.CHART.resolve("values.yaml")))))
        .isEmpty();
    assertThat(JsonSchemas.problems(schema, Yaml.tree(Repo.read(PRODUCTION_VALUES)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount                    | two",
        "leaderElection.enabled          | yes",
        "atoms.resyncInterval            | ten minutes",
        "atoms.rateLimit.concurrency     | 0",
        "atoms.baseUrl                   | api.smallest.ai/atoms/v1",
        "logLevel                        | verbose",
        "image.pullPolicy                | Sometimes",
        "watchNamespaces[0]              | Team_A",
        "metrics.service.port            | 70000",
        "replicas                        | 2",
        "atoms.resync                    | 10m",
      })
  void wrongTypedOrUnknownValueIsRejectedByTheValuesSchema(String key, String value) {
    assertThatThrownBy(() -> HelmChart.template(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void moreThanOneReplicaWithoutLeaderElectionIsRefused() {
    assertThatThrownBy(
            () -> HelmChart.template(Map.of("replicaCount", 2, "leaderElection.enabled", false)))
        .hasMessageContaining("values don't meet the specifications of the schema");
    assertThat(HelmChart.template(Map.of("replicaCount", 2))).isNotEmpty();
  }

  @Test
  void aPlainHttpAtomsUrlIsRefusedUnlessExplicitlyAllowed() {
    assertThatThrownBy(
            () -> HelmChart.template(Map.of("atoms.baseUrl", "http://atoms-simulator:8080")))
        .hasMessageContaining("values don't meet the specifications of the schema");

    var objects =
        HelmChart.template(
            Map.of(
                "atoms.baseUrl", "http://atoms-simulator:8080", "atoms.allowInsecureHttp", true));
    assertThat(K8s.env(K8s.one(objects, "Deployment")))
        .containsEntry("ATOMS_ALLOW_INSECURE_HTTP", "true");
  }

  @Test
  void numericImageTagFromAValuesFileIsRejectedInsteadOfMangled() throws Exception {
    Path values = Files.createTempFile("values", ".yaml");
    try {
      Files.writeString(values, "image:\n  tag: 1.10\n"); // YAML float: would render as "1.1"
      assertThatThrownBy(() -> HelmChart.template(values))
          .hasMessageContaining("values don't meet the specifications of the schema")
          .hasMessageContaining("tag");
    } finally {
      Files.delete(values);
    }
  }

  @Test
  void notesTellHowToCreateAnAgentReleaseAndCheckIt() {
    String notes = HelmChart.installOutput(Map.of());
    notes = notes.substring(notes.indexOf("NOTES:"));

    assertThat(notes)
        .contains(
            "kubectl -n atoms-system create secret generic atoms-api-key --from-literal=apiKey=\"$ATOMS_API_KEY\"")
        .contains("kubectl -n default wait agr/support-agent --for=condition=Ready")
        .contains("kubectl -n default describe agr/support-agent")
        .contains("helm upgrade also upgrades the AgentRelease CRD");
    assertThat(HelmChart.installOutput(Map.of("crds.enabled", false)))
        .contains("crds.enabled is false")
        .contains("kubectl apply -k crds/");
    ObjectNode agentRelease = heredoc(notes);
    assertThat(K8s.kind(agentRelease)).isEqualTo("AgentRelease");
    assertThat(ManifestValidator.problems(agentRelease)).isEmpty();
  }

  @Test
  void notesForOneWatchedNamespaceWithoutDefaultSecretUseThatNamespaceAndASecretRef() {
    String notes =
        HelmChart.installOutput(
            Map.of("watchNamespaces[0]", "team-a", "defaultApiKeySecret.name", ""));

    assertThat(notes)
        .contains("watching team-a.")
        .contains("kubectl -n team-a create secret generic atoms-api-key")
        .contains("kubectl -n team-a wait agr/support-agent --for=condition=Ready");
    ObjectNode agentRelease = heredoc(notes);
    assertThat(agentRelease.at("/spec/apiKeySecretRef/name").asText()).isEqualTo("atoms-api-key");
    assertThat(ManifestValidator.problems(agentRelease)).isEmpty();
  }

  /**
   * The manifest between <<'YAML' and YAML in NOTES.txt (a shell heredoc: the terminator is flush
   * left).
   */
  private static ObjectNode heredoc(String notes) {
    int start = notes.indexOf("<<'YAML'\n");
    int end = notes.indexOf("\nYAML\n", start);
    assertThat(start).as("heredoc start").isPositive();
    assertThat(end).as("heredoc terminator at the start of a line").isGreaterThan(start);
    return Yaml.documents(notes.substring(start + "<<'YAML'\n".length(), end)).get(0);
  }
}
