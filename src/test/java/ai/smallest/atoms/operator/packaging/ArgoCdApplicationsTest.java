package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** deploy/argocd/: the two example Applications. */
class ArgoCdApplicationsTest {

  private static final ObjectNode OPERATOR =
      Yaml.document(Repo.ARGOCD.resolve("atoms-operator-application.yaml"));
  private static final ObjectNode RELEASES =
      Yaml.document(Repo.ARGOCD.resolve("agentreleases-application.yaml"));

  @Test
  void applicationsAreValidArgoCdApplications() {
    assertThat(ManifestValidator.problems(List.of(OPERATOR, RELEASES))).isEmpty();
  }

  @Test
  void operatorApplicationValuesPassTheChartSchemaAndRender() throws Exception {
    JsonNode values = OPERATOR.at("/spec/source/helm/valuesObject");
    var schema = JsonSchemas.draft7(Yaml.tree(Repo.read(Repo.CHART.resolve("values.schema.json"))));
    assertThat(JsonSchemas.problems(schema, values)).isEmpty();

    Path file = Files.createTempFile("argocd-values", ".yaml");
    try {
      Files.writeString(file, Yaml.MAPPER.writeValueAsString(values));
      List<ObjectNode> objects = HelmChart.template(List.of(file), Map.of());
      assertThat(ManifestValidator.problems(objects)).isEmpty();
      assertThat(K8s.one(objects, "Deployment")).isNotNull();
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void operatorSyncsBeforeTheAgentReleases() {
    int operatorWave =
        OPERATOR.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asInt();
    int releasesWave =
        RELEASES.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asInt();

    assertThat(operatorWave).isLessThan(releasesWave);
    assertThat(K8s.strings(OPERATOR.at("/spec/syncPolicy/syncOptions")))
        .contains("CreateNamespace=true", "ServerSideApply=true");
    assertThat(OPERATOR.at("/spec/source/helm/skipCrds").asBoolean(false))
        .as("the Application must install the CRD")
        .isFalse();
    assertThat(
            OPERATOR
                .at("/spec/syncPolicy/managedNamespaceMetadata/labels")
                .path("pod-security.kubernetes.io/enforce")
                .asText())
        .isEqualTo("restricted");
  }

  @Test
  void agentReleasesSyncWithoutPerpetualDiffsOrAMissingCrdFailure() {
    assertThat(K8s.strings(RELEASES.at("/spec/syncPolicy/syncOptions")))
        .contains("SkipDryRunOnMissingResource=true", "RespectIgnoreDifferences=true");
    assertThat(RELEASES.at("/spec/syncPolicy/retry/limit").asInt()).isPositive();
    assertThat(RELEASES.at("/spec/ignoreDifferences"))
        .singleElement()
        .satisfies(
            ignore -> {
              assertThat(ignore.path("group").asText()).isEqualTo("atoms.smallest.ai");
              assertThat(ignore.path("kind").asText()).isEqualTo("AgentRelease");
              assertThat(K8s.strings(ignore.path("jsonPointers"))).containsExactly("/status");
            });
  }
}
