package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.SimVersion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox's demo account has what the issue asks for, and examples/ match it. */
class DemoAgentsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static AtomsSimulator simulator;

  @BeforeAll
  static void seed() {
    simulator = AtomsSimulator.start(0, Clock.systemUTC());
    DemoAgents.seed(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void agentsHavePublishedActivePinnedDraftArchivedAndOver100Versions() {
    assertThat(simulator.activeVersion("agent-support").map(SimVersion::versionNumber)).contains(5);
    assertThat(simulator.versions("agent-support"))
        .extracting(SimVersion::status)
        .contains(SimVersion.PUBLISHED, SimVersion.DRAFT, SimVersion.ARCHIVED);
    assertThat(simulator.versions("agent-support")).anyMatch(SimVersion::isPinned);
    assertThat(simulator.versions("agent-sales").stream().filter(SimVersion::isPublished).count())
        .isGreaterThan(100);
    assertThat(simulator.activeVersion("agent-onboarding").map(SimVersion::versionNumber))
        .contains(3);
  }

  @Test
  void theRestoreExampleActivatesAnotherVersionThanTheLiveOneSoDeletingItRestoresSomething()
      throws Exception {
    JsonNode example =
        YAML.readTree(Path.of("examples/agentrelease-restore-on-delete.yaml").toFile());
    String agent = example.at("/spec/agentId").asText();
    assertThat(example.at("/spec/deletionPolicy").asText()).isEqualTo("Restore");
    assertThat(simulator.activeVersion(agent).map(SimVersion::versionNumber))
        .isPresent()
        .get()
        .isNotEqualTo(example.at("/spec/versionNumber").asInt());
  }

  @Test
  void theActivationWindowsExampleNamesTheVersionAlreadyLiveSoItIsReadyAtAnyTime()
      throws Exception {
    JsonNode example =
        YAML.readTree(Path.of("examples/agentrelease-activation-windows.yaml").toFile());
    String agent = example.at("/spec/agentId").asText();
    assertThat(simulator.activeVersion(agent).map(SimVersion::versionNumber))
        .contains(example.at("/spec/versionNumber").asInt());
    assertThat(example.at("/spec/activationWindows")).isNotEmpty();
  }

  @Test
  void theVersionSelectorExampleSelectsAnotherVersionThanTheLiveOne() throws Exception {
    JsonNode example = YAML.readTree(Path.of("examples/agentrelease-latest-labeled.yaml").toFile());
    String agent = example.at("/spec/agentId").asText();
    String label = example.at("/spec/versionSelector/label").asText();
    assertThat(example.at("/spec/versionSelector/strategy").asText()).isEqualTo("LatestLabeled");
    int latestLabelled =
        simulator.versions(agent).stream()
            .filter(v -> v.isPublished() && label.equals(v.label()))
            .mapToInt(SimVersion::versionNumber)
            .max()
            .orElseThrow();
    assertThat(latestLabelled).isEqualTo(3);
    assertThat(simulator.activeVersion(agent).map(SimVersion::versionNumber))
        .isPresent()
        .get()
        .isNotEqualTo(latestLabelled);
  }

  @Test
  void theVersionIdExampleNamesAVersionOnTheSecondPageOfAgentSales() throws Exception {
    JsonNode example = YAML.readTree(Path.of("examples/agentrelease-by-version-id.yaml").toFile());
    String versionId = example.at("/spec/versionId").asText();
    SimVersion version = simulator.version("agent-sales", versionId);
    assertThat(version.versionNumber())
        .as("the list API pages by 100, newest first")
        .isLessThanOrEqualTo(20);
    assertThat(version.isPublished()).isTrue();
  }

  @Test
  void theExampleSecretHoldsTheSandboxKey() throws Exception {
    JsonNode secret = YAML.readTree(Path.of("examples/atoms-api-key-secret.yaml").toFile());
    assertThat(secret.at("/stringData/apiKey").asText()).isEqualTo(DemoAgents.API_KEY);
    JsonNode release = YAML.readTree(Path.of("examples/agentrelease-support.yaml").toFile());
    assertThat(release.at("/spec/apiKeySecretRef/name").asText())
        .isEqualTo(secret.at("/metadata/name").asText());
  }
}
