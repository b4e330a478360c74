package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code metadata.managedFields} as a kube-apiserver keeps them for non-apply writes: one {@code
 * Update} entry per field manager and subresource, listing in {@code fieldsV1} the fields that
 * manager set. A create gives its manager every field it sent; an update or patch gives its manager
 * the fields it changed and takes them away from the other managers; a manager left with no field
 * is dropped. Clients read them in every object they get, list and watch, which is why they are
 * here: the size of what an informer caches depends on them.
 *
 * <p>Simplified where nothing here depends on it: lists are associative when every item is an
 * object with a {@code type} (conditions), atomic otherwise, whatever the schema says; server-side
 * apply is not implemented, so there are no {@code Apply} entries; {@code time} is the time of the
 * manager's last change.
 */
final class ManagedFields {

  /** Metadata the server owns: never part of a manager's fields. */
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink",
          "generateName");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ManagedFields() {}

  /**
   * The field manager of a request: its {@code fieldManager} parameter, else the User-Agent up to
   * the first {@code /} (as kube-apiserver derives it), else "unknown".
   */
  static String manager(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isBlank()) {
      return fieldManager;
    }
    if (userAgent == null || userAgent.isBlank()) {
      return "unknown";
    }
    int slash = userAgent.indexOf('/');
    String prefix = slash < 0 ? userAgent : userAgent.substring(0, slash);
    return prefix.length() > 128 ? prefix.substring(0, 128) : prefix;
  }

  /** Sets the managed fields of a new object: its creator owns everything it sent. */
  static void created(ObjectNode object, String manager, String apiVersion, String now) {
    Set<String> fields = paths(object, null);
    ArrayNode entries = NODES.arrayNode();
    if (!fields.isEmpty()) {
      entries.add(entry(manager, apiVersion, now, null, fields));
    }
    set(object, entries);
  }

  /**
   * Updates the managed fields of {@code next} after a write by {@code manager} that turned {@code
   * before} into {@code next}; {@code subresource} is "status" for status writes, else null. The
   * entries so far are {@code stored}'s ({@code before} may be a pruned view of it).
   */
  static void written(
      ObjectNode stored,
      ObjectNode before,
      ObjectNode next,
      String manager,
      String subresource,
      String apiVersion,
      String now) {
    Set<String> old = paths(before, null);
    Set<String> current = paths(next, null);
    Set<String> changed = new TreeSet<>();
    for (String path : current) {
      if (!old.contains(path) || !same(before, next, path)) {
        changed.add(path);
      }
    }
    Set<String> removed = new TreeSet<>(old);
    removed.removeAll(current);

    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    Map<String, Set<String>> owned = new LinkedHashMap<>();
    for (JsonNode entry : Json.metadata(stored).path("managedFields")) {
      if (entry.isObject()) {
        String key = key(entry.path("manager").asText(), text(entry, "subresource"));
        entries.put(key, (ObjectNode) entry.deepCopy());
        owned.put(key, paths(entry.path("fieldsV1"), ""));
      }
    }
    String mine = key(manager, subresource);
    for (Map.Entry<String, Set<String>> entry : owned.entrySet()) {
      if (!entry.getKey().equals(mine)) {
        entry.getValue().removeAll(changed);
      }
      entry.getValue().removeAll(removed);
    }
    if (!changed.isEmpty()) {
      owned.computeIfAbsent(mine, k -> new TreeSet<>()).addAll(changed);
    }
    ArrayNode result = NODES.arrayNode();
    for (Map.Entry<String, Set<String>> entry : owned.entrySet()) {
      if (entry.getValue().isEmpty()) {
        continue;
      }
      boolean isMine = entry.getKey().equals(mine);
      ObjectNode previous = entries.get(entry.getKey());
      String time = isMine || previous == null ? now : text(previous, "time");
      result.add(
          entry(
              isMine ? manager : previous.path("manager").asText(),
              apiVersion,
              time,
              isMine ? subresource : text(previous, "subresource"),
              entry.getValue()));
    }
    set(next, result);
  }

  private static void set(ObjectNode object, ArrayNode entries) {
    if (entries.isEmpty()) {
      Json.metadata(object).remove("managedFields");
    } else {
      Json.metadata(object).set("managedFields", entries);
    }
  }

  private static ObjectNode entry(
      String manager, String apiVersion, String time, String subresource, Set<String> fields) {
    ObjectNode entry = NODES.objectNode();
    entry.put("manager", manager);
    entry.put("operation", "Update");
    entry.put("apiVersion", apiVersion);
    entry.put("time", time);
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", tree(fields));
    if (subresource != null) {
      entry.put("subresource", subresource);
    }
    return entry;
  }

  private static String key(String manager, String subresource) {
    return manager + "\u0000" + (subresource == null ? "" : subresource);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /**
   * The field paths of an object, each a {@code /}-separated list of fieldsV1 keys ({@code
   * f:spec/f:agentId}, {@code f:status/f:conditions/k:{"type":"Ready"}/f:reason}); an object or
   * list item that is itself set also gets its {@code .} path. With {@code prefix} null, {@code
   * node} is an object and server-owned metadata is left out; with a prefix, {@code node} is a
   * fieldsV1 tree whose paths are read back.
   */
  private static Set<String> paths(JsonNode node, String prefix) {
    Set<String> paths = new TreeSet<>();
    if (prefix != null) {
      readTree(node, prefix, paths);
      return paths;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("apiVersion") || name.equals("kind")) {
        continue;
      }
      if (name.equals("metadata")) {
        for (Iterator<Map.Entry<String, JsonNode>> m = field.getValue().fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> meta = m.next();
          if (!SERVER_METADATA.contains(meta.getKey())) {
            collect(meta.getValue(), "f:metadata/f:" + meta.getKey(), paths);
          }
        }
        continue;
      }
      collect(field.getValue(), "f:" + name, paths);
    }
    return paths;
  }

  private static void collect(JsonNode value, String path, Set<String> paths) {
    if (value.isObject()) {
      paths.add(path + "/.");
      value.fields().forEachRemaining(f -> collect(f.getValue(), path + "/f:" + f.getKey(), paths));
    } else if (value.isArray() && associative(value)) {
      paths.add(path + "/.");
      for (JsonNode item : value) {
        String itemPath = path + "/k:{\"type\":" + item.get("type") + "}";
        paths.add(itemPath + "/.");
        item.fields()
            .forEachRemaining(f -> collect(f.getValue(), itemPath + "/f:" + f.getKey(), paths));
      }
    } else {
      paths.add(path);
    }
  }

  private static boolean associative(JsonNode array) {
    if (array.isEmpty()) {
      return false;
    }
    for (JsonNode item : array) {
      if (!item.isObject() || !item.path("type").isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static void readTree(JsonNode tree, String prefix, Set<String> paths) {
    tree.fields()
        .forEachRemaining(
            f -> {
              String path = prefix.isEmpty() ? f.getKey() : prefix + "/" + f.getKey();
              if (f.getKey().equals(".") || f.getValue().isEmpty()) {
                paths.add(path);
              } else {
                readTree(f.getValue(), path, paths);
              }
            });
  }

  /** fieldsV1 JSON from paths. */
  private static ObjectNode tree(Set<String> paths) {
    ObjectNode root = NODES.objectNode();
    for (String path : paths) {
      ObjectNode node = root;
      for (String key : splitPath(path)) {
        JsonNode child = node.get(key);
        if (child == null) {
          child = NODES.objectNode();
          node.set(key, child);
        }
        node = (ObjectNode) child;
      }
    }
    return root;
  }

  /** Splits on the {@code /} between keys, not on one inside a {@code k:{...}} key. */
  private static List<String> splitPath(String path) {
    List<String> keys = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '"' && (i == 0 || path.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '{') {
        depth++;
      } else if (!quoted && c == '}') {
        depth--;
      } else if (!quoted && depth == 0 && c == '/') {
        keys.add(path.substring(start, i));
        start = i + 1;
      }
    }
    keys.add(path.substring(start));
    return keys;
  }

  /** Whether the value at a field path is the same in both objects. */
  private static boolean same(ObjectNode before, ObjectNode after, String path) {
    return valueAt(before, path).equals(valueAt(after, path));
  }

  private static JsonNode valueAt(JsonNode object, String path) {
    JsonNode node = object;
    for (String key : splitPath(path)) {
      if (key.equals(".")) {
        // The container's own presence: compare only that it exists, its fields are paths too.
        return node.isMissingNode() ? node : NODES.booleanNode(true);
      }
      if (key.startsWith("f:")) {
        node = node.path(key.substring(2));
      } else if (key.startsWith("k:")) {
        JsonNode wanted = Json.parse(key.substring(2).getBytes()).path("type");
        JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        for (JsonNode item : node) {
          if (item.path("type").equals(wanted)) {
            found = item;
            break;
          }
        }
        node = found;
      }
    }
    return node;
  }
}
