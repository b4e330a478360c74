package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The three patch formats of the Kubernetes API, applied to a copy of the stored object. */
public final class Patches {

  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  private Patches() {}

  public static ObjectNode apply(
      String contentType, ObjectNode current, byte[] body, ResourceType type) {
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
    JsonNode patch = Json.parse(body);
    JsonNode result =
        switch (mediaType) {
          case JSON_PATCH -> jsonPatch(current, patch);
          case MERGE_PATCH -> mergePatch(current, requireObject(patch));
          case STRATEGIC_MERGE_PATCH -> {
            if (!type.strategicMergePatch()) {
              // What apiextensions-apiserver answers: custom resources have no patch strategies to
              // merge by.
              throw unsupported(mediaType, type);
            }
            yield strategicMergePatch(current, requireObject(patch));
          }
          default -> throw unsupported(mediaType, type);
        };
    if (!(result instanceof ObjectNode object)) {
      throw ApiException.badRequest("the patch did not produce an object");
    }
    return object;
  }

  private static ApiException unsupported(String mediaType, ResourceType type) {
    String accepted =
        type.strategicMergePatch()
            ? JSON_PATCH + ", " + MERGE_PATCH + ", " + STRATEGIC_MERGE_PATCH
            : JSON_PATCH + ", " + MERGE_PATCH;
    return ApiException.unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
            + accepted);
  }

  private static JsonNode requireObject(JsonNode patch) {
    if (!patch.isObject()) {
      throw ApiException.badRequest("the patch must be a JSON object");
    }
    return patch;
  }

  /** RFC 6902. A failed {@code test} or a bad path is a 422, as on a real server. */
  static JsonNode jsonPatch(JsonNode current, JsonNode patch) {
    if (!patch.isArray()) {
      throw ApiException.badRequest(
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    try {
      return JsonPatch.apply(patch, current);
    } catch (JsonPatchException | IllegalArgumentException e) {
      throw ApiException.unprocessable(
          "the server rejected our request due to an error in our request: " + e.getMessage());
    }
  }

  /**
   * RFC 7386: objects merge recursively, {@code null} deletes, anything else (arrays too) replaces.
   */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  /**
   * Strategic merge patch for the built-in kinds served here (Secret, ConfigMap, Namespace, Event,
   * Lease): their fields are maps and scalars, so it is a merge patch plus the directives kubectl
   * puts in its patches. Lists are replaced; merging lists by key (ownerReferences by uid) is a
   * documented gap.
   */
  static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    String directive = patch.path("$patch").asText("");
    if (directive.equals("delete")) {
      return null;
    }
    ObjectNode result =
        target != null && target.isObject() && !directive.equals("replace")
            ? ((ObjectNode) target).deepCopy()
            : Json.object();
    List<String> retainKeys = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (key.equals("$retainKeys")) {
        retainKeys = new ArrayList<>();
        for (JsonNode k : field.getValue()) {
          retainKeys.add(k.asText());
        }
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String list = key.substring("$deleteFromPrimitiveList/".length());
        if (result.get(list) instanceof ArrayNode array) {
          List<JsonNode> remove = new ArrayList<>();
          field.getValue().forEach(remove::add);
          ArrayNode kept = array.arrayNode();
          array.forEach(
              e -> {
                if (!remove.contains(e)) {
                  kept.add(e);
                }
              });
          result.set(list, kept);
        }
        continue;
      }
      if (key.startsWith("$")) {
        // $setElementOrder and other ordering hints: order of replaced lists is already the
        // patch's.
        continue;
      }
      if (field.getValue().isNull()) {
        result.remove(key);
        continue;
      }
      JsonNode merged = strategicMergePatch(result.get(key), field.getValue());
      if (merged == null) {
        result.remove(key);
      } else {
        result.set(key, merged);
      }
    }
    if (retainKeys != null) {
      result.retain(retainKeys);
    }
    return result;
  }
}
