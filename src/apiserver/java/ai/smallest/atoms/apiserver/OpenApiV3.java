package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI v3 documents kubectl reads: {@code /openapi/v3} (one entry per group version) and
 * {@code /openapi/v3/apis/<group>/<version>}. Their paths advertise the {@code fieldValidation}
 * parameter, so kubectl leaves unknown-field checks to the server (as with a real 1.27+ server);
 * their schemas carry {@code x-kubernetes-group-version-kind}, which {@code kubectl explain} uses.
 * Custom resources get their CRD's schema and descriptions; built-ins get field lists derived from
 * the Fabric8 model (no descriptions). Patch bodies list JSON and merge patch only: kubectl then
 * computes strategic merge patches for built-ins from its compiled-in types, and merge patches for
 * custom resources, as against a real server. OpenAPI v2 is not served (it is protobuf-only for
 * clients), which only {@code kubectl explain --output=plaintext-openapiv2} needs.
 */
final class OpenApiV3 {

  private static final String COMPONENTS = "#/components/schemas/";

  private final ResourceRegistry registry;

  OpenApiV3(ResourceRegistry registry) {
    this.registry = registry;
  }

  ObjectNode index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    for (Map.Entry<String, List<String>> group : registry.groupVersions().entrySet()) {
      for (String version : group.getValue()) {
        String path =
            group.getKey().isEmpty() ? "api/" + version : "apis/" + group.getKey() + "/" + version;
        paths
            .putObject(path)
            .put(
                "serverRelativeURL",
                "/openapi/v3/" + path + "?hash=" + hash(document(group.getKey(), version)));
      }
    }
    return index;
  }

  ObjectNode document(String group, String version) {
    List<ResourceType> types = registry.inGroupVersion(group, version);
    if (types.isEmpty()) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    ObjectNode doc = Json.object().put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes")
        .put("version", EmbeddedApiServer.KUBERNETES_VERSION);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    ModelSchemas models = registry.modelSchemas();
    String objectMetaRef = models.ref(ObjectMeta.class);
    models.all().forEach(schemas::set);
    for (ResourceType type : types) {
      String schemaName = schemaName(type);
      schemas.set(schemaName, resourceSchema(type, objectMetaRef, models));
      schemas.set(schemaName + "List", listSchema(type, schemaName));
      addPaths(paths, type, COMPONENTS + schemaName);
    }
    return doc;
  }

  /** Reverse-DNS group then version then kind, as kube-apiserver names CRD schemas. */
  private static String schemaName(ResourceType type) {
    if (!type.isCustom()) {
      return "io.k8s.api."
          + (type.group().isEmpty() ? "core" : type.group().split("\\.")[0])
          + "."
          + type.version()
          + "."
          + type.kind();
    }
    List<String> parts = new java.util.ArrayList<>(List.of(type.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + type.version() + "." + type.kind();
  }

  private static ObjectNode resourceSchema(
      ResourceType type, String objectMetaRef, ModelSchemas models) {
    ObjectNode schema =
        type.schema() == null ? Json.object().put("type", "object") : type.schema().deepCopy();
    if (schema.has("$ref")) {
      JsonNode resolved = models.resolve(schema.get("$ref").asText());
      schema =
          resolved == null
              ? Json.object().put("type", "object")
              : ((ObjectNode) resolved).deepCopy();
    }
    ObjectNode properties = schema.with("properties");
    properties
        .putObject("apiVersion")
        .put("type", "string")
        .put(
            "description",
            "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas "
                + "to the latest internal value, and may reject unrecognized values. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources");
    properties
        .putObject("kind")
        .put("type", "string")
        .put(
            "description",
            "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint "
                + "the client submits requests to. Cannot be updated. In CamelCase. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds");
    ObjectNode metadata = properties.putObject("metadata");
    metadata.putArray("allOf").addObject().put("$ref", objectMetaRef);
    metadata.put(
        "description",
        "Standard object's metadata. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    gvk(schema.putArray("x-kubernetes-group-version-kind").addObject(), type, type.kind());
    return schema;
  }

  private static ObjectNode listSchema(ResourceType type, String itemSchema) {
    ObjectNode schema =
        Json.object().put("type", "object").put("description", "List of " + type.plural());
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    properties
        .putObject("items")
        .put("type", "array")
        .putObject("items")
        .put("$ref", COMPONENTS + itemSchema);
    schema.putArray("required").add("items");
    gvk(schema.putArray("x-kubernetes-group-version-kind").addObject(), type, type.listKind());
    return schema;
  }

  private static void addPaths(ObjectNode paths, ResourceType type, String ref) {
    String prefix =
        type.groupVersionPath()
            + (type.namespaced() ? "/namespaces/{namespace}/" : "/")
            + type.plural();
    ObjectNode collection = paths.putObject(prefix);
    collection.set("get", operation(type, "list", "list", ref + "List"));
    collection.set("post", operation(type, "post", "create", ref));
    collection.set("delete", operation(type, "deletecollection", "deletecollection", null));
    ObjectNode item = paths.putObject(prefix + "/{name}");
    item.set("get", operation(type, "get", "read", ref));
    item.set("put", operation(type, "put", "replace", ref));
    item.set("patch", operation(type, "patch", "patch", ref));
    item.set("delete", operation(type, "delete", "delete", null));
    if (type.statusSubresource()) {
      ObjectNode status = paths.putObject(prefix + "/{name}/status");
      status.set("get", operation(type, "get", "readStatus", ref));
      status.set("put", operation(type, "put", "replaceStatus", ref));
      status.set("patch", operation(type, "patch", "patchStatus", ref));
    }
    if (type.namespaced()) {
      paths
          .putObject(type.groupVersionPath() + "/" + type.plural())
          .set("get", operation(type, "list", "listForAllNamespaces", ref + "List"));
    }
  }

  private static ObjectNode operation(ResourceType type, String action, String verb, String ref) {
    ObjectNode op = Json.object().put("operationId", verb + type.kind());
    ArrayNode parameters = op.putArray("parameters");
    if (List.of("post", "put", "patch").contains(action)) {
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation")) {
        parameters
            .addObject()
            .put("name", name)
            .put("in", "query")
            .put("description", name)
            .putObject("schema")
            .put("type", "string")
            .put("uniqueItems", true);
      }
      ObjectNode content = op.putObject("requestBody").putObject("content");
      if (action.equals("patch")) {
        content.putObject(Patches.JSON_PATCH).putObject("schema").put("type", "object");
        content.putObject(Patches.MERGE_PATCH).putObject("schema").put("type", "object");
      } else {
        content.putObject("application/json").putObject("schema").put("$ref", ref);
      }
      op.with("requestBody").put("required", true);
    }
    ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
    if (ref != null) {
      ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
    }
    op.put("x-kubernetes-action", action);
    gvk(op.putObject("x-kubernetes-group-version-kind"), type, type.kind());
    return op;
  }

  private static void gvk(ObjectNode target, ResourceType type, String kind) {
    target.put("group", type.group()).put("kind", kind).put("version", type.version());
  }

  static String hash(JsonNode document) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-512")
              .digest(Json.write(document).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
