package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An OpenAPI v3 schema applied the way the API server applies a CRD's structural schema: prune
 * unknown fields (reporting them for {@code fieldValidation}), apply {@code default}s, then
 * validate types, bounds, patterns, enums, required fields and CEL rules, with kube-openapi's
 * messages; then {@code x-kubernetes-list-type} {@code map} and {@code set} uniqueness, as
 * apiextensions' structural list-type validation reports it. Of the string formats only {@code
 * date-time} is checked (kube-openapi's strfmt rule); others are accepted, as unknown formats are.
 * Built-in kinds use only pruning, with schemas derived from the Fabric8 model (see {@link
 * ModelSchemas}).
 *
 * <p>Updates are ratcheted as by Kubernetes 1.30+ (CRDValidationRatcheting, on by default): a value
 * equal to the stored one at the same path is not checked again against value constraints (bounds,
 * lengths, patterns, enums, CEL rules without {@code oldSelf}), so that an object stored under a
 * laxer schema can still be written, e.g. its status. Type, nullability and required fields are
 * checked always, as there; list items are not correlated (atomic lists). List uniqueness is
 * ratcheted as there too: not checked when the stored object already breaks it anywhere.
 */
final class StructuralSchema {

  /** Fields every object has, whatever its schema says. */
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final JsonNode root;
  private final Function<String, JsonNode> refs;
  private final JsonNode objectMeta;

  /**
   * @param refs resolves {@code #/components/schemas/...} references (built-in schemas use them)
   * @param objectMeta the schema {@code metadata} is pruned against
   */
  StructuralSchema(JsonNode root, Function<String, JsonNode> refs, JsonNode objectMeta) {
    this.root = root;
    this.refs = refs;
    this.objectMeta = objectMeta;
  }

  // ---- pruning ----------------------------------------------------------------------------------

  /** Removes fields the schema does not declare; returns their paths ({@code spec.foo}). */
  List<String> prune(ObjectNode object) {
    List<String> unknown = new ArrayList<>();
    pruneObject(root, object, "", unknown, true);
    return unknown;
  }

  private void prune(JsonNode schema, JsonNode value, String path, List<String> unknown) {
    schema = resolve(schema);
    if (schema == null
        || value == null
        || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
            && !schema.has("properties")) {
      return;
    }
    if (value.isObject()) {
      pruneObject(schema, (ObjectNode) value, path, unknown, false);
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        prune(schema.get("items"), value.get(i), PathText.index(path, i), unknown);
      }
    }
  }

  private void pruneObject(
      JsonNode schema, ObjectNode object, String path, List<String> unknown, boolean isRoot) {
    schema = resolve(schema);
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      String childPath = PathText.child(path, name);
      if (isRoot && ROOT_FIELDS.contains(name)) {
        if (name.equals("metadata") && objectMeta != null && field.getValue().isObject()) {
          pruneObject(objectMeta, (ObjectNode) field.getValue(), childPath, unknown, false);
        }
        continue;
      }
      if (properties != null && properties.has(name)) {
        prune(properties.get(name), field.getValue(), childPath, unknown);
      } else if (additional != null && additional.isObject()) {
        prune(additional, field.getValue(), PathText.key(path, name), unknown);
      } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
        unknown.add(childPath);
        it.remove();
      }
    }
  }

  // ---- defaulting -------------------------------------------------------------------------------

  /**
   * Sets {@code default}s of absent fields and drops nulls the schema does not allow, like
   * structural defaulting.
   */
  void applyDefaults(ObjectNode object) {
    defaults(root, object);
  }

  private void defaults(JsonNode unresolved, JsonNode value) {
    JsonNode schema = resolve(unresolved);
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject() && schema.has("properties")) {
      ObjectNode object = (ObjectNode) value;
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode propertySchema = resolve(property.getValue());
        JsonNode current = object.get(property.getKey());
        boolean nullable = propertySchema.path("nullable").asBoolean(false);
        if (current != null && current.isNull() && !nullable) {
          object.remove(property.getKey());
          current = null;
        }
        if (current == null && propertySchema.has("default")) {
          object.set(property.getKey(), propertySchema.get("default").deepCopy());
        }
        defaults(propertySchema, object.get(property.getKey()));
      }
    } else if (value.isObject()
        && schema.get("additionalProperties") instanceof ObjectNode additional) {
      value.forEach(child -> defaults(additional, child));
    } else if (value.isArray() && schema.has("items")) {
      value.forEach(item -> defaults(schema.get("items"), item));
    }
  }

  // ---- validation -------------------------------------------------------------------------------

  /**
   * Schema and CEL errors for {@code object}; {@code old} is the stored object on update (for
   * transition rules).
   */
  List<FieldError> validate(ObjectNode object, ObjectNode old) {
    return validate(object, old, false);
  }

  /**
   * @param statusOnly a write to the status subresource: as the API server does, only {@code
   *     status} is checked against the schema (the rest was copied from the stored object), while
   *     CEL rules run on the whole object, ratcheted, so only root rules and rules on status can
   *     fail
   */
  List<FieldError> validate(ObjectNode object, ObjectNode old, boolean statusOnly) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode schema = resolve(root);
    JsonNode properties = schema.path("properties");
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (ROOT_FIELDS.contains(name) || !object.has(name) || statusOnly && !name.equals("status")) {
        continue;
      }
      validate(
          properties.get(name), object.get(name), old == null ? null : old.get(name), name, errors);
    }
    if (!statusOnly) {
      for (JsonNode required : schema.path("required")) {
        if (!object.has(required.asText())) {
          errors.add(FieldError.required(required.asText(), ""));
        }
      }
    }
    List<FieldError> duplicates = new ArrayList<>();
    listSetsAndMaps(schema, object, "", duplicates);
    if (!duplicates.isEmpty() && (old == null || !hasDuplicates(old))) {
      errors.addAll(duplicates);
    }
    errors.addAll(CelRules.check(schema, object, old, "", old != null && object.equals(old)));
    return errors;
  }

  private boolean hasDuplicates(ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    listSetsAndMaps(resolve(root), old, "", errors);
    return !errors.isEmpty();
  }

  /**
   * Uniqueness of {@code x-kubernetes-list-type: set} items and of the keys of {@code map} items,
   * reporting the first repeat of each, as apiextensions' listtype.ValidateListSetsAndMaps does.
   */
  private void listSetsAndMaps(
      JsonNode unresolved, JsonNode value, String path, List<FieldError> errors) {
    JsonNode schema = resolve(unresolved);
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      value
          .properties()
          .forEach(
              field -> {
                if (properties.has(field.getKey())) {
                  listSetsAndMaps(
                      properties.get(field.getKey()),
                      field.getValue(),
                      PathText.child(path, field.getKey()),
                      errors);
                } else if (additional != null && additional.isObject()) {
                  listSetsAndMaps(
                      additional, field.getValue(), PathText.key(path, field.getKey()), errors);
                }
              });
    } else if (value.isArray()) {
      String listType = schema.path("x-kubernetes-list-type").asText("");
      if (listType.equals("set")) {
        for (int i : firstRepeats(value::get, value.size())) {
          errors.add(FieldError.duplicate(PathText.index(path, i), value.get(i)));
        }
      } else if (listType.equals("map")) {
        List<String> keyFields = new ArrayList<>();
        schema.path("x-kubernetes-list-map-keys").forEach(k -> keyFields.add(k.asText()));
        List<ObjectNode> keys = new ArrayList<>();
        for (JsonNode item : value) {
          ObjectNode key = Json.object();
          keyFields.forEach(
              k -> {
                if (item.has(k)) {
                  key.set(k, item.get(k));
                }
              });
          keys.add(key);
        }
        for (int i : firstRepeats(keys::get, keys.size())) {
          errors.add(FieldError.duplicate(PathText.index(path, i), keys.get(i)));
        }
      }
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          listSetsAndMaps(schema.get("items"), value.get(i), PathText.index(path, i), errors);
        }
      }
    }
  }

  /** Indices of the second occurrence of each value that occurs more than once. */
  private static List<Integer> firstRepeats(IntFunction<JsonNode> item, int size) {
    Map<JsonNode, Integer> seen = new HashMap<>();
    List<Integer> repeats = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (seen.merge(item.apply(i), 1, Integer::sum) == 2) {
        repeats.add(i);
      }
    }
    return repeats;
  }

  private void validate(
      JsonNode schema, JsonNode value, JsonNode old, String path, List<FieldError> errors) {
    schema = resolve(schema);
    boolean unchanged = old != null && value.equals(old);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        String type = schema.path("type").asText("");
        errors.add(
            FieldError.typeInvalid(
                path, "null", path + " in body must be of type " + type + ": \"null\""));
      }
      return;
    }
    if (!typeMatches(schema, value)) {
      String actual = jsonType(value);
      errors.add(
          FieldError.typeInvalid(
              path,
              actual,
              path
                  + " in body must be of type "
                  + schema.path("type").asText()
                  + ": \""
                  + actual
                  + "\""));
      return;
    }
    if (value.isTextual()) {
      if (!unchanged) {
        validateString(schema, value.asText(), path, errors);
      }
    } else if (value.isNumber()) {
      if (!unchanged) {
        validateNumber(schema, value, path, errors);
      }
    } else if (value.isArray()) {
      validateArray(schema, (ArrayNode) value, old, unchanged, path, errors);
    } else if (value.isObject()) {
      validateObject(schema, (ObjectNode) value, old, unchanged, path, errors);
    }
    if (!unchanged) {
      validateEnum(schema, value, path, errors);
    }
    errors.addAll(
        CelRules.check(schema, value, old != null && !old.isNull() ? old : null, path, unchanged));
  }

  private static boolean typeMatches(JsonNode schema, JsonNode value) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return value.isTextual() || value.isIntegralNumber() || isIntegralDouble(value);
    }
    return switch (schema.path("type").asText("")) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || isIntegralDouble(value);
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  private static boolean isIntegralDouble(JsonNode value) {
    return value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble());
  }

  private static String jsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return "number";
  }

  private static void validateString(
      JsonNode schema, String value, String path, List<FieldError> errors) {
    int length = value.codePointCount(0, value.length());
    if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
      errors.add(FieldError.tooLong(path, schema.get("maxLength").asLong()));
    }
    if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
      errors.add(
          FieldError.invalid(
              path,
              value,
              path
                  + " in body should be at least "
                  + schema.get("minLength").asLong()
                  + " chars long"));
    }
    if (schema.path("format").asText("").equals("date-time") && !isDateTime(value)) {
      errors.add(
          FieldError.typeInvalid(
              path,
              value,
              path + " in body must be of type date-time: " + FieldError.quote(value)));
    }
    if (schema.has("pattern")) {
      String pattern = schema.get("pattern").asText();
      try {
        if (!Pattern.compile(pattern).matcher(value).find()) {
          errors.add(
              FieldError.invalid(path, value, path + " in body should match '" + pattern + "'"));
        }
      } catch (PatternSyntaxException e) {
        errors.add(FieldError.invalid(path, value, "invalid pattern " + pattern));
      }
    }
  }

  private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");

  /** kube-openapi's time of day: seconds, optional fraction, then Z or a numeric offset. */
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$");

  /**
   * kube-openapi's strfmt.IsDateTime: a valid calendar date, a "T" (either case), and a time of day
   * with a zone, e.g. 2024-05-01T10:00:00Z or 2024-05-01T10:00:00.5+02:00.
   */
  static boolean isDateTime(String value) {
    if (value.length() < 4) {
      return false;
    }
    String[] parts = value.toLowerCase(Locale.ROOT).split("t", -1);
    if (parts.length < 2 || !DATE.matcher(parts[0]).matches()) {
      return false;
    }
    try {
      LocalDate.parse(parts[0]);
    } catch (DateTimeParseException e) {
      return false;
    }
    Matcher time = TIME_OF_DAY.matcher(parts[1]);
    return time.matches()
        && time.group(1).compareTo("23") <= 0
        && time.group(2).compareTo("59") <= 0
        && time.group(3).compareTo("59") <= 0;
  }

  private static void validateNumber(
      JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    double number = value.asDouble();
    Object shown = value.isIntegralNumber() ? (Object) value.asLong() : (Object) value.asDouble();
    if (schema.has("minimum")) {
      double minimum = schema.get("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? number <= minimum : number < minimum) {
        errors.add(
            FieldError.invalid(
                path,
                shown,
                path
                    + " in body should be greater than "
                    + (exclusive ? "" : "or equal to ")
                    + FieldError.formatFloat(minimum)));
      }
    }
    if (schema.has("maximum")) {
      double maximum = schema.get("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? number >= maximum : number > maximum) {
        errors.add(
            FieldError.invalid(
                path,
                shown,
                path
                    + " in body should be less than "
                    + (exclusive ? "" : "or equal to ")
                    + FieldError.formatFloat(maximum)));
      }
    }
    if (schema.has("multipleOf")) {
      double factor = schema.get("multipleOf").asDouble();
      if (factor > 0 && Math.abs(number / factor - Math.rint(number / factor)) > 1e-9) {
        errors.add(
            FieldError.invalid(
                path,
                shown,
                path + " in body should be a multiple of " + FieldError.formatFloat(factor)));
      }
    }
  }

  private void validateArray(
      JsonNode schema,
      ArrayNode value,
      JsonNode old,
      boolean unchanged,
      String path,
      List<FieldError> errors) {
    if (!unchanged && schema.has("maxItems") && value.size() > schema.get("maxItems").asLong()) {
      errors.add(FieldError.tooMany(path, value.size(), schema.get("maxItems").asLong()));
    }
    if (!unchanged && schema.has("minItems") && value.size() < schema.get("minItems").asLong()) {
      errors.add(
          FieldError.invalid(
              path,
              (long) value.size(),
              path
                  + " in body should have at least "
                  + schema.get("minItems").asLong()
                  + " items"));
    }
    if (schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        // Old items correlate only for map lists; positional correlation would misfire transition
        // rules.
        validate(schema.get("items"), value.get(i), null, PathText.index(path, i), errors);
      }
    }
  }

  private void validateObject(
      JsonNode schema,
      ObjectNode value,
      JsonNode old,
      boolean unchanged,
      String path,
      List<FieldError> errors) {
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode oldValue = old == null ? null : old.get(field.getKey());
      if (properties.has(field.getKey())) {
        validate(
            properties.get(field.getKey()),
            field.getValue(),
            oldValue,
            PathText.child(path, field.getKey()),
            errors);
      } else if (schema.get("additionalProperties") instanceof ObjectNode additional) {
        validate(
            additional, field.getValue(), oldValue, PathText.key(path, field.getKey()), errors);
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        errors.add(FieldError.required(PathText.child(path, required.asText()), ""));
      }
    }
    if (!unchanged
        && schema.has("maxProperties")
        && value.size() > schema.get("maxProperties").asLong()) {
      errors.add(FieldError.tooMany(path, value.size(), schema.get("maxProperties").asLong()));
    }
  }

  private static void validateEnum(
      JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    JsonNode allowed = schema.get("enum");
    if (allowed == null || !allowed.isArray()) {
      return;
    }
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value)
          || candidate.isNumber() && value.isNumber() && candidate.asDouble() == value.asDouble()) {
        return;
      }
    }
    List<String> supported = new ArrayList<>();
    allowed.forEach(v -> supported.add(v.isTextual() ? v.asText() : v.toString()));
    Object shown =
        value.isTextual()
            ? value.asText()
            : value.isIntegralNumber() ? (Object) value.asLong() : value.toString();
    errors.add(FieldError.notSupported(path, shown, supported));
  }

  private JsonNode resolve(JsonNode schema) {
    int hops = 0;
    while (schema != null && schema.has("$ref") && hops++ < 16) {
      schema = refs.apply(schema.get("$ref").asText());
    }
    if (schema != null
        && schema.has("allOf")
        && schema.get("allOf").size() == 1
        && !schema.has("properties")) {
      return resolve(schema.get("allOf").get(0));
    }
    return schema;
  }
}
