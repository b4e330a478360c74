package ai.smallest.atoms.apiserver;

import ai.smallest.atoms.apiserver.ResourceType.PrinterColumn;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns kube-apiserver's printers give the built-in kinds served here ({@code kubectl get
 * secrets}).
 */
final class BuiltInTables {

  private static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.";
  private static final String AGE_DESCRIPTION =
      "CreationTimestamp is a timestamp representing the server time when this object was created.";

  private BuiltInTables() {}

  static List<PrinterColumn> columns(String kind) {
    List<PrinterColumn> columns = new ArrayList<>();
    columns.add(column("Name", "string", "name", NAME_DESCRIPTION, 0));
    switch (kind) {
      case "Namespace" -> {
        columns.add(column("Status", "string", "", "The status of the namespace", 0));
        columns.add(column("Age", "string", "", AGE_DESCRIPTION, 0));
      }
      case "Secret" -> {
        columns.add(column("Type", "string", "", "The type of the secret", 0));
        columns.add(column("Data", "string", "", "The number of keys in the secret", 0));
        columns.add(column("Age", "string", "", AGE_DESCRIPTION, 0));
      }
      case "ConfigMap" -> {
        columns.add(column("Data", "string", "", "The number of keys in the config map", 0));
        columns.add(column("Age", "string", "", AGE_DESCRIPTION, 0));
      }
      case "Event" -> {
        columns.clear();
        columns.add(column("Last Seen", "string", "", "The time since the event was last seen", 0));
        columns.add(column("Type", "string", "", "The type of the event", 0));
        columns.add(column("Reason", "string", "", "The reason of the event", 0));
        columns.add(column("Object", "string", "", "The object the event is about", 0));
        columns.add(column("Subobject", "string", "", "The subobject the event is about", 1));
        columns.add(column("Source", "string", "", "The component reporting the event", 1));
        columns.add(
            column("Message", "string", "", "A human-readable description of the event", 0));
        columns.add(
            column("First Seen", "string", "", "The time since the event was first seen", 1));
        columns.add(column("Count", "string", "", "How many times the event occurred", 1));
        columns.add(column("Name", "string", "name", NAME_DESCRIPTION, 1));
      }
      case "Lease" -> {
        columns.add(column("Holder", "string", "", "The holder of the lease", 0));
        columns.add(column("Age", "string", "", AGE_DESCRIPTION, 0));
      }
      case "CustomResourceDefinition" ->
          columns.add(column("Created At", "date", "", AGE_DESCRIPTION, 0));
      default -> columns.add(column("Age", "string", "", AGE_DESCRIPTION, 0));
    }
    return List.copyOf(columns);
  }

  static List<Object> cells(String kind, JsonNode object, Instant now) {
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText();
    String age = since(metadata.path("creationTimestamp").asText(""), now);
    return switch (kind) {
      case "Namespace" -> List.of(name, object.path("status").path("phase").asText(""), age);
      case "Secret" ->
          List.of(
              name, object.path("type").asText("Opaque"), (long) object.path("data").size(), age);
      case "ConfigMap" ->
          List.of(
              name, (long) (object.path("data").size() + object.path("binaryData").size()), age);
      case "Event" -> eventCells(object, now);
      case "Lease" -> List.of(name, object.path("spec").path("holderIdentity").asText(""), age);
      case "CustomResourceDefinition" ->
          List.of(name, metadata.path("creationTimestamp").asText(""));
      default -> List.of(name, age);
    };
  }

  private static List<Object> eventCells(JsonNode event, Instant now) {
    JsonNode involved = event.path("involvedObject");
    String last = event.path("lastTimestamp").asText(event.path("eventTime").asText(""));
    String first = event.path("firstTimestamp").asText(event.path("eventTime").asText(""));
    String source =
        event.path("source").path("component").asText(event.path("reportingComponent").asText(""));
    String host = event.path("source").path("host").asText("");
    List<Object> cells = new ArrayList<>();
    cells.add(since(last, now));
    cells.add(event.path("type").asText(""));
    cells.add(event.path("reason").asText(""));
    cells.add(
        involved.path("kind").asText("").toLowerCase() + "/" + involved.path("name").asText(""));
    cells.add(involved.path("fieldPath").asText(""));
    cells.add(host.isEmpty() ? source : source + ", " + host);
    cells.add(event.path("message").asText("").trim());
    cells.add(since(first, now));
    cells.add(event.path("count").asLong(1));
    cells.add(event.path("metadata").path("name").asText());
    return cells;
  }

  /** {@code translateTimestampSince}: "&lt;unknown&gt;" for a missing time. */
  static String since(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return HumanDuration.format(java.time.Duration.between(Instant.parse(timestamp), now));
    } catch (java.time.format.DateTimeParseException e) {
      return "<invalid>";
    }
  }

  private static PrinterColumn column(
      String name, String type, String format, String description, int priority) {
    return new PrinterColumn(name, type, format, description, priority, null);
  }
}
