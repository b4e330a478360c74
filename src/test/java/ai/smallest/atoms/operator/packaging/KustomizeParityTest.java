package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KustomizeLite (what the other tests build deploy/ with) produces exactly what the real kustomize
 * in kubectl produces. Runs where kubectl is on the PATH and is skipped elsewhere; set
 * -Dpackaging.requireKubectl=true (e.g. in CI that installs kubectl) to make its absence a failure.
 */
class KustomizeParityTest {

  @ParameterizedTest(name = "kubectl kustomize {0}")
  @ValueSource(
      strings = {"crds", "deploy", "deploy/base", "deploy/single-namespace", "deploy/flux"})
  void kustomizeLiteBuildsWhatKubectlKustomizeBuilds(String dir) throws Exception {
    String kubectl = kubectl();
    Process process =
        new ProcessBuilder(kubectl, "kustomize", dir).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();

    List<JsonNode> real =
        Yaml.documents(new String(out, StandardCharsets.UTF_8)).stream()
            .map(KustomizeParityTest::numbersByValue)
            .toList();
    List<JsonNode> lite =
        KustomizeLite.build(Path.of(dir)).stream()
            .map(KustomizeParityTest::numbersByValue)
            .toList();
    assertThat(lite).containsExactlyInAnyOrderElementsOf(real);
  }

  @Test
  void overlayShownInTheInstallDocsMovesTheOperatorAndItsImage(@TempDir Path tmp) throws Exception {
    String kubectl = kubectl();
    String overlay =
        InstallDocsTest.blocks(Repo.read(Repo.INSTALL_DOCS)).stream()
            .map(InstallDocsTest.Block::text)
            .filter(t -> t.startsWith("# file: kustomization.yaml"))
            .findFirst()
            .orElseThrow()
            .replace(
                "https://github.com/smallest-ai/atoms-operator//deploy?ref=v"
                    + Repo.releaseVersion(),
                tmp.toAbsolutePath().relativize(Repo.DEPLOY.toAbsolutePath()).toString());
    Files.writeString(tmp.resolve("kustomization.yaml"), overlay);
    Process process = new ProcessBuilder(kubectl, "kustomize", tmp.toString()).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(err).isZero();

    List<ObjectNode> objects = Yaml.documents(new String(out, StandardCharsets.UTF_8));
    ObjectNode deployment = K8s.one(objects, "Deployment");
    assertThat(K8s.container(deployment).path("image").asText())
        .isEqualTo("registry.example.com/mirror/atoms-operator:0.1.0");
    assertThat(K8s.namespace(deployment)).isEqualTo("voice-operators");
    assertThat(K8s.one(objects, "Namespace").at("/metadata/name").asText())
        .isEqualTo("voice-operators");
    assertThat(K8s.ofKind(objects, "ClusterRoleBinding"))
        .isNotEmpty()
        .allSatisfy(
            binding ->
                assertThat(binding.at("/subjects/0/namespace").asText())
                    .isEqualTo("voice-operators"));
    assertThat(ManifestValidator.problems(objects)).isEmpty();
  }

  /** kustomize writes 1.0 as 1: compare numbers by value, not by representation. */
  private static JsonNode numbersByValue(JsonNode node) {
    if (node.isNumber()) {
      return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
    }
    if (node.isObject()) {
      ObjectNode copy = Yaml.JSON.createObjectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), numbersByValue(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Yaml.JSON.createArrayNode();
      node.forEach(item -> copy.add(numbersByValue(item)));
      return copy;
    }
    return node;
  }

  private static String kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    if (Boolean.getBoolean("packaging.requireKubectl")) {
      throw new AssertionError("-Dpackaging.requireKubectl=true but kubectl is not on the PATH");
    }
    assumeTrue(false, "kubectl is not on the PATH");
    throw new IllegalStateException("unreachable");
  }
}
