package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;

/** JSON Schema validation (networknt), with Jackson 2 trees passed as JSON text. */
final class JsonSchemas {

  private JsonSchemas() {}

  static Schema draft4(JsonNode schema) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
        .getSchema(schema.toString(), InputFormat.JSON);
  }

  static Schema draft7(JsonNode schema) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(schema.toString(), InputFormat.JSON);
  }

  /** "path: message" for every violation; empty when valid. */
  static List<String> problems(Schema schema, JsonNode instance) {
    return schema.validate(instance.toString(), InputFormat.JSON).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }

  /**
   * A CRD's openAPIV3Schema made strict the way the API server's field validation is: an object
   * with declared properties accepts no other field, unless it preserves unknown fields. The
   * metadata is left to {@link ManifestValidator}, which checks it against ObjectMeta.
   */
  static Schema strictCrdSchema(JsonNode crd, String version) {
    for (JsonNode v : crd.at("/spec/versions")) {
      if (version.equals(v.path("name").asText())) {
        ObjectNode schema = v.at("/schema/openAPIV3Schema").deepCopy();
        close(schema);
        ObjectNode properties = (ObjectNode) schema.path("properties");
        // The API server always accepts these, whether or not the schema lists them.
        properties.set("apiVersion", Yaml.JSON.createObjectNode().put("type", "string"));
        properties.set("kind", Yaml.JSON.createObjectNode().put("type", "string"));
        properties.set("metadata", Yaml.JSON.createObjectNode().put("type", "object"));
        return draft4(schema);
      }
    }
    throw new IllegalArgumentException("CRD has no version " + version);
  }

  private static void close(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        object.put("additionalProperties", false);
      }
      // Kubernetes extensions are not JSON Schema keywords (CEL rules are tested in
      // CrdCelRulesTest).
      object.properties().removeIf(field -> field.getKey().startsWith("x-kubernetes-"));
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        close(field.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(JsonSchemas::close);
    }
  }
}
