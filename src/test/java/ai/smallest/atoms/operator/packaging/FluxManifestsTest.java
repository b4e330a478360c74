package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/flux/: the GitRepository of this repository, the Kustomization that installs the operator
 * from deploy/, the Helm alternative, and the Kustomization that waits on AgentReleases.
 */
class FluxManifestsTest {

  static final Path FLUX = Repo.DEPLOY.resolve("flux");

  private static ObjectNode file(String name) {
    return Yaml.document(FLUX.resolve(name));
  }

  /** What kustomize-controller applies for a Kustomization of this repository's source. */
  static List<ObjectNode> applied(JsonNode kustomization) {
    List<ObjectNode> objects =
        KustomizeLite.build(Path.of(kustomization.at("/spec/path").asText()).normalize());
    KustomizeLite.patch(
        K8s.id(kustomization) + " spec.patches", kustomization.at("/spec/patches"), objects);
    return objects;
  }

  @Test
  void everyFileIsAValidFluxObjectAndTheKustomizationListsThemAll() throws Exception {
    List<ObjectNode> built = KustomizeLite.build(FLUX);
    assertThat(built)
        .extracting(K8s::id)
        .containsExactlyInAnyOrder(
            "GitRepository flux-system/atoms-operator",
            "Kustomization flux-system/atoms-operator",
            "Kustomization flux-system/agentreleases");
    assertThat(ManifestValidator.problems(built)).isEmpty();
    try (var files = Files.list(FLUX)) {
      for (Path f : files.filter(p -> !p.endsWith("kustomization.yaml")).toList()) {
        assertThat(ManifestValidator.problems(Yaml.documents(f))).as(f.toString()).isEmpty();
      }
    }
  }

  @Test
  void sourceIsThisRepositoryAtThisRelease() {
    ObjectNode source = file("atoms-operator-source.yaml");
    assertThat(source.at("/spec/url").asText())
        .isEqualTo("https://github.com/smallest-ai/atoms-operator");
    assertThat(source.at("/spec/ref/tag").asText()).isEqualTo("v" + Repo.releaseVersion());
    // The ignore rules keep what the Kustomization and the HelmRelease read.
    assertThat(source.at("/spec/ignore").asText()).contains("!/crds/", "!/deploy/", "!/helm/");
  }

  @Test
  void operatorKustomizationAppliesDeployAndNeverPrunesTheCrd() {
    ObjectNode operator = file("atoms-operator.yaml");
    assertThat(operator.at("/spec/sourceRef/name").asText()).isEqualTo("atoms-operator");
    assertThat(operator.at("/spec/wait").asBoolean()).isTrue();

    List<ObjectNode> applied = applied(operator);
    assertThat(applied)
        .extracting(K8s::id)
        .containsExactlyInAnyOrderElementsOf(
            KustomizeLite.build(Repo.DEPLOY).stream().map(K8s::id).toList());
    ObjectNode crd = K8s.one(applied, "CustomResourceDefinition");
    assertThat(crd.at("/metadata/annotations").path("kustomize.toolkit.fluxcd.io/prune").asText())
        .isEqualTo("disabled");
    ((ObjectNode) crd.path("metadata")).remove("annotations");
    assertThat(crd).isEqualTo(Yaml.document(Repo.CRD_FILE));
  }

  @Test
  void agentReleasesWaitForTheOperatorAndForEveryReleaseWithTheHealthCheck() {
    ObjectNode releases = file("agentreleases.yaml");
    assertThat(releases.at("/spec/dependsOn/0/name").asText()).isEqualTo("atoms-operator");
    assertThat(releases.at("/spec/wait").asBoolean()).isTrue();
    assertThat(releases.at("/spec/timeout").asText()).isNotEmpty();
    assertThat(releases.at("/spec/healthCheckExprs/0/kind").asText()).isEqualTo("AgentRelease");
  }

  @Test
  void helmReleaseInstallsTheChartOfThisRepositoryWithValuesItAccepts() throws Exception {
    ObjectNode release = file("atoms-operator-helmrelease.yaml");
    assertThat(release.at("/spec/chart/spec/chart").asText())
        .isEqualTo("./" + Repo.CHART.toString().replace('\\', '/'));
    assertThat(release.at("/spec/chart/spec/sourceRef/name").asText())
        .isEqualTo(file("atoms-operator-source.yaml").at("/metadata/name").asText());
    // The chart's CRD is a template: the crds policies (for a crds/ folder) do not apply.
    assertThat(release.at("/spec/install/crds").isMissingNode()).isTrue();
    assertThat(release.at("/spec/upgrade/crds").isMissingNode()).isTrue();

    JsonNode values = release.at("/spec/values");
    var schema = JsonSchemas.draft7(Yaml.tree(Repo.read(Repo.CHART.resolve("values.schema.json"))));
    assertThat(JsonSchemas.problems(schema, values)).isEmpty();
    Path file = Files.createTempFile("flux-values", ".yaml");
    try {
      Files.writeString(file, Yaml.MAPPER.writeValueAsString(values));
      List<ObjectNode> objects =
          Yaml.documents(
              HelmChart.templateText(
                  release.at("/spec/releaseName").asText(),
                  release.at("/spec/targetNamespace").asText(),
                  List.of(file),
                  Map.of()));
      assertThat(ManifestValidator.problems(objects)).isEmpty();
      assertThat(K8s.one(objects, "CustomResourceDefinition")).isNotNull();
      assertThat(K8s.namespace(K8s.one(objects, "Deployment"))).isEqualTo("atoms-operator");
    } finally {
      Files.delete(file);
    }
  }
}
