package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.apiserver.LabelSelector;
import ai.smallest.atoms.operator.config.Leadership;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.config.SafeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #16 point 2: sharding as installed. The chart with {@code sharding.shards: [a, b]} and
 * deploy/sharded/ (built by the real kustomize in kubectl) each run a default Deployment and one
 * per shard: every AgentRelease has exactly one owner, no Deployment selects another's pods, each
 * shard has a Lease of its own that the RBAC grants, and every instance has the same rights.
 */
class ShardingManifestsTest {

  private static final String SELECTOR_ENV =
      "QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR";

  /** Releases labelled for each shard, unlabelled, and for a shard nobody runs. */
  private static final List<Map<String, String>> RELEASE_LABELS =
      List.of(
          Map.of(),
          Map.of("atoms.smallest.ai/shard", "a"),
          Map.of("atoms.smallest.ai/shard", "b"),
          Map.of("atoms.smallest.ai/shard", "c"),
          Map.of("team", "x"));

  private static final Map<String, Object> SHARDS_A_B =
      Map.of("sharding.shards[0]", "a", "sharding.shards[1]", "b");

  static Stream<Arguments> installs() throws Exception {
    return Stream.of(
        Arguments.of("helm template --set sharding.shards={a,b}", HelmChart.template(SHARDS_A_B)),
        Arguments.of(
            "helm template -f values-production.yaml --set sharding.shards={a,b}",
            HelmChart.template(
                List.of(Repo.FIXTURES.resolve("values-production.yaml")), SHARDS_A_B)),
        Arguments.of(
            "kubectl kustomize deploy/sharded", kustomize(Repo.DEPLOY.resolve("sharded"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void everyReleaseHasExactlyOneOwningDeployment(String how, List<ObjectNode> objects) {
    List<ObjectNode> deployments = K8s.ofKind(objects, "Deployment");
    assertThat(deployments).as(how).hasSize(3);
    for (Map<String, String> labels : RELEASE_LABELS) {
      ObjectNode release = Yaml.JSON.createObjectNode();
      release.putObject("metadata").set("labels", Yaml.JSON.valueToTree(labels));
      List<String> owners =
          deployments.stream()
              .filter(d -> releaseSelector(d).test(release))
              .map(K8s::name)
              .toList();
      assertThat(owners).as("%s: owners of a release labelled %s", how, labels).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void eachShardHasALeaseOfItsOwnThatItsRoleGrants(String how, List<ObjectNode> objects) {
    List<String> leases = new ArrayList<>();
    for (ObjectNode deployment : K8s.ofKind(objects, "Deployment")) {
      Map<String, String> env = K8s.env(deployment);
      OperatorConfig config = OperatorEnvironment.configFrom(env);
      assertThat(config.leaderElection().enabled()).as(how).isTrue();
      assertThat(
              SafeSettings.shardProblem(
                  config.shard(),
                  Optional.ofNullable(env.get(SELECTOR_ENV)),
                  config.leaderElection().leaseName()))
          .as("%s: %s starts", how, K8s.name(deployment))
          .isEmpty();
      assertThat(OperatorEnvironment.unknownVariable(env)).as(how).isEmpty();
      leases.add(Leadership.leaseNameFor(config.leaderElection().leaseName(), config.shard()));
    }
    assertThat(leases).as(how).doesNotHaveDuplicates().hasSize(3);

    ObjectNode role =
        K8s.ofKind(objects, "Role").stream()
            .filter(r -> K8s.name(r).endsWith("leader-election"))
            .findFirst()
            .orElseThrow();
    List<String> granted = new ArrayList<>();
    role.path("rules").forEach(rule -> granted.addAll(K8s.strings(rule.path("resourceNames"))));
    assertThat(granted).as(how).containsAll(leases);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void noDeploymentOrServiceSelectsAnotherDeploymentsPods(String how, List<ObjectNode> objects) {
    List<ObjectNode> deployments = K8s.ofKind(objects, "Deployment");
    for (ObjectNode selecting : deployments) {
      for (ObjectNode pods : deployments) {
        boolean selects = matches(selecting.at("/spec/selector/matchLabels"), podLabels(pods));
        assertThat(selects)
            .as("%s: %s selects the pods of %s", how, K8s.name(selecting), K8s.name(pods))
            .isEqualTo(selecting == pods);
      }
    }
    for (String kind : List.of("Service", "PodDisruptionBudget", "NetworkPolicy")) {
      List<ObjectNode> selectors = K8s.ofKind(objects, kind);
      if (selectors.isEmpty()) {
        continue;
      }
      for (ObjectNode deployment : deployments) {
        long covering =
            selectors.stream().filter(o -> matches(podSelector(o), podLabels(deployment))).count();
        assertThat(covering)
            .as("%s: %ss selecting the pods of %s", how, kind, K8s.name(deployment))
            .isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void everyInstanceRunsAsTheSameServiceAccountAndIsRestrictedAndProbed(
      String how, List<ObjectNode> objects) {
    List<ObjectNode> deployments = K8s.ofKind(objects, "Deployment");
    assertThat(deployments)
        .extracting(d -> K8s.podSpec(d).path("serviceAccountName").asText())
        .as(how)
        .containsOnly(K8s.podSpec(deployments.get(0)).path("serviceAccountName").asText());
    deployments.forEach(OperatorDeploymentAssertions::isRestrictedReadOnlyProbedAndSized);
    assertThat(ManifestValidator.problems(objects)).as(how).isEmpty();
  }

  @Test
  void withoutShardsTheChartRendersOneDeploymentThatReconcilesEverything() {
    List<ObjectNode> objects = HelmChart.templateDefaults();
    ObjectNode deployment = K8s.one(objects, "Deployment");
    assertThat(K8s.env(deployment)).doesNotContainKeys(SELECTOR_ENV, "ATOMS_SHARD");
  }

  @Test
  void shardNamesThatCannotNameALeaseOrRepeatAreRefusedByTheValuesSchema() {
    for (List<String> shards : List.of(List.of("Shard_A"), List.of("a", "a"), List.of("-a"))) {
      Map<String, Object> set = new HashMap<>();
      for (int i = 0; i < shards.size(); i++) {
        set.put("sharding.shards[" + i + "]", shards.get(i));
      }
      assertThatThrownBy(() -> HelmChart.template(set))
          .as(shards.toString())
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
  }

  private static LabelSelector releaseSelector(ObjectNode deployment) {
    String selector = K8s.env(deployment).get(SELECTOR_ENV);
    return selector == null ? LabelSelector.everything() : LabelSelector.parse(selector);
  }

  private static JsonNode podLabels(ObjectNode deployment) {
    return deployment.at("/spec/template/metadata/labels");
  }

  private static JsonNode podSelector(ObjectNode object) {
    return switch (K8s.kind(object)) {
      case "Service" -> object.at("/spec/selector");
      case "NetworkPolicy" -> object.at("/spec/podSelector/matchLabels");
      default -> object.at("/spec/selector/matchLabels");
    };
  }

  /** Whether matchLabels (non-empty) select an object with these labels. */
  private static boolean matches(JsonNode matchLabels, JsonNode labels) {
    if (matchLabels.isMissingNode() || matchLabels.isEmpty()) {
      return false;
    }
    List<String> keys = new ArrayList<>();
    matchLabels.fieldNames().forEachRemaining(keys::add);
    return keys.stream()
        .allMatch(k -> labels.path(k).isTextual() && labels.path(k).equals(matchLabels.path(k)));
  }

  private static List<ObjectNode> kustomize(Path dir) throws Exception {
    Process process =
        new ProcessBuilder(KustomizeParityTest.kubectl(), "kustomize", dir.toString()).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
    return Yaml.documents(new String(out, StandardCharsets.UTF_8));
  }
}
