package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the registry strategies of the built-in kinds do on write: Secret {@code stringData} folded
 * into base64 {@code data}, Namespaces born Active with the kubernetes finalizer, CRDs validated
 * and given an Established status. Custom resources need nothing here: their schema does it.
 */
final class KindRules {

  private KindRules() {}

  /** Decode-time checks that a real server fails with 400 before any validation. */
  static void checkDecodable(ResourceType type, JsonNode object) {
    if (type.kind().equals("Secret")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.path("data").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        try {
          Base64.getDecoder().decode(entry.getValue().asText());
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest(
              "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data["
                  + entry.getKey()
                  + "]");
        }
      }
    }
  }

  static void prepareForCreate(ResourceType type, ObjectNode object, String now) {
    switch (type.kind()) {
      case "Secret" -> foldStringData(object);
      case "Namespace" -> {
        ObjectNode spec = object.with("spec");
        if (!spec.has("finalizers")) {
          spec.putArray("finalizers").add("kubernetes");
        }
        object.putObject("status").put("phase", "Active");
      }
      case "CustomResourceDefinition" -> CrdRules.setStatus(object, null, now);
      default -> {}
    }
  }

  static void prepareForUpdate(ResourceType type, ObjectNode object, ObjectNode old, String now) {
    switch (type.kind()) {
      case "Secret" -> foldStringData(object);
      case "CustomResourceDefinition" -> CrdRules.setStatus(object, old, now);
      default -> {}
    }
  }

  static List<FieldError> validate(ResourceType type, ObjectNode object, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(MetadataRules.validate(type, object));
    if (type.kind().equals("CustomResourceDefinition")) {
      errors.addAll(CrdRules.validate(object, old));
    }
    if (type.kind().equals("Secret")
        && old != null
        && old.path("immutable").asBoolean(false)
        && !old.path("data").equals(object.path("data"))) {
      errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
    }
    return errors;
  }

  /**
   * {@code stringData} is write-only: merged into {@code data} and dropped, as the Secret strategy
   * does.
   */
  private static void foldStringData(ObjectNode secret) {
    JsonNode stringData = secret.remove("stringData");
    if (stringData != null && stringData.isObject()) {
      ObjectNode data = secret.with("data");
      stringData
          .fields()
          .forEachRemaining(
              e ->
                  data.put(
                      e.getKey(),
                      Base64.getEncoder()
                          .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }
    if (!secret.has("type")) {
      secret.put("type", "Opaque");
    }
  }
}
