package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * One image, named alike everywhere. Users change it in one place per install path (Helm:
 * image.repository/tag; kustomize: an `images:` entry in their overlay); a release bumps the
 * project version, and this test fails until the chart and deploy/ follow.
 */
class ImageReferenceTest {

  @Test
  void chartVersionAndAppVersionAreTheProjectsReleaseVersion() {
    var chart = Yaml.document(Repo.CHART.resolve("Chart.yaml"));

    assertThat(chart.path("appVersion").asText()).isEqualTo(Repo.releaseVersion());
    assertThat(chart.path("version").asText()).isEqualTo(Repo.releaseVersion());
  }

  @Test
  void deployInstallsTheImageTheChartInstallsByDefault() {
    String deployImage =
        K8s.container(K8s.one(Yaml.documents(Repo.OPERATOR_MANIFEST), "Deployment"))
            .path("image")
            .asText();
    String chartImage =
        K8s.container(K8s.one(HelmChart.templateDefaults(), "Deployment")).path("image").asText();

    assertThat(deployImage)
        .isEqualTo(Repo.IMAGE_REPOSITORY + ":" + Repo.releaseVersion())
        .isEqualTo(chartImage);
    assertThat(Yaml.document(Repo.CHART.resolve("values.yaml")).at("/image/repository").asText())
        .isEqualTo(Repo.IMAGE_REPOSITORY);
  }

  @Test
  void quarkusContainerImageSettingsNameTheSameImage() throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(Repo.APPLICATION_PROPERTIES)) {
      p.load(in);
    }
    String image =
        p.getProperty("quarkus.container-image.registry")
            + "/"
            + p.getProperty("quarkus.container-image.group")
            + "/"
            + p.getProperty("quarkus.container-image.name");

    assertThat(image).isEqualTo(Repo.IMAGE_REPOSITORY);
  }

  @Test
  void argoCdApplicationDeploysTheChartOfThisRelease() {
    var app = Yaml.document(Repo.ARGOCD.resolve("atoms-operator-application.yaml"));

    assertThat(app.at("/spec/source/targetRevision").asText())
        .isEqualTo("v" + Repo.releaseVersion());
    assertThat(Repo.CHART.resolve("Chart.yaml")).exists();
    assertThat(app.at("/spec/source/path").asText())
        .isEqualTo(Repo.CHART.toString().replace('\\', '/'));
  }
}
