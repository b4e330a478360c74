package ai.smallest.atoms.apiserver;

import ai.smallest.atoms.apiserver.MediaTypes.Representation;
import ai.smallest.atoms.apiserver.ResourceOperations.FieldValidation;
import ai.smallest.atoms.apiserver.ResourceOperations.ListResult;
import ai.smallest.atoms.apiserver.ResourceOperations.WriteOptions;
import ai.smallest.atoms.apiserver.ResourceOperations.WriteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Kubernetes API server for the sandbox and tests, in-process and in-memory, on plain HTTP at
 * 127.0.0.1. It serves what kubectl and the operator use ({@code /version}, discovery, OpenAPI v3,
 * CRUD with status subresources, patches, watches over chunked HTTP and WebSocket, Tables) for
 * Namespaces, Secrets, ConfigMaps, Events, Leases, CRDs and the custom resources CRDs define, and
 * enforces CRD schemas and CEL rules. See README.md, "Known gaps of the embedded API server".
 */
public final class EmbeddedApiServer implements AutoCloseable {

  public static final String KUBERNETES_VERSION = "v1.32.0";
  private static final List<String> INITIAL_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private final Vertx vertx;
  private final HttpServer server;
  private final ResourceOperations operations;
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final Tables tables;
  private final Watches watches;
  private final Consumer<String> requestLog;

  private EmbeddedApiServer(int port, Clock clock, Consumer<String> requestLog) {
    ResourceRegistry registry = new ResourceRegistry();
    this.operations = new ResourceOperations(new ObjectStore(), registry, clock);
    this.discovery = new Discovery(registry);
    this.openApi = new OpenApiV3(registry);
    this.tables = new Tables(clock);
    this.requestLog = requestLog;
    for (String namespace : INITIAL_NAMESPACES) {
      ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", namespace);
      operations.create(registry.namespaceType(), null, ns, WriteOptions.DEFAULT);
    }
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    this.watches = new Watches(vertx, operations, tables);
    this.server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setMaxWebSocketFrameSize(16 * 1024 * 1024)
                .setCompressionSupported(false));
    server.requestHandler(this::handle);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException(
          "could not start the embedded Kubernetes API server on port " + port, e);
    }
  }

  /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
  public static EmbeddedApiServer start(int port) {
    return new EmbeddedApiServer(port, Clock.systemUTC(), line -> {});
  }

  /** As {@link #start(int)}, logging one line per request to {@code requestLog}. */
  public static EmbeddedApiServer start(int port, Clock clock, Consumer<String> requestLog) {
    return new EmbeddedApiServer(port, clock, requestLog);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Direct access to the API's semantics, bypassing HTTP: for seeding and assertions. */
  public ResourceOperations operations() {
    return operations;
  }

  @Override
  public void close() {
    watches.closeAll();
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort: the process is usually about to exit.
    }
  }

  // ---- request dispatch -------------------------------------------------------------------------

  private void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET
        && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      // Must be answered before the request body is read, or the upgrade can no longer happen.
      try {
        serveWebSocketWatch(request);
      } catch (ApiException e) {
        respond(request, e.code(), e.toStatus(), Representation.JSON, List.of());
      }
      return;
    }
    request
        .body()
        .onComplete(
            body -> {
              try {
                byte[] bytes =
                    body.succeeded() && body.result() != null
                        ? body.result().getBytes()
                        : new byte[0];
                dispatch(request, bytes);
              } catch (ApiException e) {
                respond(request, e.code(), e.toStatus(), Representation.JSON, List.of());
              } catch (RuntimeException | Error e) {
                // Never leave a client hanging: a bug or a broken classpath becomes a 500 it can
                // report.
                respond(
                    request,
                    500,
                    ApiException.internal(String.valueOf(e)).toStatus(),
                    Representation.JSON,
                    List.of());
              }
            });
  }

  private void serveWebSocketWatch(HttpServerRequest request) {
    List<String> segments = segments(request.path());
    boolean core = !segments.isEmpty() && segments.get(0).equals("api") && segments.size() > 2;
    boolean grouped = !segments.isEmpty() && segments.get(0).equals("apis") && segments.size() > 3;
    if (!(core || grouped) || !isWatch(request.params())) {
      throw ApiException.badRequest("only watches can be served over a WebSocket");
    }
    ResourcePath path =
        ResourcePath.parse(
            core ? "" : segments.get(1),
            core ? segments.get(1) : segments.get(2),
            segments.subList(core ? 2 : 3, segments.size()),
            operations.registry());
    watches.serveWebSocket(request, path, request.params());
    log(request, 101);
  }

  private void dispatch(HttpServerRequest request, byte[] body) {
    List<String> segments = segments(request.path());
    String first = segments.isEmpty() ? "" : segments.get(0);
    HttpMethod method = request.method();
    if (method == HttpMethod.GET
        && segments.size() == 1
        && List.of("healthz", "livez", "readyz").contains(first)) {
      request.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
      log(request, 200);
      return;
    }
    if (method == HttpMethod.GET && segments.size() == 1 && first.equals("version")) {
      respond(request, 200, version(), Representation.JSON, List.of());
      return;
    }
    if (first.equals("openapi")) {
      serveOpenApi(request, segments);
      return;
    }
    if (first.equals("api") && segments.size() <= 2
        || first.equals("apis") && segments.size() <= 3) {
      serveDiscovery(request, segments);
      return;
    }
    if (first.equals("api") || first.equals("apis")) {
      boolean core = first.equals("api");
      String group = core ? "" : segments.get(1);
      String version = core ? segments.get(1) : segments.get(2);
      List<String> rest = segments.subList(core ? 2 : 3, segments.size());
      serveResource(request, ResourcePath.parse(group, version, rest, operations.registry()), body);
      return;
    }
    throw ResourcePath.notFound();
  }

  private void serveDiscovery(HttpServerRequest request, List<String> segments) {
    requireGet(request);
    MediaTypes.negotiate(request.getHeader("Accept"));
    JsonNode document;
    if (segments.get(0).equals("api")) {
      document =
          segments.size() == 1
              ? discovery.coreVersions()
              : discovery.resources("", segments.get(1));
    } else if (segments.size() == 1) {
      document = discovery.groups();
    } else if (segments.size() == 2) {
      document = discovery.group(segments.get(1));
    } else {
      document = discovery.resources(segments.get(1), segments.get(2));
    }
    respond(request, 200, document, Representation.JSON, List.of());
  }

  private void serveOpenApi(HttpServerRequest request, List<String> segments) {
    requireGet(request);
    if (segments.size() >= 2 && segments.get(1).equals("v3")) {
      JsonNode document;
      if (segments.size() == 2) {
        document = openApi.index();
      } else if (segments.size() == 4 && segments.get(2).equals("api")) {
        document = openApi.document("", segments.get(3));
      } else if (segments.size() == 5 && segments.get(2).equals("apis")) {
        document = openApi.document(segments.get(3), segments.get(4));
      } else {
        throw ResourcePath.notFound();
      }
      respond(request, 200, document, Representation.JSON, List.of());
      return;
    }
    if (segments.size() == 2 && segments.get(1).equals("v2")) {
      // Clients only read v2 as protobuf and use it for client-side validation of kinds that are
      // in neither v3 nor a CRD; an empty document makes them skip it, as a real server's v2 would.
      request
          .response()
          .putHeader("Content-Type", "application/octet-stream")
          .end(Buffer.buffer(OpenApiV2.emptyDocument()));
      log(request, 200);
      return;
    }
    throw ResourcePath.notFound();
  }

  private void serveResource(HttpServerRequest request, ResourcePath path, byte[] body) {
    MultiMap params = request.params();
    ResourceType type = path.type();
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      Representation representation = MediaTypes.negotiate(request.getHeader("Accept"));
      if (isWatch(params)) {
        watches.serve(request, path, params, representation);
        log(request, 200);
        return;
      }
      if (path.name() == null) {
        respond(request, 200, list(path, params, representation), representation, List.of());
      } else {
        ObjectNode object = operations.get(type, path.namespace(), path.name());
        respond(
            request, 200, render(type, object, representation, params), representation, List.of());
      }
      return;
    }
    Representation representation = MediaTypes.negotiate(request.getHeader("Accept"));
    if (representation == Representation.TABLE
        || representation == Representation.PARTIAL_METADATA) {
      representation = Representation.JSON;
    }
    WriteOptions options = writeOptions(params);
    if (method == HttpMethod.POST && path.name() == null) {
      WriteResult result =
          operations.create(type, path.namespace(), decodeBody(request, body), options);
      respond(request, 201, withKind(type, result.object()), representation, result.warnings());
    } else if (method == HttpMethod.PUT && path.name() != null) {
      WriteResult result =
          operations.update(
              type,
              path.namespace(),
              path.name(),
              decodeBody(request, body),
              path.isStatus(),
              options);
      respond(request, 200, withKind(type, result.object()), representation, result.warnings());
    } else if (method == HttpMethod.PATCH && path.name() != null) {
      WriteResult result =
          operations.patch(
              type,
              path.namespace(),
              path.name(),
              request.getHeader("Content-Type"),
              body,
              path.isStatus(),
              options);
      respond(request, 200, withKind(type, result.object()), representation, result.warnings());
    } else if (method == HttpMethod.DELETE && path.name() != null && !path.isStatus()) {
      JsonNode deleteOptions = body.length == 0 ? null : Json.parse(body);
      ObjectNode deleted =
          operations.delete(type, path.namespace(), path.name(), deleteOptions, options.dryRun());
      respond(request, 200, withKind(type, deleted), representation, List.of());
    } else if (method == HttpMethod.DELETE && path.name() == null) {
      List<ObjectNode> deleted =
          operations.deleteCollection(
              type, path.namespace(), selector(path, params), options.dryRun());
      respond(
          request,
          200,
          listDocument(
              type,
              deleted,
              Long.toString(operations.store().currentResourceVersion()),
              null,
              null),
          representation,
          List.of());
    } else {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
  }

  private JsonNode list(ResourcePath path, MultiMap params, Representation representation) {
    ResourceType type = path.type();
    long limit = params.contains("limit") ? Long.parseLong(params.get("limit")) : 0;
    ListResult result =
        operations.list(
            type, path.namespace(), selector(path, params), limit, params.get("continue"));
    return switch (representation) {
      case TABLE -> {
        ObjectNode table =
            tables.table(
                type,
                result.items(),
                result.resourceVersion(),
                !"true".equals(params.get("noHeaders")),
                includeObject(params));
        continuation(table.with("metadata"), result);
        yield table;
      }
      case PARTIAL_METADATA -> {
        ObjectNode list =
            Json.object()
                .put("kind", "PartialObjectMetadataList")
                .put("apiVersion", "meta.k8s.io/v1");
        list.putObject("metadata").put("resourceVersion", result.resourceVersion());
        continuation(list.with("metadata"), result);
        ArrayNode items = list.putArray("items");
        result.items().forEach(item -> items.add(Tables.partialMetadata(item)));
        yield list;
      }
      default ->
          listDocument(
              type,
              result.items(),
              result.resourceVersion(),
              result.continueToken(),
              result.remainingItemCount());
    };
  }

  private static void continuation(ObjectNode metadata, ListResult result) {
    if (result.continueToken() != null) {
      metadata
          .put("continue", result.continueToken())
          .put("remainingItemCount", result.remainingItemCount());
    }
  }

  private static ObjectNode listDocument(
      ResourceType type, List<ObjectNode> items, String rv, String continueToken, Long remaining) {
    ObjectNode list =
        Json.object().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
    ObjectNode metadata = list.putObject("metadata").put("resourceVersion", rv);
    if (continueToken != null) {
      metadata.put("continue", continueToken).put("remainingItemCount", remaining);
    }
    ArrayNode array = list.putArray("items");
    items.forEach(item -> array.add(withKind(type, item)));
    return list;
  }

  JsonNode render(
      ResourceType type, ObjectNode object, Representation representation, MultiMap params) {
    return switch (representation) {
      case TABLE ->
          tables.table(
              type,
              List.of(withKind(type, object)),
              Json.resourceVersion(object),
              !"true".equals(params.get("noHeaders")),
              includeObject(params));
      case PARTIAL_METADATA -> Tables.partialMetadata(object);
      default -> withKind(type, object);
    };
  }

  static ObjectNode withKind(ResourceType type, ObjectNode object) {
    if (object == null) {
      return null;
    }
    ObjectNode copy = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
    object
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                copy.set(e.getKey(), e.getValue());
              }
            });
    return copy;
  }

  static Tables.IncludeObject includeObject(MultiMap params) {
    return switch (String.valueOf(params.get("includeObject"))) {
      case "None" -> Tables.IncludeObject.NONE;
      case "Object" -> Tables.IncludeObject.OBJECT;
      default -> Tables.IncludeObject.METADATA;
    };
  }

  static Predicate<JsonNode> selector(ResourcePath path, MultiMap params) {
    LabelSelector labels = LabelSelector.parse(params.get("labelSelector"));
    FieldSelector fields = FieldSelector.parse(params.get("fieldSelector"), path.type());
    return labels.and(fields);
  }

  static boolean isWatch(MultiMap params) {
    String watch = params.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  private static WriteOptions writeOptions(MultiMap params) {
    String directive = params.get("fieldValidation");
    FieldValidation validation =
        switch (directive == null ? "" : directive) {
          case "", "Warn" -> FieldValidation.WARN;
          case "Strict" -> FieldValidation.STRICT;
          case "Ignore" -> FieldValidation.IGNORE;
          default ->
              throw ApiException.badRequest("fieldValidation parameter unsupported: " + directive);
        };
    List<String> dryRun = params.getAll("dryRun");
    return new WriteOptions(validation, dryRun.contains("All"));
  }

  private static ObjectNode decodeBody(HttpServerRequest request, byte[] body) {
    String contentType =
        String.valueOf(request.getHeader("Content-Type")).split(";")[0].trim().toLowerCase();
    JsonNode decoded =
        switch (contentType) {
          case ProtobufBodies.MEDIA_TYPE -> ProtobufBodies.decode(body);
          case "application/yaml" -> Json.parseYaml(body);
          default -> Json.parse(body);
        };
    if (!(decoded instanceof ObjectNode object)) {
      throw ApiException.badRequest("the body of the request must be an object");
    }
    return object;
  }

  private static void requireGet(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
  }

  private static ObjectNode version() {
    String[] parts = KUBERNETES_VERSION.substring(1).split("\\.");
    return Json.object()
        .put("major", parts[0])
        .put("minor", parts[1])
        .put("gitVersion", KUBERNETES_VERSION)
        .put("gitCommit", "atoms-sandbox")
        .put("gitTreeState", "clean")
        .put("buildDate", "2024-12-11T00:00:00Z")
        .put("goVersion", "go1.23.4")
        .put("compiler", "gc")
        .put("platform", "linux/amd64");
  }

  private void respond(
      HttpServerRequest request,
      int code,
      JsonNode body,
      Representation representation,
      List<String> warnings) {
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(code);
    response.putHeader("Cache-Control", "no-cache, private");
    for (String warning : warnings) {
      response.headers().add("Warning", "299 - " + FieldError.quote(warning));
    }
    String text;
    if (representation == Representation.YAML) {
      try {
        text = Json.YAML.writeValueAsString(body);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      response.putHeader("Content-Type", "application/yaml");
    } else {
      text = Json.write(body);
      response.putHeader("Content-Type", "application/json");
    }
    response.end(Buffer.buffer(text));
    log(request, code);
  }

  private void log(HttpServerRequest request, int code) {
    requestLog.accept(request.method() + " " + request.uri() + " " + code);
  }

  private static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
      }
    }
    return segments;
  }
}
