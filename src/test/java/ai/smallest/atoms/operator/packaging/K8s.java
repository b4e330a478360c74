package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Small accessors over Kubernetes objects held as Jackson trees. */
final class K8s {

  private K8s() {}

  static String kind(JsonNode o) {
    return o.path("kind").asText();
  }

  static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  static String namespace(JsonNode o) {
    return o.path("metadata").path("namespace").asText("");
  }

  /** The API group ("" for core) of an object's apiVersion. */
  static String group(JsonNode o) {
    String apiVersion = o.path("apiVersion").asText();
    return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
  }

  static String id(JsonNode o) {
    String ns = namespace(o);
    return kind(o) + " " + (ns.isEmpty() ? "" : ns + "/") + name(o);
  }

  static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(kind(o))).toList();
  }

  static ObjectNode one(List<ObjectNode> objects, String kind) {
    List<ObjectNode> found = ofKind(objects, kind);
    if (found.size() != 1) {
      throw new NoSuchElementException("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream().filter(o -> kind.equals(kind(o)) && name.equals(name(o))).findFirst();
  }

  static JsonNode podSpec(JsonNode deployment) {
    return deployment.at("/spec/template/spec");
  }

  static JsonNode container(JsonNode deployment) {
    JsonNode containers = podSpec(deployment).path("containers");
    if (containers.size() != 1) {
      throw new IllegalStateException("expected one container in " + id(deployment));
    }
    return containers.get(0);
  }

  /** The container's env as name -> literal value, or "<from:...>" for valueFrom entries. */
  static Map<String, String> env(JsonNode deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container(deployment).path("env")) {
      String value =
          e.has("valueFrom") ? "<from:" + e.get("valueFrom") + ">" : e.path("value").asText("");
      if (env.put(e.path("name").asText(), value) != null) {
        throw new IllegalStateException(
            "env " + e.path("name").asText() + " is set twice in " + id(deployment));
      }
    }
    return env;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
