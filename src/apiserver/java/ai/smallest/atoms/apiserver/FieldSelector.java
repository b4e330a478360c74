package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code fieldSelector} query: {@code field=value}, {@code field==value}, {@code field!=value},
 * comma-separated. As on a real server, only {@code metadata.name}, {@code metadata.namespace} and
 * a few per-kind fields are selectable; anything else is a 400, so a query that would fail on a
 * cluster fails here too.
 */
public final class FieldSelector implements Predicate<JsonNode> {

  private static final Map<String, Set<String>> EXTRA_FIELDS =
      Map.of(
          "Event",
              Set.of(
                  "involvedObject.kind",
                  "involvedObject.namespace",
                  "involvedObject.name",
                  "involvedObject.uid",
                  "involvedObject.apiVersion",
                  "involvedObject.resourceVersion",
                  "involvedObject.fieldPath",
                  "reason",
                  "reportingComponent",
                  "source",
                  "type"),
          "Secret", Set.of("type"),
          "Namespace", Set.of("status.phase"));

  private final List<Predicate<JsonNode>> requirements;

  private FieldSelector(List<Predicate<JsonNode>> requirements) {
    this.requirements = requirements;
  }

  public static FieldSelector parse(String selector, ResourceType type) {
    List<Predicate<JsonNode>> requirements = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new FieldSelector(requirements);
    }
    for (String term : selector.split(",")) {
      boolean negate = term.contains("!=");
      String[] parts = term.split(negate ? "!=" : "==?", 2);
      if (parts.length != 2) {
        throw ApiException.badRequest(
            "invalid selector: '" + selector + "'; can't understand '" + term + "'");
      }
      String field = parts[0].trim();
      String value = parts[1].trim();
      if (!field.equals("metadata.name")
          && !field.equals("metadata.namespace")
          && !EXTRA_FIELDS.getOrDefault(type.kind(), Set.of()).contains(field)) {
        throw ApiException.badRequest("field label not supported: " + field);
      }
      requirements.add(o -> negate != value.equals(valueOf(o, field)));
    }
    return new FieldSelector(requirements);
  }

  @Override
  public boolean test(JsonNode object) {
    return requirements.stream().allMatch(r -> r.test(object));
  }

  private static String valueOf(JsonNode object, String field) {
    if (field.equals("source")) {
      // Events select on the source component under this name.
      return object.path("source").path("component").asText("");
    }
    JsonNode node = object;
    for (String part : field.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }
}
