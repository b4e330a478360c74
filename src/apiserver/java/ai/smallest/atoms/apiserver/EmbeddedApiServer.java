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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Kubernetes API server for the sandbox and tests, in-process and in-memory, on plain HTTP at
 * 127.0.0.1. It serves what kubectl and the operator use ({@code /version}, discovery, OpenAPI v3,
 * CRUD with status subresources, patches, paginated lists, watches over chunked HTTP and WebSocket
 * with bookmarks, Tables) for Namespaces, Secrets, ConfigMaps, Events, Leases, CRDs and the custom
 * resources CRDs define, and enforces CRD schemas and CEL rules. See README.md, "Known gaps of the
 * embedded API server".
 *
 * <p>For tests it can also misbehave the way real clusters do, each on demand through this class or
 * through the admin endpoints under {@value AdminApi#PREFIX} (which a real server does not serve;
 * {@code GET /_admin} lists them): compact the history and expire watches ({@code 410 Gone}), close
 * watches, send bookmarks, inject faults (error answers and latency on chosen verbs, resources and
 * clients), store custom resources unvalidated (admission off), and count requests per client,
 * verb, resource and object.
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
  private final Faults faults = new Faults();
  private final RequestCounter requests = new RequestCounter();
  private final AdminApi admin;
  private final Consumer<String> requestLog;

  private EmbeddedApiServer(Options options) {
    ResourceRegistry registry = new ResourceRegistry();
    this.operations =
        new ResourceOperations(
            new ObjectStore(options.historyLimit), registry, options.clock, new Admission());
    this.discovery = new Discovery(registry);
    this.openApi = new OpenApiV3(registry);
    this.tables = new Tables(options.clock);
    this.requestLog = options.requestLog;
    for (String namespace : INITIAL_NAMESPACES) {
      createNamespace(namespace);
    }
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    this.watches =
        new Watches(vertx, operations, tables, options.watchTimeout, options.bookmarkInterval);
    this.admin = new AdminApi(this);
    if (options.compactionInterval != null) {
      long every = Math.max(1, options.compactionInterval.toMillis());
      vertx.setPeriodic(every, every, t -> compact());
    }
    this.server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(options.port)
                .setMaxWebSocketFrameSize(16 * 1024 * 1024)
                .setCompressionSupported(false));
    server.requestHandler(this::handle);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException(
          "could not start the embedded Kubernetes API server on port " + options.port, e);
    }
  }

  /** Starts on 127.0.0.1:{@code port} (0 picks a free port). */
  public static EmbeddedApiServer start(int port) {
    return options().port(port).start();
  }

  /** As {@link #start(int)}, logging one line per request to {@code requestLog}. */
  public static EmbeddedApiServer start(int port, Clock clock, Consumer<String> requestLog) {
    return options().port(port).clock(clock).requestLog(requestLog).start();
  }

  /** Options with the defaults of a kube-apiserver (or of the sandbox where it has none). */
  public static Options options() {
    return new Options();
  }

  /** How the server is started; {@link #start()} starts it. */
  public static final class Options {
    private int port;
    private Clock clock = Clock.systemUTC();
    private Consumer<String> requestLog = line -> {};
    private int historyLimit = ObjectStore.HISTORY_LIMIT;
    private Duration compactionInterval;
    private Duration watchTimeout = Duration.ofMinutes(30);
    private Duration bookmarkInterval = Duration.ofMinutes(1);

    private Options() {}

    /** 0 (the default) picks a free port. */
    public Options port(int port) {
      this.port = port;
      return this;
    }

    public Options clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Gets one line per request: method, URI, status. */
    public Options requestLog(Consumer<String> requestLog) {
      this.requestLog = requestLog;
      return this;
    }

    /**
     * How many events the history keeps (default 20,000): watches resume, continue tokens and exact
     * reads work within it; older resourceVersions get 410 Gone.
     */
    public Options historyLimit(int events) {
      this.historyLimit = events;
      return this;
    }

    /**
     * Compacts the history every {@code interval}, as kube-apiserver has etcd do (its {@code
     * --etcd-compaction-interval} defaults to 5 minutes). Default: only when the history is full.
     */
    public Options compactEvery(Duration interval) {
      this.compactionInterval = interval;
      return this;
    }

    /**
     * The longest any watch stays open (default 30 minutes, kube-apiserver's {@code
     * --min-request-timeout}); the server then closes it and the client resumes. Unlike a real
     * server, which applies a random timeout between one and two times this only to watches that do
     * not ask for one, this caps every watch, exactly: Fabric8 informers ask for 10 minutes.
     */
    public Options watchTimeout(Duration timeout) {
      this.watchTimeout = timeout;
      return this;
    }

    /**
     * How often watches with {@code allowWatchBookmarks=true} get a BOOKMARK (default one minute,
     * as the watch cache sends them).
     */
    public Options bookmarkInterval(Duration interval) {
      this.bookmarkInterval = interval;
      return this;
    }

    public EmbeddedApiServer start() {
      return new EmbeddedApiServer(this);
    }
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

  // ---- test controls ----------------------------------------------------------------------------

  /**
   * Compacts the history at the current resourceVersion ({@code POST /_admin/compact}): watches
   * resumed from an older one, continue tokens issued before and exact reads of older ones get 410
   * Gone. Open watches go on.
   *
   * @return the resourceVersion compacted at
   */
  public long compact() {
    return operations.store().compact();
  }

  /**
   * Compacts, then ends every open watch with an ERROR event carrying 410 Expired ({@code POST
   * /_admin/watches/expire}): what a watcher sees when its resourceVersion was compacted away.
   * Clients list again, then watch from the new list.
   *
   * @return how many watches were ended
   */
  public int expireWatches() {
    return expireWatches(info -> true);
  }

  /** As {@link #expireWatches()}, for the watches {@code which} selects. */
  public int expireWatches(Predicate<WatchInfo> which) {
    compact();
    return watches.expire(which);
  }

  /**
   * Closes every open watch without an error ({@code POST /_admin/watches/close}), as a timeout, an
   * API server restart or a dropped connection would: clients resume from the last resourceVersion
   * they saw.
   *
   * @return how many watches were closed
   */
  public int closeWatches() {
    return closeWatches(info -> true);
  }

  /** As {@link #closeWatches()}, for the watches {@code which} selects. */
  public int closeWatches(Predicate<WatchInfo> which) {
    return watches.close(which);
  }

  /**
   * Sends a BOOKMARK now to every watch that allows bookmarks ({@code POST
   * /_admin/watches/bookmark}).
   */
  public int sendBookmarks() {
    return watches.bookmark();
  }

  /** The open watches ({@code GET /_admin/watches}). */
  public List<WatchInfo> watches() {
    return watches.list();
  }

  /** The fault rules ({@code /_admin/faults}). */
  public Faults faults() {
    return faults;
  }

  /** Request counts per client, verb, resource and object ({@code /_admin/requests}). */
  public RequestCounter requests() {
    return requests;
  }

  /** The admission-off switch for custom resources ({@code /_admin/admission}). */
  public Admission admission() {
    return operations.admission();
  }

  /** Creates a namespace (as {@code kubectl create namespace}); one that exists is left alone. */
  public void createNamespace(String name) {
    if (operations.store().get(operations.registry().namespaceType(), null, name).isEmpty()) {
      ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      operations.create(operations.registry().namespaceType(), null, ns, WriteOptions.DEFAULT);
    }
  }

  /**
   * Creates the CustomResourceDefinitions in a YAML or JSON file, or in the {@code .yml}, {@code
   * .yaml} and {@code .json} files of a directory, as {@code kubectl create -f} would.
   *
   * @return the names of the CRDs created
   */
  public List<String> installCrds(Path fileOrDirectory) {
    List<String> installed = new ArrayList<>();
    for (ObjectNode crd : Manifests.read(fileOrDirectory)) {
      if ("CustomResourceDefinition".equals(Json.text(crd, "kind"))) {
        operations.create(operations.registry().crdType(), null, crd, WriteOptions.DEFAULT);
        installed.add(Json.name(crd));
      }
    }
    if (installed.isEmpty()) {
      throw new IllegalArgumentException(
          "no CustomResourceDefinition in " + fileOrDirectory.toAbsolutePath());
    }
    return installed;
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
      guarded(request, () -> serveWebSocketWatch(request));
      return;
    }
    request
        .body()
        .onComplete(
            body -> {
              byte[] bytes =
                  body.succeeded() && body.result() != null
                      ? body.result().getBytes()
                      : new byte[0];
              guarded(request, () -> dispatch(request, bytes));
            });
  }

  /** Runs {@code work}, answering what it throws as a Status: never leave a client hanging. */
  private void guarded(HttpServerRequest request, Runnable work) {
    try {
      work.run();
    } catch (ApiException e) {
      respondError(request, e);
    } catch (RuntimeException | Error e) {
      // A bug or a broken classpath becomes a 500 the client can report.
      respondError(request, ApiException.internal(String.valueOf(e)));
    }
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
    ApiRequest described = describe(request, path, null);
    Faults.Decision decision = faults.decide(described);
    requests.record(described, decision.answeredBy() != null);
    if (decision.answeredBy() != null) {
      throw injected(decision.answeredBy().fault(), path);
    }
    watches.serveWebSocket(
        request, path, request.params(), described.client(), decision.latency().toMillis());
    log(request, 101);
  }

  private void dispatch(HttpServerRequest request, byte[] body) {
    List<String> segments = segments(request.path());
    String first = segments.isEmpty() ? "" : segments.get(0);
    HttpMethod method = request.method();
    if (first.equals(AdminApi.SEGMENT)) {
      admin.handle(request, segments.subList(1, segments.size()), body);
      return;
    }
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
    if (method == HttpMethod.POST
        && segments.equals(
            List.of("apis", "authorization.k8s.io", "v1", "selfsubjectrulesreviews"))) {
      respond(request, 201, allowEverything(Json.parse(body)), Representation.JSON, List.of());
      log(request, 201);
      return;
    }
    if (first.equals("api") || first.equals("apis")) {
      boolean core = first.equals("api");
      String group = core ? "" : segments.get(1);
      String version = core ? segments.get(1) : segments.get(2);
      List<String> rest = segments.subList(core ? 2 : 3, segments.size());
      ResourcePath path = ResourcePath.parse(group, version, rest, operations.registry());
      ApiRequest described = describe(request, path, body);
      Faults.Decision decision = faults.decide(described);
      requests.record(described, decision.answeredBy() != null);
      Runnable serve =
          () -> {
            if (decision.answeredBy() != null) {
              throw injected(decision.answeredBy().fault(), path);
            }
            serveResource(request, path, body, described.client());
          };
      long latency = decision.latency().toMillis();
      if (latency > 0) {
        vertx.setTimer(latency, t -> guarded(request, serve));
      } else {
        serve.run();
      }
      return;
    }
    throw ResourcePath.notFound();
  }

  /** The request as counters and fault rules see it. */
  private ApiRequest describe(HttpServerRequest request, ResourcePath path, byte[] body) {
    HttpMethod method = request.method();
    String verb;
    if (method == HttpMethod.GET) {
      verb = isWatch(request.params()) ? "watch" : path.name() == null ? "list" : "get";
    } else if (method == HttpMethod.POST) {
      verb = "create";
    } else if (method == HttpMethod.PUT) {
      verb = "update";
    } else if (method == HttpMethod.PATCH) {
      verb = "patch";
    } else if (method == HttpMethod.DELETE) {
      verb = path.name() == null ? "deletecollection" : "delete";
    } else {
      verb = method.name().toLowerCase(java.util.Locale.ROOT);
    }
    String name = path.name();
    if (verb.equals("create") && body != null && body.length > 0) {
      name = createdName(body); // as the audit log names a created object
    }
    String involved = null;
    ResourceType type = path.type();
    if (type.group().isEmpty() && type.plural().equals("events") && !verb.equals("get")) {
      involved = involvedObject(verb, path, body);
    }
    String agent = request.getHeader("User-Agent");
    return new ApiRequest(
        agent == null ? "" : agent,
        verb,
        ApiException.qualified(type),
        path.subresource(),
        path.namespace(),
        name,
        involved);
  }

  private static String createdName(byte[] body) {
    try {
      return Json.name(Json.MAPPER.readTree(body));
    } catch (java.io.IOException | RuntimeException e) {
      return null; // protobuf, generateName or broken: unnamed until created
    }
  }

  /** For Event writes: the name of the object the Event is about, from the body or the store. */
  private String involvedObject(String verb, ResourcePath path, byte[] body) {
    JsonNode event = null;
    if ((verb.equals("create") || verb.equals("update")) && body != null && body.length > 0) {
      try {
        event = Json.MAPPER.readTree(body);
      } catch (java.io.IOException | RuntimeException e) {
        return null; // protobuf or broken: the handler reports it
      }
    } else if (path.name() != null && !verb.equals("list") && !verb.equals("watch")) {
      event = operations.store().sharedGet(path.type(), path.namespace(), path.name()).orElse(null);
    }
    if (event == null) {
      return null;
    }
    String name = Json.text(event.path("involvedObject"), "name");
    return name != null ? name : Json.text(event.path("regarding"), "name");
  }

  private static ApiException injected(Fault fault, ResourcePath path) {
    if (fault.status() == 409 && path.name() != null) {
      return ApiException.conflict(path.type(), path.name());
    }
    String message =
        switch (fault.status()) {
          case 429 -> "Too many requests, please try again later.";
          case 500 -> "Internal error occurred: fault injected by the embedded API server";
          case 503 -> "the server is currently unable to handle the request";
          case 504 -> "Timeout: request did not complete within the allotted timeout";
          default -> "fault injected by the embedded API server";
        };
    return ApiException.injected(fault.status(), message, fault.retryAfterSeconds());
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

  private void serveResource(
      HttpServerRequest request, ResourcePath path, byte[] body, String client) {
    MultiMap params = request.params();
    ResourceType type = path.type();
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      Representation representation = MediaTypes.negotiate(request.getHeader("Accept"));
      if (isWatch(params)) {
        watches.serve(request, path, params, representation, client);
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
    WriteOptions options = writeOptions(params, client);
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
    long limit;
    try {
      limit = params.contains("limit") ? Long.parseLong(params.get("limit")) : 0;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid limit: " + params.get("limit"));
    }
    boolean filtered =
        !String.valueOf(params.get("labelSelector")).replace("null", "").isEmpty()
            || !String.valueOf(params.get("fieldSelector")).replace("null", "").isEmpty();
    ListResult result =
        operations.list(
            type,
            path.namespace(),
            new ResourceOperations.ListOptions(
                selector(path, params),
                filtered,
                Math.max(0, limit),
                params.get("continue"),
                params.get("resourceVersion"),
                params.get("resourceVersionMatch")));
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

  private static WriteOptions writeOptions(MultiMap params, String client) {
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
    return new WriteOptions(
        validation,
        dryRun.contains("All"),
        ManagedFields.manager(params.get("fieldManager"), client));
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

  /**
   * A SelfSubjectRulesReview as an API server without authorization answers it: every verb on every
   * resource. JOSDK asks it before leader election ("may I create and update Leases?"); this server
   * has no RBAC, so the truthful answer is yes.
   */
  private static ObjectNode allowEverything(JsonNode review) {
    ObjectNode answer = Json.object();
    answer.put("kind", "SelfSubjectRulesReview");
    answer.put("apiVersion", "authorization.k8s.io/v1");
    answer.putObject("metadata").put("creationTimestamp", (String) null);
    answer.set("spec", review.path("spec").deepCopy());
    ObjectNode status = answer.putObject("status");
    ObjectNode rule = status.putArray("resourceRules").addObject();
    rule.putArray("verbs").add("*");
    rule.putArray("apiGroups").add("*");
    rule.putArray("resources").add("*");
    ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
    nonResource.putArray("verbs").add("*");
    nonResource.putArray("nonResourceURLs").add("*");
    status.put("incomplete", false);
    return answer;
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

  private void respondError(HttpServerRequest request, ApiException e) {
    if (e.retryAfterSeconds() > 0 && !request.response().ended()) {
      request.response().putHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
    }
    respond(request, e.code(), e.toStatus(), Representation.JSON, List.of());
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

  void respondJson(HttpServerRequest request, int code, JsonNode body) {
    respond(request, code, body, Representation.JSON, List.of());
  }

  void log(HttpServerRequest request, int code) {
    requestLog.accept(request.method() + " " + request.uri() + " " + code);
  }

  static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
      }
    }
    return segments;
  }
}
