package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads (multi-document) YAML as Jackson trees. */
final class Yaml {

  static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private Yaml() {}

  /** Every non-empty document, in order. */
  static List<ObjectNode> documents(String text) {
    List<ObjectNode> docs = new ArrayList<>();
    try (var values = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      while (values.hasNextValue()) {
        JsonNode doc = values.nextValue();
        if (doc != null && doc.isObject() && !doc.isEmpty()) {
          docs.add((ObjectNode) doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static List<ObjectNode> documents(Path file) {
    return documents(Repo.read(file));
  }

  static ObjectNode document(Path file) {
    List<ObjectNode> docs = documents(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + " has " + docs.size() + " documents, expected one");
    }
    return docs.get(0);
  }

  static JsonNode tree(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
