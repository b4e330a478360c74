package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** JSON plumbing shared by the server: one mapper, and the few accessors every handler needs. */
public final class Json {

  /**
   * Integers parse as integral nodes and {@code 1.0} as a double: schemas and CEL tell them apart.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(
          "the body of the request could not be decoded as JSON: " + e.getMessage());
    }
  }

  public static JsonNode parseYaml(byte[] body) {
    try {
      return YAML.readTree(body);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(
          "the body of the request could not be decoded as YAML: " + e.getMessage());
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code metadata}, created when absent. */
  public static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode node) {
      return node;
    }
    return object.putObject("metadata");
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  public static String name(JsonNode object) {
    return text(object.get("metadata"), "name");
  }

  public static String namespace(JsonNode object) {
    return text(object.get("metadata"), "namespace");
  }

  public static String resourceVersion(JsonNode object) {
    return text(object.get("metadata"), "resourceVersion");
  }

  /** RFC 3339 with second precision, as {@code metav1.Time} serialises. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
