package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The write and read semantics of a kube-apiserver's generic registry, on top of {@link
 * ObjectStore}: server-owned metadata, status subresource split, generation bumps on spec change,
 * optimistic concurrency, finalizers, dry runs, schema pruning/defaulting/validation (CEL
 * included), and {@code fieldValidation} for unknown fields. The HTTP layer only parses and
 * renders.
 */
public final class ResourceOperations {

  /** How to treat unknown fields: the {@code fieldValidation} query parameter. */
  public enum FieldValidation {
    IGNORE,
    WARN,
    STRICT
  }

  /**
   * @param fieldManager who writes, for {@code metadata.managedFields} ({@link ManagedFields});
   *     null for the server's own writes, which record none
   */
  public record WriteOptions(FieldValidation fieldValidation, boolean dryRun, String fieldManager) {
    public static final WriteOptions DEFAULT = new WriteOptions(FieldValidation.WARN, false);

    public WriteOptions(FieldValidation fieldValidation, boolean dryRun) {
      this(fieldValidation, dryRun, null);
    }
  }

  /** A written object and the warnings (unknown fields under Warn) the response carries. */
  public record WriteResult(ObjectNode object, List<String> warnings) {}

  public record ListResult(
      List<ObjectNode> items,
      String resourceVersion,
      String continueToken,
      Long remainingItemCount) {}

  private static final String GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final Clock clock;
  private final Admission admission;
  private final SecureRandom random = new SecureRandom();

  public ResourceOperations(ObjectStore store, ResourceRegistry registry, Clock clock) {
    this(store, registry, clock, new Admission());
  }

  public ResourceOperations(
      ObjectStore store, ResourceRegistry registry, Clock clock, Admission admission) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.admission = admission;
  }

  /** The admission-off switch: custom resources stored as sent, unvalidated. */
  public Admission admission() {
    return admission;
  }

  public ObjectStore store() {
    return store;
  }

  public ResourceRegistry registry() {
    return registry;
  }

  // ---- reads ------------------------------------------------------------------------------------

  public ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  /**
   * All objects of {@code type} in {@code namespace} (null: everywhere) that pass {@code filter}.
   */
  public ListResult list(
      ResourceType type,
      String namespace,
      Predicate<JsonNode> filter,
      long limit,
      String continueToken) {
    return list(type, namespace, ListOptions.of(filter, limit, continueToken));
  }

  /**
   * A list as a kube-apiserver serves it from etcd: the latest state, or exactly the snapshot at
   * {@code resourceVersion} with {@code resourceVersionMatch=Exact}; with {@code limit}, in pages
   * whose continue token pins the snapshot of the first page, so that a client paging through sees
   * one consistent state and can watch from the list's resourceVersion without missing a change.
   * Tokens and exact reads older than the last compaction get 410 Expired.
   */
  public ListResult list(ResourceType type, String namespace, ListOptions options) {
    return store.locked(
        () -> {
          long current = store.currentResourceVersion();
          long snapshot = current;
          String after = null;
          if (options.continueToken() != null && !options.continueToken().isEmpty()) {
            if (options.resourceVersion() != null && !options.resourceVersion().isEmpty()) {
              throw ApiException.badRequest(
                  "specifying resource version is not allowed when using continue");
            }
            ContinueToken token = ContinueToken.decode(options.continueToken());
            if (token.resourceVersion() < store.compactedResourceVersion()) {
              throw ApiException.expiredContinue(
                  ContinueToken.encodeStart(current, token.startKey()));
            }
            snapshot = token.resourceVersion();
            after = token.startKey();
          } else if ("Exact".equals(options.resourceVersionMatch())) {
            snapshot = exactResourceVersion(options.resourceVersion(), current);
          } else if (options.resourceVersionMatch() != null
              && !options.resourceVersionMatch().isEmpty()
              && !"NotOlderThan".equals(options.resourceVersionMatch())) {
            throw ApiException.badRequest(
                "resourceVersionMatch: Unsupported value: \""
                    + options.resourceVersionMatch()
                    + "\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
          }
          ObjectStore.Page page =
              store.page(
                  type,
                  namespace,
                  snapshot,
                  after,
                  options.filter(),
                  options.limit(),
                  !options.filtered());
          String rv = Long.toString(snapshot);
          if (!page.more()) {
            return new ListResult(page.items(), rv, null, null);
          }
          return new ListResult(
              page.items(),
              rv,
              ContinueToken.encode(snapshot, page.lastKey()),
              options.filtered() ? null : page.remaining());
        });
  }

  private long exactResourceVersion(String resourceVersion, long current) {
    long exact;
    try {
      exact = Long.parseLong(String.valueOf(resourceVersion));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + resourceVersion);
    }
    if (exact <= 0) {
      throw ApiException.badRequest(
          "resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
    }
    if (exact > current) {
      throw ApiException.tooLargeResourceVersion(exact, current);
    }
    return exact;
  }

  /**
   * What a list request asks for.
   *
   * @param filtered whether {@code filter} holds label or field selectors (a real server then omits
   *     remainingItemCount)
   * @param limit page size, 0 for everything
   */
  public record ListOptions(
      Predicate<JsonNode> filter,
      boolean filtered,
      long limit,
      String continueToken,
      String resourceVersion,
      String resourceVersionMatch) {

    public static ListOptions of(Predicate<JsonNode> filter, long limit, String continueToken) {
      return new ListOptions(filter, true, limit, continueToken, null, null);
    }
  }

  // ---- create -----------------------------------------------------------------------------------

  public WriteResult create(
      ResourceType type, String namespace, ObjectNode body, WriteOptions options) {
    ObjectNode object = body.deepCopy();
    checkKind(type, object);
    List<String> warnings = pruneUnknownFields(type, object, options);
    ObjectNode metadata = Json.metadata(object);
    if (type.namespaced()) {
      String declared = Json.text(metadata, "namespace");
      if (declared != null && !declared.isEmpty() && !declared.equals(namespace)) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    if (Json.text(metadata, "resourceVersion") != null
        && !metadata.get("resourceVersion").asText().isEmpty()) {
      throw ApiException.internal("resourceVersion should not be set on objects to be created");
    }
    String name = Json.text(metadata, "name");
    if ((name == null || name.isEmpty()) && Json.text(metadata, "generateName") != null) {
      metadata.put("name", metadata.get("generateName").asText() + randomSuffix());
    }
    return store.locked(
        () -> {
          if (type.namespaced()) {
            requireActiveNamespace(namespace);
          }
          String now = Json.timestamp(clock.instant());
          metadata.put("uid", UUID.randomUUID().toString());
          metadata.put("creationTimestamp", now);
          metadata.remove(
              List.of(
                  "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"));
          if (type.tracksGeneration()) {
            metadata.put("generation", 1);
          } else {
            metadata.remove("generation");
          }
          if (type.statusSubresource()) {
            object.remove("status");
          }
          KindRules.prepareForCreate(type, object, now);
          applyDefaults(type, object);
          List<FieldError> errors = validate(type, object, null);
          String objectName = Json.name(object);
          if (!errors.isEmpty()) {
            throw ApiException.invalid(type, objectName == null ? "" : objectName, errors);
          }
          if (store.get(type, namespace(type, namespace), objectName).isPresent()) {
            throw ApiException.alreadyExists(type, objectName);
          }
          if (options.fieldManager() != null) {
            ManagedFields.created(
                object, options.fieldManager(), Json.text(object, "apiVersion"), now);
          }
          if (options.dryRun()) {
            return new WriteResult(object, warnings);
          }
          ObjectNode stored = store.put(type, object);
          afterWrite(type, stored);
          return new WriteResult(stored, warnings);
        });
  }

  // ---- update and patch -------------------------------------------------------------------------

  public WriteResult update(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode body,
      boolean statusOnly,
      WriteOptions options) {
    ObjectNode object = body.deepCopy();
    checkKind(type, object);
    List<String> warnings = pruneUnknownFields(type, object, options);
    return store.locked(
        () -> {
          ObjectNode current = get(type, namespace(type, namespace), name);
          String requested = Json.resourceVersion(object);
          if (requested == null || requested.isEmpty()) {
            if (!type.unconditionalUpdate()) {
              throw ApiException.invalid(
                  type,
                  name,
                  List.of(
                      FieldError.invalid(
                          "metadata.resourceVersion", 0L, "must be specified for an update")));
            }
          } else if (!requested.equals(Json.resourceVersion(current))) {
            throw ApiException.conflict(type, name);
          }
          return write(type, namespace, name, current, object, statusOnly, options, warnings);
        });
  }

  public WriteResult patch(
      ResourceType type,
      String namespace,
      String name,
      String contentType,
      byte[] patch,
      boolean statusOnly,
      WriteOptions options) {
    return store.locked(
        () -> {
          ObjectNode current = get(type, namespace(type, namespace), name);
          ObjectNode patched = Patches.apply(contentType, current, patch, type);
          String requested = Json.resourceVersion(patched);
          // A resourceVersion in the patch is a precondition, as on a real server.
          if (requested != null
              && !requested.isEmpty()
              && !requested.equals(Json.resourceVersion(current))) {
            throw ApiException.conflict(type, name);
          }
          checkKind(type, patched);
          List<String> warnings = pruneUnknownFields(type, patched, options);
          return write(type, namespace, name, current, patched, statusOnly, options, warnings);
        });
  }

  /** The common tail of PUT and PATCH, run under the store lock. */
  private WriteResult write(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode current,
      ObjectNode requested,
      boolean statusOnly,
      WriteOptions options,
      List<String> warnings) {
    checkIdentity(type, namespace, name, requested);
    // A real server prunes and defaults objects read from etcd too: the stored object is seen
    // through the current schema, by status writes and by ratcheting alike. (Only objects stored
    // with admission off differ from what they look like through it.)
    ObjectNode seen = current;
    if (type.isCustom() && admission.enforces(type)) {
      seen = current.deepCopy();
      schemaOf(type).prune(seen);
      applyDefaults(type, seen);
    }
    ObjectNode next;
    if (statusOnly) {
      // A status write changes status and nothing else.
      next = seen.deepCopy();
      JsonNode status = requested.get("status");
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status);
      }
    } else {
      next = requested;
      ObjectNode metadata = Json.metadata(next);
      ObjectNode currentMetadata = Json.metadata(current);
      for (String serverOwned :
          List.of(
              "uid",
              "creationTimestamp",
              "generation",
              "deletionTimestamp",
              "deletionGracePeriodSeconds",
              "namespace",
              "name")) {
        if (currentMetadata.has(serverOwned)) {
          metadata.set(serverOwned, currentMetadata.get(serverOwned));
        } else {
          metadata.remove(serverOwned);
        }
      }
      metadata.remove("selfLink");
      // The server keeps the managed fields; what a client sends there is not taken.
      if (currentMetadata.has("managedFields")) {
        metadata.set("managedFields", currentMetadata.get("managedFields"));
      } else {
        metadata.remove("managedFields");
      }
      if (type.statusSubresource()) {
        if (seen.has("status")) {
          next.set("status", seen.get("status"));
        } else {
          next.remove("status");
        }
      }
      KindRules.prepareForUpdate(type, next, current, Json.timestamp(clock.instant()));
      if (type.tracksGeneration() && specChanged(type, seen, next)) {
        metadata.put("generation", currentMetadata.path("generation").asLong(0) + 1);
      }
    }
    Json.metadata(next).put("resourceVersion", Json.resourceVersion(current));
    applyDefaults(type, next);
    List<FieldError> errors = validate(type, next, seen, statusOnly);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, name, errors);
    }
    if (next.equals(current) || next.equals(seen) || options.dryRun()) {
      // No change: no new resourceVersion and no watch event, like a real no-op update.
      return new WriteResult(next, warnings);
    }
    if (isDeletingWithoutFinalizers(next)) {
      ObjectNode removed = store.remove(type, Json.namespace(next), name);
      afterDelete(type, removed);
      return new WriteResult(removed, warnings);
    }
    if (options.fieldManager() != null) {
      ManagedFields.written(
          current,
          seen,
          next,
          options.fieldManager(),
          statusOnly ? "status" : null,
          Json.text(next, "apiVersion"),
          Json.timestamp(clock.instant()));
    }
    ObjectNode stored = store.put(type, next);
    afterWrite(type, stored);
    return new WriteResult(stored, warnings);
  }

  /**
   * Generation counts changes to the desired state: everything but metadata, and status when it is
   * a subresource.
   */
  private static boolean specChanged(ResourceType type, ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    a.remove("metadata");
    b.remove("metadata");
    if (type.statusSubresource()) {
      a.remove("status");
      b.remove("status");
    }
    return !a.equals(b);
  }

  // ---- delete -----------------------------------------------------------------------------------

  /**
   * Deletes now, or marks for deletion while finalizers remain; returns the object's last state.
   */
  public ObjectNode delete(
      ResourceType type, String namespace, String name, JsonNode deleteOptions, boolean dryRun) {
    return store.locked(
        () -> {
          ObjectNode current = get(type, namespace(type, namespace), name);
          JsonNode preconditions =
              deleteOptions == null ? null : deleteOptions.get("preconditions");
          if (preconditions != null) {
            String uid = Json.text(preconditions, "uid");
            if (uid != null && !uid.equals(Json.text(current.get("metadata"), "uid"))) {
              throw ApiException.conflict(
                  type,
                  name,
                  "Precondition failed: UID in precondition: "
                      + uid
                      + ", UID in object meta: "
                      + Json.text(current.get("metadata"), "uid"));
            }
            String rv = Json.text(preconditions, "resourceVersion");
            if (rv != null && !rv.equals(Json.resourceVersion(current))) {
              throw ApiException.conflict(
                  type,
                  name,
                  "Precondition failed: ResourceVersion in precondition: "
                      + rv
                      + ", ResourceVersion in object meta: "
                      + Json.resourceVersion(current));
            }
          }
          if (dryRun) {
            return current;
          }
          if (current.path("metadata").path("finalizers").size() > 0) {
            if (current.path("metadata").has("deletionTimestamp")) {
              return current;
            }
            ObjectNode marked = current.deepCopy();
            Json.metadata(marked)
                .put("deletionTimestamp", Json.timestamp(clock.instant()))
                .put("deletionGracePeriodSeconds", 0);
            return store.put(type, marked);
          }
          ObjectNode removed = store.remove(type, Json.namespace(current), name);
          afterDelete(type, removed);
          return removed;
        });
  }

  public List<ObjectNode> deleteCollection(
      ResourceType type, String namespace, Predicate<JsonNode> filter, boolean dryRun) {
    return store.locked(
        () -> {
          List<ObjectNode> deleted = new ArrayList<>();
          for (ObjectNode object : store.list(type, namespace)) {
            if (filter.test(object)) {
              deleted.add(delete(type, Json.namespace(object), Json.name(object), null, dryRun));
            }
          }
          return deleted;
        });
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void afterWrite(ResourceType type, ObjectNode stored) {
    if (type.kind().equals("CustomResourceDefinition")
        && type.group().equals(ResourceRegistry.CRD_GROUP)) {
      registry.registerCrd(stored);
    }
  }

  /**
   * Deleting a namespace or a CRD takes its contents with it (synchronously here, asynchronously on
   * a cluster).
   */
  private void afterDelete(ResourceType type, ObjectNode removed) {
    if (removed == null || type.isCustom()) {
      return;
    }
    if (type.kind().equals("CustomResourceDefinition")) {
      for (ResourceType served : List.copyOf(registry.typesOfCrd(Json.name(removed)))) {
        store.removeAll(served);
      }
      registry.unregisterCrd(Json.name(removed));
    } else if (type.kind().equals("Namespace")) {
      String namespace = Json.name(removed);
      for (ResourceType contained : registry.all()) {
        if (contained.namespaced()) {
          for (ObjectNode object : store.list(contained, namespace)) {
            store.remove(contained, namespace, Json.name(object));
          }
        }
      }
    }
  }

  private static boolean isDeletingWithoutFinalizers(JsonNode object) {
    return object.path("metadata").has("deletionTimestamp")
        && object.path("metadata").path("finalizers").isEmpty();
  }

  private void requireActiveNamespace(String namespace) {
    Optional<ObjectNode> ns = store.get(registry.namespaceType(), null, namespace);
    if (ns.isEmpty()) {
      throw ApiException.notFound("namespaces \"" + namespace + "\" not found");
    }
    if (ns.get().path("metadata").has("deletionTimestamp")) {
      throw ApiException.forbidden(
          registry.namespaceType(),
          namespace,
          "unable to create new content in namespace "
              + namespace
              + " because it is being terminated");
    }
  }

  private static String namespace(ResourceType type, String namespace) {
    return type.namespaced() ? namespace : null;
  }

  private static void checkKind(ResourceType type, ObjectNode object) {
    String apiVersion = Json.text(object, "apiVersion");
    String kind = Json.text(object, "kind");
    if (apiVersion == null || apiVersion.isEmpty()) {
      object.put("apiVersion", type.apiVersion());
    } else if (!apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + type.apiVersion()
              + ")");
    }
    if (kind == null || kind.isEmpty()) {
      object.put("kind", type.kind());
    } else if (!kind.equals(type.kind())) {
      throw ApiException.badRequest(
          type.kind()
              + " in version \""
              + type.version()
              + "\" cannot be handled as a "
              + type.kind()
              + ": the kind in the data ("
              + kind
              + ") does not match the expected kind ("
              + type.kind()
              + ")");
    }
    KindRules.checkDecodable(type, object);
  }

  private static void checkIdentity(
      ResourceType type, String namespace, String name, ObjectNode object) {
    String bodyName = Json.name(object);
    if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    String bodyNamespace = Json.namespace(object);
    if (type.namespaced()
        && bodyNamespace != null
        && !bodyNamespace.isEmpty()
        && !bodyNamespace.equals(namespace)) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  /** Drops fields the schema does not declare; Strict refuses them, Warn reports them. */
  private List<String> pruneUnknownFields(
      ResourceType type, ObjectNode object, WriteOptions options) {
    if (!admission.enforces(type)) {
      return List.of();
    }
    List<String> unknown = schemaOf(type).prune(object);
    if (unknown.isEmpty() || options.fieldValidation() == FieldValidation.IGNORE) {
      return List.of();
    }
    List<String> messages =
        unknown.stream().map(field -> "unknown field \"" + field + "\"").toList();
    if (options.fieldValidation() == FieldValidation.STRICT) {
      throw ApiException.badRequest(
          type.kind()
              + " in version \""
              + type.version()
              + "\" cannot be handled as a "
              + type.kind()
              + ": strict decoding error: "
              + String.join(", ", messages));
    }
    return messages;
  }

  private void applyDefaults(ResourceType type, ObjectNode object) {
    if (type.isCustom() && admission.enforces(type)) {
      schemaOf(type).applyDefaults(object);
    }
  }

  private List<FieldError> validate(ResourceType type, ObjectNode object, ObjectNode old) {
    return validate(type, object, old, false);
  }

  private List<FieldError> validate(
      ResourceType type, ObjectNode object, ObjectNode old, boolean statusOnly) {
    List<FieldError> errors = new ArrayList<>(KindRules.validate(type, object, old));
    if (type.isCustom() && admission.enforces(type)) {
      errors.addAll(schemaOf(type).validate(object, old, statusOnly));
    }
    return errors;
  }

  private StructuralSchema schemaOf(ResourceType type) {
    ModelSchemas models = registry.modelSchemas();
    return new StructuralSchema(type.schema(), models::resolve, registry.objectMetaSchema());
  }

  private String randomSuffix() {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(GENERATE_ALPHABET.charAt(random.nextInt(GENERATE_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
