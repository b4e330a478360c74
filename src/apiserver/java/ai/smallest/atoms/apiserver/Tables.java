package ai.smallest.atoms.apiserver;

import ai.smallest.atoms.apiserver.ResourceType.PrinterColumn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Server-side printing ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}), which is how
 * {@code kubectl get} shows a CRD's additionalPrinterColumns: the server evaluates each column's
 * JSONPath and formats {@code date} columns as ages, exactly like apiextensions-apiserver.
 */
final class Tables {

  /** What each row carries besides its cells ({@code includeObject}). */
  enum IncludeObject {
    NONE,
    METADATA,
    OBJECT
  }

  private static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.";

  private final Clock clock;

  Tables(Clock clock) {
    this.clock = clock;
  }

  ObjectNode table(
      ResourceType type,
      List<ObjectNode> objects,
      String resourceVersion,
      boolean withHeaders,
      IncludeObject include) {
    ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    List<PrinterColumn> columns = columns(type);
    if (withHeaders) {
      ArrayNode definitions = table.putArray("columnDefinitions");
      for (PrinterColumn column : columns) {
        definitions
            .addObject()
            .put("name", column.name())
            .put("type", column.type())
            .put("format", column.format())
            .put("description", column.description())
            .put("priority", column.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    Instant now = clock.instant();
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : cells(type, columns, object, now)) {
        cells.add(Json.MAPPER.valueToTree(cell));
      }
      switch (include) {
        case OBJECT -> row.set("object", object);
        case METADATA -> row.set("object", partialMetadata(object));
        case NONE -> {}
      }
    }
    return table;
  }

  static ObjectNode partialMetadata(ObjectNode object) {
    ObjectNode partial =
        Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return partial;
  }

  private List<PrinterColumn> columns(ResourceType type) {
    if (!type.isCustom()) {
      return type.printerColumns();
    }
    List<PrinterColumn> columns = new java.util.ArrayList<>();
    columns.add(new PrinterColumn("Name", "string", "name", NAME_DESCRIPTION, 0, ".metadata.name"));
    if (type.printerColumns().isEmpty()) {
      // A CRD without printer columns gets Age, as apiextensions-apiserver adds it.
      columns.add(new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
    } else {
      columns.addAll(
          type.printerColumns().stream()
              .map(
                  c ->
                      new PrinterColumn(
                          c.name(),
                          c.type(),
                          c.format(),
                          c.description().isEmpty()
                              ? "Custom resource definition column (in JSONPath format): "
                                  + c.jsonPath()
                              : c.description(),
                          c.priority(),
                          c.jsonPath()))
              .toList());
    }
    return columns;
  }

  private static List<Object> cells(
      ResourceType type, List<PrinterColumn> columns, ObjectNode object, Instant now) {
    if (!type.isCustom()) {
      return BuiltInTables.cells(type.kind(), object, now);
    }
    List<Object> cells = new java.util.ArrayList<>();
    for (PrinterColumn column : columns) {
      List<JsonNode> results;
      try {
        results = SimpleJsonPath.parse(column.jsonPath()).find(object);
      } catch (IllegalArgumentException e) {
        results = List.of();
      }
      cells.add(results.isEmpty() ? null : cell(column.type(), results.get(0), now));
    }
    return cells;
  }

  /**
   * apiextensions-apiserver's {@code cellForJSONValue}: wrong-typed values print as &lt;none&gt;
   * (null).
   */
  private static Object cell(String type, JsonNode value, Instant now) {
    return switch (type) {
      case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
      case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
      case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
      case "date" -> value.isTextual() ? BuiltInTables.since(value.asText(), now) : null;
      default ->
          value.isTextual()
              ? value.asText()
              : value.isValueNode() ? value.asText() : Json.write(value);
    };
  }
}
