package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI v3 schemas of built-in kinds, derived from the Fabric8 model classes: the same field
 * names and shapes the Kubernetes API has, without descriptions. They let the server reject unknown
 * fields of a Secret under {@code fieldValidation=Strict} and let {@code kubectl explain secret}
 * list fields. Recursive types become {@code $ref}s into {@code components.schemas}.
 */
final class ModelSchemas {

  static final String PREFIX = "#/components/schemas/";

  private final Map<String, ObjectNode> components = new TreeMap<>();

  /**
   * The {@code $ref} of {@code type}'s schema, deriving it (and what it references) on first use.
   */
  synchronized String ref(Class<?> type) {
    define(Json.MAPPER.constructType(type));
    return PREFIX + name(type);
  }

  synchronized JsonNode resolve(String ref) {
    return components.get(ref.startsWith(PREFIX) ? ref.substring(PREFIX.length()) : ref);
  }

  synchronized ObjectNode component(Class<?> type) {
    ref(type);
    return components.get(name(type));
  }

  /** Every derived schema, for an OpenAPI document's {@code components.schemas}. */
  synchronized Map<String, ObjectNode> all() {
    return new TreeMap<>(components);
  }

  static String name(Class<?> type) {
    return type.getName();
  }

  private void define(JavaType type) {
    String name = name(type.getRawClass());
    if (components.containsKey(name)) {
      return;
    }
    ObjectNode schema = Json.object().put("type", "object");
    components.put(name, schema);
    ObjectNode properties = schema.putObject("properties");
    BeanDescription bean = Json.MAPPER.getDeserializationConfig().introspect(type);
    for (BeanPropertyDefinition property : bean.findProperties()) {
      if (!property.couldDeserialize()
          || property.getPrimaryMember() == null
          || property.getPrimaryMember().hasAnnotation(JsonIgnore.class)) {
        continue;
      }
      properties.set(property.getName(), schemaOf(property.getPrimaryType()));
    }
  }

  private ObjectNode schemaOf(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class || raw.isEnum() || raw == Character.class) {
      return Json.object().put("type", "string");
    }
    if (raw == Integer.class
        || raw == int.class
        || raw == Long.class
        || raw == long.class
        || raw == Short.class) {
      return Json.object().put("type", "integer");
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
      return Json.object().put("type", "number");
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return Json.object().put("type", "boolean");
    }
    if (type.isArrayType() || Collection.class.isAssignableFrom(raw)) {
      if (raw == byte[].class) {
        return Json.object().put("type", "string").put("format", "byte");
      }
      ObjectNode array = Json.object().put("type", "array");
      array.set("items", schemaOf(type.getContentType()));
      return array;
    }
    if (Map.class.isAssignableFrom(raw)) {
      ObjectNode map = Json.object().put("type", "object");
      map.set("additionalProperties", schemaOf(type.getContentType()));
      return map;
    }
    if (hasCustomDeserializer(raw)) {
      // IntOrString, Quantity, MicroTime, JSONSchemaPropsOrBool...: JSON scalars or free-form
      // values.
      return Json.object().put("x-kubernetes-preserve-unknown-fields", true);
    }
    if (raw == Object.class
        || JsonNode.class.isAssignableFrom(raw)
        || raw.isInterface()
        || !raw.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    }
    define(type);
    return Json.object().put("$ref", PREFIX + name(raw));
  }

  private static boolean hasCustomDeserializer(Class<?> raw) {
    JsonDeserialize annotation = raw.getAnnotation(JsonDeserialize.class);
    return annotation != null && annotation.using() != JsonDeserializer.None.class;
  }
}
