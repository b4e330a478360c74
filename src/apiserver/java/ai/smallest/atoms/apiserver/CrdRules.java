package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of CustomResourceDefinition validation a user can trip over, and the status that makes
 * a CRD usable at once ({@code Established}, as after apiextensions-apiserver's controllers run).
 */
final class CrdRules {

  private CrdRules() {}

  static List<FieldError> validate(ObjectNode crd, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    if (group.isEmpty()) {
      errors.add(FieldError.required("spec.group", ""));
    } else if (!group.contains(".")) {
      errors.add(
          FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
    }
    if (plural.isEmpty()) {
      errors.add(FieldError.required("spec.names.plural", ""));
    }
    if (spec.path("names").path("kind").asText("").isEmpty()) {
      errors.add(FieldError.required("spec.names.kind", ""));
    }
    String name = Json.name(crd);
    if (name != null && !name.equals(plural + "." + group)) {
      errors.add(
          FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }
    String scope = spec.path("scope").asText("");
    if (!scope.equals("Namespaced") && !scope.equals("Cluster")) {
      errors.add(
          scope.isEmpty()
              ? FieldError.required("spec.scope", "")
              : FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
    }
    JsonNode versions = spec.path("versions");
    int storage = 0;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode version = versions.get(i);
      if (version.path("storage").asBoolean(false)) {
        storage++;
      }
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      String path = "spec.versions[" + i + "].schema.openAPIV3Schema";
      if (schema.isMissingNode()) {
        errors.add(FieldError.required(path, "schemas are required"));
      } else {
        checkRulesCompile(schema, path, errors);
      }
    }
    if (versions.isEmpty()) {
      errors.add(
          FieldError.required(
              "spec.versions", "must have exactly one version marked as storage version"));
    } else if (storage != 1) {
      errors.add(
          FieldError.invalid(
              "spec.versions", "", "must have exactly one version marked as storage version"));
    }
    if (old != null) {
      if (!old.path("spec").path("group").equals(spec.path("group"))) {
        errors.add(FieldError.invalid("spec.group", group, "field is immutable"));
      }
      if (!old.path("spec").path("scope").equals(spec.path("scope"))) {
        errors.add(FieldError.invalid("spec.scope", scope, "field is immutable"));
      }
    }
    return errors;
  }

  /**
   * A rule that does not compile would reject every object: refuse the CRD instead, as a real
   * server does.
   */
  private static void checkRulesCompile(JsonNode schema, String path, List<FieldError> errors) {
    JsonNode rules = schema.get("x-kubernetes-validations");
    if (rules != null) {
      for (int i = 0; i < rules.size(); i++) {
        String failure = CelRules.compileError(rules.get(i).path("rule").asText());
        if (failure != null) {
          errors.add(
              FieldError.invalid(
                  path + ".x-kubernetes-validations[" + i + "].rule",
                  rules.get(i).path("rule").asText(),
                  "compilation failed: " + failure));
        }
      }
    }
    for (Map.Entry<String, JsonNode> property : iterable(schema.path("properties"))) {
      checkRulesCompile(
          property.getValue(), path + ".properties[" + property.getKey() + "]", errors);
    }
    if (schema.has("items")) {
      checkRulesCompile(schema.get("items"), path + ".items", errors);
    }
    if (schema.get("additionalProperties") instanceof ObjectNode additional) {
      checkRulesCompile(additional, path + ".additionalProperties", errors);
    }
  }

  static void setStatus(ObjectNode crd, ObjectNode old, String now) {
    JsonNode previous = old == null ? null : old.get("status");
    ObjectNode status = crd.putObject("status");
    ObjectNode accepted = crd.path("spec").path("names").deepCopy();
    if (!accepted.has("singular")) {
      accepted.put("singular", accepted.path("kind").asText().toLowerCase());
    }
    if (!accepted.has("listKind")) {
      accepted.put("listKind", accepted.path("kind").asText() + "List");
    }
    status.set("acceptedNames", accepted);
    String since =
        previous != null
            ? previous.path("conditions").path(0).path("lastTransitionTime").asText(now)
            : now;
    ArrayNode conditions = status.putArray("conditions");
    conditions
        .addObject()
        .put("type", "NamesAccepted")
        .put("status", "True")
        .put("lastTransitionTime", since)
        .put("reason", "NoConflicts")
        .put("message", "no conflicts found");
    conditions
        .addObject()
        .put("type", "Established")
        .put("status", "True")
        .put("lastTransitionTime", since)
        .put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted");
    ArrayNode stored = status.putArray("storedVersions");
    if (previous != null) {
      previous.path("storedVersions").forEach(stored::add);
    }
    for (JsonNode version : crd.path("spec").path("versions")) {
      String name = version.path("name").asText();
      boolean known = false;
      for (JsonNode s : stored) {
        known |= s.asText().equals(name);
      }
      if (version.path("storage").asBoolean(false) && !known) {
        stored.add(name);
      }
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
