package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.config.OperatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** deploy/: the plain manifests and kustomizations users apply with kubectl. */
class DeployManifestsTest {

  static Stream<Arguments> installations() {
    return Stream.of(
        Arguments.of("kubectl apply -k deploy/", KustomizeLite.build(Repo.DEPLOY)),
        Arguments.of(
            "kubectl apply -k deploy/single-namespace/",
            KustomizeLite.build(Repo.SINGLE_NAMESPACE)),
        Arguments.of(
            "kubectl apply -f deploy/base/atoms-operator.yaml",
            Yaml.documents(Repo.OPERATOR_MANIFEST)));
  }

  @Test
  void kustomizeInstallsTheCrdAndTheOperatorInItsOwnNamespace() {
    assertThat(KustomizeLite.build(Repo.DEPLOY))
        .extracting(K8s::id)
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition agentreleases.atoms.smallest.ai",
            "Namespace atoms-operator",
            "ServiceAccount atoms-operator/atoms-operator",
            "ClusterRole atoms-operator",
            "ClusterRoleBinding atoms-operator",
            "ClusterRole atoms-operator-namespace-policy",
            "ClusterRoleBinding atoms-operator-namespace-policy",
            "Role atoms-operator/atoms-operator-leader-election",
            "RoleBinding atoms-operator/atoms-operator-leader-election",
            "Deployment atoms-operator/atoms-operator",
            "Service atoms-operator/atoms-operator-metrics");
  }

  @Test
  void kustomizeInstallsExactlyTheCheckedInCrd() {
    ObjectNode crd = K8s.one(KustomizeLite.build(Repo.DEPLOY), "CustomResourceDefinition");
    assertThat(crd).isEqualTo(Yaml.document(Repo.CRD_FILE));
    assertThat(KustomizeLite.build(Repo.CRDS)).containsExactly(Yaml.document(Repo.CRD_FILE));
  }

  @Test
  void crdsKustomizationListsEveryCrdFile() throws Exception {
    try (var files = Files.list(Repo.CRDS)) {
      List<String> crdFiles =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.equals("kustomization.yaml"))
              .sorted()
              .toList();
      assertThat(
              K8s.strings(Yaml.document(Repo.CRDS.resolve("kustomization.yaml")).path("resources")))
          .containsExactlyElementsOf(crdFiles);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installations")
  void everyObjectIsAValidKubernetesObject(String how, List<ObjectNode> objects) {
    assertThat(ManifestValidator.problems(objects)).as(how).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installations")
  void operatorPodIsRestrictedReadOnlyProbedAndSized(String how, List<ObjectNode> objects) {
    ObjectNode deployment = K8s.one(objects, "Deployment");
    OperatorDeploymentAssertions.isRestrictedReadOnlyProbedAndSized(deployment);
  }

  @Test
  void operatorNamespaceEnforcesTheRestrictedPodSecurityStandard() {
    JsonNode labels =
        K8s.one(Yaml.documents(Repo.OPERATOR_MANIFEST), "Namespace").at("/metadata/labels");
    assertThat(labels.path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
  }

  @Test
  void plainManifestCreatesTheNamespaceFirstAndEverythingElseInsideIt() {
    List<ObjectNode> objects = Yaml.documents(Repo.OPERATOR_MANIFEST);
    String namespace = K8s.name(objects.get(0));

    assertThat(K8s.kind(objects.get(0))).isEqualTo("Namespace");
    assertThat(objects.subList(1, objects.size()))
        .allSatisfy(
            o -> {
              if (!K8s.kind(o).startsWith("Cluster")) {
                assertThat(K8s.namespace(o)).as(K8s.id(o)).isEqualTo(namespace);
              }
            });
    List<String> order = objects.stream().map(K8s::kind).toList();
    assertThat(order.indexOf("ServiceAccount")).isLessThan(order.indexOf("Deployment"));
    assertThat(order.indexOf("ClusterRoleBinding")).isLessThan(order.indexOf("Deployment"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installations")
  void environmentUsesOnlyVariablesTheOperatorReads(String how, List<ObjectNode> objects) {
    Map<String, String> env = K8s.env(K8s.one(objects, "Deployment"));

    assertThat(OperatorEnvironment.unknownVariable(env)).as(how).isEmpty();
    OperatorConfig config = OperatorEnvironment.configFrom(env);
    OperatorConfig builtIn = OperatorEnvironment.configFrom(Map.of());
    assertThat(config.baseUrl()).isEqualTo(builtIn.baseUrl());
    assertThat(config.resyncInterval()).isEqualTo(builtIn.resyncInterval());
    assertThat(config.defaultApiKeySecret().name()).contains("atoms-api-key");
    assertThat(config.defaultApiKeySecret().key()).isEqualTo(builtIn.defaultApiKeySecret().key());
    assertThat(config.leaderElection().enabled()).isTrue();
    assertThat(config.leaderElection().leaseName()).isEqualTo(builtIn.leaderElection().leaseName());
    String fromNamespace = "<from:{\"fieldRef\":{\"fieldPath\":\"metadata.namespace\"}}>";
    assertThat(env)
        .containsEntry("POD_NAMESPACE", fromNamespace)
        .containsEntry("ATOMS_LEADER_ELECTION_LEASE_NAMESPACE", fromNamespace)
        .containsEntry("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE", fromNamespace);
  }

  @Test
  void leaseNameInTheDeploymentIsTheOneTheRoleGrants() {
    List<ObjectNode> objects = KustomizeLite.build(Repo.DEPLOY);
    String lease = K8s.env(K8s.one(objects, "Deployment")).get("ATOMS_LEADER_ELECTION_LEASE_NAME");

    assertThat(RbacTest.rules(K8s.one(objects, "Role")))
        .containsEntry("coordination.k8s.io/leases[" + lease + "]", "get,update");
  }

  @Test
  void deployAndChartRunTheSamePod() {
    ObjectNode deploy = K8s.one(KustomizeLite.build(Repo.DEPLOY), "Deployment");
    ObjectNode chart = K8s.one(HelmChart.templateDefaults(), "Deployment");
    JsonNode deployContainer = K8s.container(deploy);
    JsonNode chartContainer = K8s.container(chart);

    for (String field :
        List.of(
            "image",
            "ports",
            "securityContext",
            "resources",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "volumeMounts")) {
      assertThat(chartContainer.path(field)).as(field).isEqualTo(deployContainer.path(field));
    }
    for (String field : List.of("securityContext", "volumes")) {
      assertThat(K8s.podSpec(chart).path(field))
          .as(field)
          .isEqualTo(K8s.podSpec(deploy).path(field));
    }
    assertThat(chart.at("/spec/strategy")).isEqualTo(deploy.at("/spec/strategy"));
    assertThat(chart.at("/spec/replicas")).isEqualTo(deploy.at("/spec/replicas"));
    Map<String, String> chartEnv = K8s.env(chart);
    K8s.env(deploy)
        .forEach(
            (name, value) -> {
              assertThat(chartEnv).as("chart env").containsKey(name);
              if (!name.equals(
                  "ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE")) { // fieldRef here, the release
                // namespace there
                assertThat(chartEnv.get(name)).as(name).isEqualTo(value);
              }
            });
  }
}
