package ai.smallest.atoms.apiserver;

import ai.smallest.atoms.apiserver.MediaTypes.Representation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Watches, streamed as newline-separated JSON over chunked HTTP (kubectl, client-go) or as text
 * frames over a WebSocket (Fabric8). Semantics follow the API server's watch cache: no or "0"
 * resourceVersion starts with synthetic ADDED events for what exists; a resourceVersion resumes
 * after it from the history, or fails with 410 Expired if it is too old; an object that stops
 * (starts) matching the selectors is seen as DELETED (ADDED); {@code sendInitialEvents=true} ends
 * the initial burst with a BOOKMARK; {@code timeoutSeconds} closes the stream.
 */
final class Watches {

  /** kube-apiserver's default --min-request-timeout is 1800s; watches end within that. */
  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

  private final Vertx vertx;
  private final ResourceOperations operations;
  private final Tables tables;
  private final Set<Runnable> open = ConcurrentHashMap.newKeySet();

  Watches(Vertx vertx, ResourceOperations operations, Tables tables) {
    this.vertx = vertx;
    this.operations = operations;
    this.tables = tables;
  }

  /** Chunked HTTP watch. */
  void serve(
      HttpServerRequest request,
      ResourcePath path,
      MultiMap params,
      Representation representation) {
    HttpServerResponse response = request.response();
    Context context = vertx.getOrCreateContext();
    Stream stream =
        new Stream(path, params, representation) {
          @Override
          void send(String json) {
            if (!response.ended() && !response.closed()) {
              response.write(Buffer.buffer(json + "\n"));
            }
          }

          @Override
          void end() {
            if (!response.ended() && !response.closed()) {
              response.end();
            }
          }
        };
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-cache, private");
    // Headers go out now, not with the first event: client-go cannot stop a watch whose headers
    // it is still waiting for, so kubectl wait on an already-true condition would hang until the
    // object next changes.
    response.writeHead();
    response.closeHandler(v -> stream.close());
    stream.start(context);
  }

  /** WebSocket watch, as Fabric8 clients open them. */
  void serveWebSocket(HttpServerRequest request, ResourcePath path, MultiMap params) {
    request
        .toWebSocket()
        .onSuccess(
            socket -> {
              Context context = vertx.getOrCreateContext();
              Stream stream =
                  new Stream(path, params, Representation.JSON) {
                    @Override
                    void send(String json) {
                      if (!socket.isClosed()) {
                        socket.writeTextMessage(json);
                      }
                    }

                    @Override
                    void end() {
                      if (!socket.isClosed()) {
                        socket.close();
                      }
                    }
                  };
              socket.closeHandler(v -> stream.close());
              stream.start(context);
            });
  }

  void closeAll() {
    List.copyOf(open).forEach(Runnable::run);
  }

  /** One watch: its filters, its subscription, and a transport to write to. */
  private abstract class Stream {
    private final ResourcePath path;
    private final MultiMap params;
    private final Representation representation;
    private final Predicate<JsonNode> selector;
    private volatile ObjectStore.Subscription subscription;
    private volatile Context context;
    private boolean headersSent;
    private final Runnable closer = this::closeFromServer;

    Stream(ResourcePath path, MultiMap params, Representation representation) {
      this.path = path;
      this.params = params;
      this.representation = representation;
      Predicate<JsonNode> selector = EmbeddedApiServer.selector(path, params);
      if (path.name() != null) {
        // GET .../name?watch=true: a watch on that object only.
        selector = selector.and(o -> path.name().equals(Json.name(o)));
      }
      this.selector = selector;
    }

    abstract void send(String json);

    abstract void end();

    void start(Context context) {
      this.context = context;
      open.add(closer);
      String rv = params.get("resourceVersion");
      boolean initialEvents = "true".equals(params.get("sendInitialEvents"));
      ObjectStore store = operations.store();
      Optional<String> expired =
          store.locked(
              () -> {
                long since;
                if (rv == null || rv.isEmpty() || rv.equals("0") || initialEvents) {
                  since = store.currentResourceVersion();
                  for (ObjectNode object : store.list(path.type(), path.namespace())) {
                    if (selector.test(object)) {
                      emit(WatchEvent.ADDED, object);
                    }
                  }
                  if (initialEvents) {
                    emitBookmark(since, true);
                  }
                } else {
                  try {
                    since = Long.parseLong(rv);
                  } catch (NumberFormatException e) {
                    return Optional.of("invalid resource version: " + rv);
                  }
                }
                Optional<ObjectStore.Subscription> subscribed =
                    store.subscribe(path.type().storageKey(), since, this::onEvent);
                if (subscribed.isEmpty()) {
                  return Optional.of(
                      "too old resource version: "
                          + rv
                          + " ("
                          + store.currentResourceVersion()
                          + ")");
                }
                subscription = subscribed.get();
                return Optional.empty();
              });
      if (expired.isPresent()) {
        ObjectNode error = Json.object().put("type", WatchEvent.ERROR);
        error.set("object", ApiException.gone(expired.get()).toStatus());
        context.runOnContext(
            v -> {
              send(Json.write(error));
              end();
            });
        open.remove(closer);
        return;
      }
      long timeout =
          params.contains("timeoutSeconds")
              ? Long.parseLong(params.get("timeoutSeconds"))
              : DEFAULT_TIMEOUT_SECONDS;
      vertx.setTimer(Math.max(1, timeout) * 1000, id -> closeFromServer());
    }

    /** Called with the store lock held, in commit order. */
    private void onEvent(WatchEvent event) {
      String namespace = path.namespace();
      if (namespace != null && !namespace.equals(event.namespace())) {
        return;
      }
      boolean matchesNow =
          !event.type().equals(WatchEvent.DELETED) && selector.test(event.object());
      boolean matchedBefore = event.previous() != null && selector.test(event.previous());
      if (event.type().equals(WatchEvent.DELETED)) {
        if (matchedBefore) {
          emit(WatchEvent.DELETED, event.object());
        }
      } else if (matchesNow && matchedBefore) {
        emit(WatchEvent.MODIFIED, event.object());
      } else if (matchesNow) {
        emit(WatchEvent.ADDED, event.object());
      } else if (matchedBefore) {
        // No longer selected: the watcher sees it leave, with the new resourceVersion.
        ObjectNode last = event.previous().deepCopy();
        Json.metadata(last).put("resourceVersion", Long.toString(event.resourceVersion()));
        emit(WatchEvent.DELETED, last);
      }
    }

    private void emit(String type, ObjectNode object) {
      ObjectNode event = Json.object().put("type", type);
      ObjectNode typed = EmbeddedApiServer.withKind(path.type(), object);
      if (representation == Representation.TABLE) {
        // Column definitions go with the first event only, as on a real server.
        event.set(
            "object",
            tables.table(
                path.type(),
                List.of(typed),
                Json.resourceVersion(object),
                !headersSent,
                EmbeddedApiServer.includeObject(params)));
        headersSent = true;
      } else if (representation == Representation.PARTIAL_METADATA) {
        event.set("object", Tables.partialMetadata(typed));
      } else {
        event.set("object", typed);
      }
      String json = Json.write(event);
      context.runOnContext(v -> send(json));
    }

    private void emitBookmark(long rv, boolean initialEventsEnd) {
      ObjectNode bookmark =
          Json.object().put("kind", path.type().kind()).put("apiVersion", path.type().apiVersion());
      ObjectNode metadata =
          bookmark.putObject("metadata").put("resourceVersion", Long.toString(rv));
      if (initialEventsEnd) {
        metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
      }
      ObjectNode event = Json.object().put("type", WatchEvent.BOOKMARK);
      event.set("object", bookmark);
      String json = Json.write(event);
      context.runOnContext(v -> send(json));
    }

    void close() {
      ObjectStore.Subscription current = subscription;
      if (current != null) {
        current.close();
      }
      open.remove(closer);
    }

    private void closeFromServer() {
      close();
      Context ctx = context;
      if (ctx != null) {
        ctx.runOnContext(v -> end());
      }
    }
  }
}
