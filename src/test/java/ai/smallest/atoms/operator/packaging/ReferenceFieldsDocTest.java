package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec and status tables of docs/reference.md list exactly the fields of the CRD users install,
 * at every depth ({@code apiKeySecretRef.name}, {@code history[].by}, {@code conditions[].type}): a
 * field added to the model must be documented, and a removed one must leave the docs.
 */
class ReferenceFieldsDocTest {

  /** Field paths under {@code schema}: nested objects joined by dots, array items marked []. */
  static List<String> fieldPaths(JsonNode schema, String prefix) {
    List<String> paths = new ArrayList<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String path = prefix + property.getKey();
      paths.add(path);
      JsonNode value = property.getValue();
      paths.addAll(fieldPaths(value, path + "."));
      if (value.has("items")) {
        paths.addAll(fieldPaths(value.get("items"), path + "[]."));
      }
    }
    return paths;
  }

  /** The first cell of each row of the section's table, without its backticks. */
  static List<String> documentedFields(String section) {
    return section
        .lines()
        .filter(line -> line.startsWith("| `"))
        .map(line -> line.substring(1, line.indexOf('|', 1)).strip())
        .map(cell -> cell.replace("`", ""))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spec", "status"})
  void theReferenceTableListsEveryFieldOfTheCrd(String part) throws IOException {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Repo.read(Repo.CRD_FILE));
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/" + part);
    List<String> inCrd = fieldPaths(schema, "");
    assertThat(inCrd).isNotEmpty();

    List<String> documented =
        documentedFields(InstallDocsTest.section(Repo.read(Repo.REFERENCE_DOCS), "## " + part));
    assertThat(documented)
        .as("rows of the '## %s' table of %s", part, Repo.REFERENCE_DOCS)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(inCrd);
  }
}
