package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege, exactly, in every install path: the verbs the operator uses and nothing more, no
 * rights on CRDs, no wildcards, every binding's subject in a namespace. (The Quarkus build's
 * generated target/kubernetes/kubernetes.yml grants far more; it is not shipped.)
 */
class RbacTest {

  /**
   * What the reconciler does in a watched namespace (or cluster-wide): "group/resource" -> verbs.
   */
  static final Map<String, String> WATCH_RULES =
      Map.of(
          "atoms.smallest.ai/agentreleases", "get,list,patch,watch",
          "atoms.smallest.ai/agentreleases/status", "patch,update",
          "/secrets", "get,list,watch",
          "/events", "create,patch");

  /**
   * Leader election: create any Lease (a create cannot be limited by name), read and renew ours.
   */
  static final Map<String, String> LEADER_ELECTION_RULES =
      Map.of(
          "coordination.k8s.io/leases", "create",
          "coordination.k8s.io/leases[atoms-operator-leader]", "get,update");

  static Stream<Arguments> installations() {
    return Stream.of(
        Arguments.of(
            "kubectl apply -k deploy/", KustomizeLite.build(Repo.DEPLOY), "atoms-operator"),
        Arguments.of(
            "kubectl apply -f deploy/base/atoms-operator.yaml",
            Yaml.documents(Repo.OPERATOR_MANIFEST),
            "atoms-operator"),
        Arguments.of(
            "kubectl apply -k deploy/single-namespace/",
            KustomizeLite.build(Repo.SINGLE_NAMESPACE),
            "atoms-operator"),
        Arguments.of("helm template (defaults)", HelmChart.templateDefaults(), HelmChart.NAMESPACE),
        Arguments.of(
            "helm template (values-production.yaml)",
            HelmChart.template(Repo.FIXTURES.resolve("values-production.yaml")),
            HelmChart.NAMESPACE),
        Arguments.of(
            "helm template (watchNamespaces=[team-a])",
            HelmChart.template(Map.of("watchNamespaces[0]", "team-a")),
            HelmChart.NAMESPACE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installations")
  void grantsNoWildcardsNoCrdRightsAndNothingBeyondTheOperatorsVerbs(
      String how, List<ObjectNode> objects, String operatorNamespace) {
    TreeSet<String> allowed = new TreeSet<>();
    WATCH_RULES.forEach((resource, verbs) -> allowed.add(resource + "=" + verbs));
    allowed.add("coordination.k8s.io/leases=create");
    allowed.add(
        "/secrets[*]=get"); // the default API-key Secret outside the watched namespaces, by name
    allowed.add("/namespaces=get"); // the tenancy policy annotation, all namespaces watched
    allowed.add("/namespaces[*]=get"); // the same, restricted to the watched namespaces
    for (JsonNode role : roles(objects)) {
      for (JsonNode rule : role.path("rules")) {
        String text = rule.toString();
        assertThat(text)
            .as("%s: %s", how, K8s.id(role))
            .doesNotContain("\"*\"")
            .doesNotContain("apiextensions.k8s.io");
        for (String resource : K8s.strings(rule.path("resources"))) {
          for (String group : K8s.strings(rule.path("apiGroups"))) {
            String key = group + "/" + resource + (rule.has("resourceNames") ? "[*]" : "");
            if (key.equals("coordination.k8s.io/leases[*]")) {
              assertThat(K8s.strings(rule.path("verbs")))
                  .containsExactlyInAnyOrder("get", "update");
              continue;
            }
            assertThat(allowed)
                .as("%s: %s grants %s %s", how, K8s.id(role), key, rule.path("verbs"))
                .contains(
                    key + "=" + String.join(",", new TreeSet<>(K8s.strings(rule.path("verbs")))));
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installations")
  void everyBindingNamesAnExistingRoleAndANamespacedOperatorServiceAccount(
      String how, List<ObjectNode> objects, String operatorNamespace) {
    ObjectNode deployment = K8s.one(objects, "Deployment");
    String serviceAccount = K8s.podSpec(deployment).path("serviceAccountName").asText();
    List<ObjectNode> bindings =
        Stream.concat(
                K8s.ofKind(objects, "RoleBinding").stream(),
                K8s.ofKind(objects, "ClusterRoleBinding").stream())
            .toList();

    assertThat(bindings).as(how).isNotEmpty();
    for (ObjectNode binding : bindings) {
      assertThat(binding.path("subjects")).as("%s: %s subjects", how, K8s.id(binding)).hasSize(1);
      JsonNode subject = binding.path("subjects").get(0);
      assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
      assertThat(subject.path("name").asText())
          .as("%s: %s subject", how, K8s.id(binding))
          .isEqualTo(serviceAccount);
      assertThat(subject.path("namespace").asText())
          .as("%s: %s subject namespace", how, K8s.id(binding))
          .isEqualTo(operatorNamespace)
          .isEqualTo(K8s.namespace(deployment));
      String roleKind = binding.at("/roleRef/kind").asText();
      String roleName = binding.at("/roleRef/name").asText();
      assertThat(objects)
          .as("%s: %s refers to %s %s", how, K8s.id(binding), roleKind, roleName)
          .anyMatch(
              o ->
                  K8s.kind(o).equals(roleKind)
                      && K8s.name(o).equals(roleName)
                      && K8s.namespace(o).equals(K8s.namespace(binding)));
    }
    if (!K8s.ofKind(objects, "ServiceAccount").isEmpty()) {
      assertThat(K8s.ofKind(objects, "ServiceAccount"))
          .extracting(K8s::name)
          .containsExactly(serviceAccount);
    }
  }

  @Test
  void watchingAllNamespacesGrantsExactlyTheReconcilersVerbsClusterWide() {
    for (List<ObjectNode> objects :
        List.of(KustomizeLite.build(Repo.DEPLOY), HelmChart.templateDefaults())) {
      assertThat(rules(watchClusterRole(objects))).isEqualTo(new TreeMap<>(WATCH_RULES));
      assertThat(rules(namespacePolicy(objects))).containsExactly(Map.entry("/namespaces", "get"));
      assertThat(K8s.ofKind(objects, "Role"))
          .singleElement()
          .satisfies(
              role -> assertThat(rules(role)).isEqualTo(new TreeMap<>(LEADER_ELECTION_RULES)));
    }
  }

  @Test
  void singleNamespaceOverlayHasNoClusterWideRightsAndWatchesTheNamespaceItGrants() {
    List<ObjectNode> objects = KustomizeLite.build(Repo.SINGLE_NAMESPACE);

    // The one cluster-scoped right: reading the watched namespace's own object.
    assertThat(K8s.ofKind(objects, "ClusterRole"))
        .singleElement()
        .satisfies(
            role ->
                assertThat(rules(role)).containsExactly(Map.entry("/namespaces[team-a]", "get")));
    assertThat(K8s.ofKind(objects, "ClusterRoleBinding")).hasSize(1);
    ObjectNode watchRole = K8s.find(objects, "Role", "atoms-operator").orElseThrow();
    assertThat(rules(watchRole)).isEqualTo(new TreeMap<>(WATCH_RULES));
    assertThat(K8s.env(K8s.one(objects, "Deployment")))
        .containsEntry(
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_NAMESPACES", K8s.namespace(watchRole));
    // The default API-key Secret is read by name, in the operator's namespace only.
    ObjectNode secretRole =
        K8s.find(objects, "Role", "atoms-operator-default-secret").orElseThrow();
    assertThat(rules(secretRole)).containsExactly(Map.entry("/secrets[atoms-api-key]", "get"));
    assertThat(K8s.namespace(secretRole)).isEqualTo("atoms-operator");
    assertThat(K8s.env(K8s.one(objects, "Deployment")))
        .containsEntry("ATOMS_DEFAULT_API_KEY_SECRET_NAME", "atoms-api-key");
  }

  @Test
  void chartWatchingNamespacesGrantsARolePerNamespaceAndNothingClusterWide() {
    List<ObjectNode> objects = HelmChart.template(Repo.FIXTURES.resolve("values-production.yaml"));

    assertThat(K8s.ofKind(objects, "ClusterRole"))
        .singleElement()
        .satisfies(
            role ->
                assertThat(rules(role))
                    .containsExactly(Map.entry("/namespaces[team-a,team-b]", "get")));
    assertThat(K8s.ofKind(objects, "ClusterRoleBinding")).hasSize(1);
    for (String ns : List.of("team-a", "team-b")) {
      assertThat(objects)
          .anySatisfy(
              o -> {
                assertThat(K8s.id(o)).isEqualTo("Role " + ns + "/atoms");
                assertThat(rules(o)).isEqualTo(new TreeMap<>(WATCH_RULES));
              });
    }
    assertThat(rules(K8s.find(objects, "Role", "atoms-default-secret").orElseThrow()))
        .containsExactly(Map.entry("/secrets[shared-atoms-key]", "get"));
    assertThat(rules(K8s.find(objects, "Role", "atoms-leader-election").orElseThrow()))
        .containsExactly(
            Map.entry("coordination.k8s.io/leases", "create"),
            Map.entry("coordination.k8s.io/leases[atoms-leader]", "get,update"));
  }

  @Test
  void chartGrantsNoSecretRoleWhenTheDefaultSecretIsInAWatchedNamespace() {
    List<ObjectNode> objects =
        HelmChart.template(
            Map.of("watchNamespaces[0]", "team-a", "defaultApiKeySecret.namespace", "team-a"));

    assertThat(K8s.find(objects, "Role", "atoms-operator-default-secret")).isEmpty();
  }

  @Test
  void deployAndChartGrantTheSameRules() {
    List<ObjectNode> deploy = KustomizeLite.build(Repo.DEPLOY);
    List<ObjectNode> chart = HelmChart.templateDefaults();

    assertThat(rules(watchClusterRole(chart))).isEqualTo(rules(watchClusterRole(deploy)));
    assertThat(rules(namespacePolicy(chart))).isEqualTo(rules(namespacePolicy(deploy)));
    assertThat(rules(K8s.one(chart, "Role"))).isEqualTo(rules(K8s.one(deploy, "Role")));
  }

  private static ObjectNode namespacePolicy(List<ObjectNode> objects) {
    return K8s.ofKind(objects, "ClusterRole").stream()
        .filter(role -> K8s.name(role).endsWith("-namespace-policy"))
        .findFirst()
        .orElseThrow();
  }

  private static ObjectNode watchClusterRole(List<ObjectNode> objects) {
    return K8s.ofKind(objects, "ClusterRole").stream()
        .filter(role -> !K8s.name(role).endsWith("-namespace-policy"))
        .findFirst()
        .orElseThrow();
  }

  private static List<ObjectNode> roles(List<ObjectNode> objects) {
    return objects.stream()
        .filter(o -> K8s.kind(o).equals("Role") || K8s.kind(o).equals("ClusterRole"))
        .toList();
  }

  /** "group/resource[names]" -> "verb,verb" (sorted); a resource listed twice merges its verbs. */
  static TreeMap<String, String> rules(JsonNode role) {
    TreeMap<String, TreeSet<String>> merged = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      String names =
          rule.has("resourceNames")
              ? String.valueOf(K8s.strings(rule.get("resourceNames"))).replace(" ", "")
              : "";
      for (String group : K8s.strings(rule.path("apiGroups"))) {
        for (String resource : K8s.strings(rule.path("resources"))) {
          merged
              .computeIfAbsent(group + "/" + resource + names, k -> new TreeSet<>())
              .addAll(K8s.strings(rule.path("verbs")));
        }
      }
    }
    TreeMap<String, String> out = new TreeMap<>();
    merged.forEach((k, v) -> out.put(k, String.join(",", v)));
    return out;
  }
}
