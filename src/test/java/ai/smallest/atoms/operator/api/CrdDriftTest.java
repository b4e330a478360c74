package ai.smallest.atoms.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD users install (crds/) must be exactly what the Java model generates. Regenerates it with
 * the same Fabric8 generator and post-processor the Quarkus build uses; after changing the model,
 * refresh the checked-in copies (crds/ and the Helm chart's files/crds/) with {@code ./mvnw test
 * -Dtest=CrdDriftTest -Dcrds.update=true}.
 */
class CrdDriftTest {

  static final String CRD_FILE = "agentreleases.atoms.smallest.ai-v1.yml";
  static final Path CHECKED_IN = Path.of("crds", CRD_FILE);

  /** The Helm chart's copy, which templates/crds.yaml renders (HelmChartTest compares the two). */
  private static final Path HELM_COPY =
      Path.of("helm", "atoms-operator", "files", "crds", CRD_FILE);

  private static final Path BUILD_OUTPUT = Path.of("target", "kubernetes", CRD_FILE);

  @Test
  void checkedInCrdMatchesTheJavaModel(@TempDir Path out) throws IOException {
    new CRDGenerator()
        .customResourceClasses(AgentRelease.class)
        .withPostProcessor(new AgentReleaseCrdPostProcessor())
        .forCRDVersions(List.of("v1"))
        .inOutputDir(out.toFile())
        .detailedGenerate();
    String generated = Files.readString(out.resolve(CRD_FILE));

    if (Boolean.getBoolean("crds.update")) {
      Files.createDirectories(CHECKED_IN.getParent());
      Files.writeString(CHECKED_IN, generated);
      // The Helm chart ships its own copy (a chart can only read files inside itself).
      Files.writeString(HELM_COPY, generated);
    }

    assertThat(CHECKED_IN).exists();
    assertThat(Files.readString(CHECKED_IN))
        .as(
            "crds/%s is stale: run ./mvnw test -Dtest=CrdDriftTest -Dcrds.update=true and commit it",
            CRD_FILE)
        .isEqualTo(generated);
  }

  @Test
  void checkedInCrdMatchesWhatTheQuarkusBuildGenerated() throws IOException {
    // target/kubernetes is written by the Quarkus build; compare only output generated from the
    // classes compiled now, not a leftover of an earlier build.
    Path compiledModel =
        Path.of("target", "classes", AgentRelease.class.getName().replace('.', '/') + ".class");
    boolean fresh =
        Files.exists(BUILD_OUTPUT)
            && Files.getLastModifiedTime(BUILD_OUTPUT)
                    .compareTo(Files.getLastModifiedTime(compiledModel))
                >= 0;
    if (fresh) {
      assertThat(Files.readString(CHECKED_IN)).isEqualTo(Files.readString(BUILD_OUTPUT));
    }
  }

  @Test
  void crdDeclaresStatusSubresourceShortNameAndPrinterColumnsInOrder() throws IOException {
    var crd =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            Files.readString(CHECKED_IN),
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
    var version = crd.getSpec().getVersions().get(0);
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("agr");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns())
        .filteredOn(c -> c.getPriority() == null || c.getPriority() == 0)
        .extracting(c -> c.getName())
        .containsExactly("Agent", "Desired", "Active", "Ready", "Reason", "Activated", "Age");
  }
}
