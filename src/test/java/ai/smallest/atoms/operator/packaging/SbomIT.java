package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After package: the CycloneDX SBOM the image ships describes what the image runs. It names the
 * operator at the project version, has a component for every jar in the fast-jar lib/ folder, and
 * none of the test-only dependencies.
 */
class SbomIT {

  private static final Path SBOM = Path.of(DockerfileTest.SBOM);
  private static final Path LIB = Path.of("target", "quarkus-app", "lib");

  @Test
  void sbomDescribesTheOperatorAndEveryJarItRunsAndNothingElse() throws Exception {
    JsonNode bom = Yaml.JSON.readTree(Files.readString(SBOM));

    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
    assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("atoms-operator");
    assertThat(bom.at("/metadata/component/version").asText()).isEqualTo(Repo.projectVersion());
    assertThat(bom.at("/metadata/component/type").asText()).isEqualTo("application");

    // Quarkus names a dependency's jar groupId.artifactId-version[-classifier].jar.
    Set<String> components = new HashSet<>();
    Set<String> artifacts = new HashSet<>();
    for (JsonNode c : bom.path("components")) {
      components.add(
          c.path("group").asText()
              + "."
              + c.path("name").asText()
              + "-"
              + c.path("version").asText());
      artifacts.add(c.path("group").asText() + ":" + c.path("name").asText());
      assertThat(c.path("purl").asText()).startsWith("pkg:maven/");
      assertThat(c.path("hashes")).as("hashes of %s", c.path("name")).isNotEmpty();
    }
    List<String> jars = new ArrayList<>();
    try (var files = Files.walk(LIB)) {
      files
          .filter(f -> f.toString().endsWith(".jar"))
          .forEach(f -> jars.add(f.getFileName().toString()));
    }
    assertThat(jars).hasSizeGreaterThan(100);
    assertThat(jars)
        .allSatisfy(
            jar -> {
              String base = jar.substring(0, jar.length() - ".jar".length());
              assertThat(components)
                  .as("SBOM component for %s", jar)
                  .anyMatch(c -> base.equals(c) || base.startsWith(c + "-"));
            });
    assertThat(artifacts)
        .doesNotContain(
            "org.assertj:assertj-core",
            "com.marcnuri.helm-java:helm-java",
            "org.luaj:luaj-jse",
            "dev.cel:cel",
            "org.awaitility:awaitility",
            "org.mockito:mockito-core",
            "io.fabric8:crd-generator-api-v2");
  }
}
