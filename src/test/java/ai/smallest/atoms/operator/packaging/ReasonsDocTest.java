package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.Reason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reasons table of docs/reference.md is true: it lists every reason the Ready condition can
 * carry, and the Argo CD and Flux health it gives are what the shipped health check and
 * healthCheckExprs compute for a release in that state.
 */
class ReasonsDocTest {

  /** One row: reason, Ready status, the other condition set to True (or none), health columns. */
  record Row(String reason, String ready, String also, String argoCd, String flux) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static List<Row> rows() {
    String text = Repo.read(Repo.REFERENCE_DOCS);
    String table = InstallDocsTest.section(text, "## Reasons");
    List<Row> rows = new ArrayList<>();
    for (String line : table.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      List<String> cells =
          Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
              .map(String::strip)
              .toList();
      rows.add(
          new Row(
              cells.get(0).replace("`", ""),
              cells.get(1),
              cells.get(2),
              cells.get(cells.size() - 2),
              cells.get(cells.size() - 1)));
    }
    return rows;
  }

  @Test
  void everyReadyReasonIsDocumentedOnce() {
    assertThat(rows())
        .extracting(Row::reason)
        .containsExactlyInAnyOrderElementsOf(
            Reason.readyReasons().stream().map(Reason::value).toList());
  }

  static Stream<Row> reasons() {
    return rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reasons")
  void documentedHealthIsWhatArgoCdAndFluxCompute(Row row) {
    ObjectNode release = release(row);

    assertThat(
            new ArgoCdLua(Clock.systemUTC())
                .health(Repo.read(ArgoCdHealthCheckTest.SCRIPT), release)
                .status())
        .as("Argo CD health of %s", row.reason())
        .isEqualTo(row.argoCd());
    assertThat(new FluxHealthCheck(FluxHealthCheckTest.entry()).evaluate(release).status().name())
        .as("Flux status of %s", row.reason())
        .isEqualTo(row.flux());
  }

  private static ObjectNode release(Row row) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: atoms.smallest.ai/v1alpha1
            kind: AgentRelease
            metadata: {name: r, namespace: ns, generation: 2}
            spec: {agentId: agent-1, versionNumber: 3, suspend: %s}
            status:
              observedGeneration: 2
              conditions:
                - {type: Ready, status: "%s", reason: %s, message: m, observedGeneration: 2}
            """
                .formatted(row.reason().equals("Suspended"), row.ready(), row.reason()));
    if (!row.also().isEmpty()) {
      yaml.append(
          "    - {type: %s, status: \"True\", reason: %s, message: m, observedGeneration: 2}\n"
              .formatted(row.also(), row.reason()));
    }
    return Yaml.documents(yaml.toString()).get(0);
  }
}
