package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The part of kustomize that this repository's kustomizations use, so that `kubectl apply -k` is
 * tested without kubectl: {@code resources} (files and directories with a kustomization) and {@code
 * patches} given inline, either RFC 6902 JSON patches with a target or a strategic-merge {@code
 * $patch: delete}. Anything else fails loudly instead of being ignored; {@code KustomizeParityTest}
 * compares the result with the real {@code kubectl kustomize} where kubectl is installed.
 */
final class KustomizeLite {

  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches");

  private KustomizeLite() {}

  static List<ObjectNode> build(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + " has no kustomization.yaml");
    }
    ObjectNode kustomization = Yaml.document(file);
    for (Iterator<String> it = kustomization.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!SUPPORTED.contains(field)) {
        throw new UnsupportedOperationException(
            file + ": KustomizeLite does not implement '" + field + "'");
      }
    }
    List<ObjectNode> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path path = dir.resolve(resource.asText()).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(build(path));
      } else if (Files.isRegularFile(path)) {
        objects.addAll(Yaml.documents(path));
      } else {
        throw new IllegalArgumentException(
            file + ": resource " + resource.asText() + " does not exist");
      }
    }
    patch(file.toString(), kustomization.path("patches"), objects);
    return objects;
  }

  /**
   * Applies kustomize {@code patches} entries, as kustomize does and as a Flux Kustomization's
   * {@code spec.patches} does in the cluster.
   */
  static void patch(String file, JsonNode patches, List<ObjectNode> objects) {
    for (JsonNode patch : patches) {
      apply(file, patch, objects);
    }
  }

  private static void apply(String file, JsonNode entry, List<ObjectNode> objects) {
    if (!entry.has("patch")) {
      throw new UnsupportedOperationException(file + ": only inline patches are implemented");
    }
    JsonNode patch = Yaml.tree(entry.get("patch").asText());
    if (patch.isArray()) {
      JsonNode target = entry.path("target");
      List<ObjectNode> matches = objects.stream().filter(o -> matches(target, o)).toList();
      if (target.isMissingNode() || matches.isEmpty()) {
        throw new IllegalArgumentException(
            file + ": JSON patch target " + target + " matches nothing");
      }
      for (ObjectNode match : matches) {
        objects.set(objects.indexOf(match), (ObjectNode) JsonPatch.apply(patch, match));
      }
    } else if ("delete".equals(patch.path("$patch").asText())) {
      boolean removed =
          objects.removeIf(
              o ->
                  K8s.kind(o).equals(K8s.kind(patch))
                      && K8s.name(o).equals(K8s.name(patch))
                      && K8s.namespace(o).equals(K8s.namespace(patch)));
      if (!removed) {
        throw new IllegalArgumentException(
            file + ": $patch: delete matches nothing: " + K8s.id(patch));
      }
    } else {
      throw new UnsupportedOperationException(
          file + ": only JSON patches and $patch: delete are implemented");
    }
  }

  private static boolean matches(JsonNode target, JsonNode o) {
    String apiVersion = o.path("apiVersion").asText();
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return field(target, "group", K8s.group(o))
        && field(target, "version", version)
        && field(target, "kind", K8s.kind(o))
        && field(target, "name", K8s.name(o))
        && field(target, "namespace", K8s.namespace(o));
  }

  private static boolean field(JsonNode target, String field, String actual) {
    return !target.has(field) || target.get(field).asText().equals(actual);
  }
}
