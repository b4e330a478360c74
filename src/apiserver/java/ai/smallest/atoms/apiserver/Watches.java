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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Watches, streamed as newline-separated JSON over chunked HTTP (kubectl, client-go) or as text
 * frames over a WebSocket (Fabric8). Semantics follow the API server's watch cache: no or "0"
 * resourceVersion starts with synthetic ADDED events for what exists; a resourceVersion resumes
 * after it from the history, or fails with 410 Expired if it is too old; an object that stops
 * (starts) matching the selectors is seen as DELETED (ADDED); {@code sendInitialEvents=true} ends
 * the initial burst with a BOOKMARK; {@code allowWatchBookmarks=true} gets a BOOKMARK every
 * bookmark interval; the stream closes after {@code timeoutSeconds} or the server's watch timeout,
 * whichever comes first.
 *
 * <p>Open watches can be ended from outside, as a real cluster ends them: {@link #expire} sends the
 * ERROR event with 410 Expired that a watcher gets when its resourceVersion was compacted away (the
 * client must list again), {@link #close} just closes the stream, as a timeout, a restarting API
 * server or a dropped connection does (the client resumes from its last resourceVersion).
 */
final class Watches {

  private final Vertx vertx;
  private final ResourceOperations operations;
  private final Tables tables;
  private final Duration serverTimeout;
  private final Duration bookmarkInterval;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private long nextId = 1;

  /**
   * @param serverTimeout the longest a watch stays open, whatever it asks for
   * @param bookmarkInterval how often watches that allow bookmarks get one
   */
  Watches(
      Vertx vertx,
      ResourceOperations operations,
      Tables tables,
      Duration serverTimeout,
      Duration bookmarkInterval) {
    this.vertx = vertx;
    this.operations = operations;
    this.tables = tables;
    this.serverTimeout = serverTimeout;
    this.bookmarkInterval = bookmarkInterval;
  }

  /** Chunked HTTP watch. */
  void serve(
      HttpServerRequest request,
      ResourcePath path,
      MultiMap params,
      Representation representation,
      String client) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return;
    }
    Context context = vertx.getOrCreateContext();
    Stream stream =
        new Stream(path, params, representation, client, "http") {
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
  void serveWebSocket(
      HttpServerRequest request,
      ResourcePath path,
      MultiMap params,
      String client,
      long delayMillis) {
    request
        .toWebSocket()
        .onSuccess(
            socket -> {
              Context context = vertx.getOrCreateContext();
              Stream stream =
                  new Stream(path, params, Representation.JSON, client, "websocket") {
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
              if (delayMillis > 0) {
                // A slow server: the first event comes late (the upgrade itself cannot wait).
                vertx.setTimer(delayMillis, t -> stream.start(context));
              } else {
                stream.start(context);
              }
            });
  }

  List<WatchInfo> list() {
    return open.stream().map(Stream::info).sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
  }

  /**
   * Ends the matching watches with an ERROR event carrying 410 Expired, as a watch whose
   * resourceVersion was compacted away ends: clients list again before they watch.
   *
   * @return how many were ended
   */
  int expire(Predicate<WatchInfo> which) {
    return end(which, true);
  }

  /**
   * Closes the matching watches without an error, as a timeout or a dropped connection: clients
   * resume from the last resourceVersion they saw.
   *
   * @return how many were closed
   */
  int close(Predicate<WatchInfo> which) {
    return end(which, false);
  }

  private int end(Predicate<WatchInfo> which, boolean expired) {
    int ended = 0;
    for (Stream stream : List.copyOf(open)) {
      if (which.test(stream.info())) {
        if (expired) {
          stream.expire("The resourceVersion for the provided watch is too old.");
        } else {
          stream.closeFromServer();
        }
        ended++;
      }
    }
    return ended;
  }

  /**
   * Sends a BOOKMARK with the current resourceVersion to every watch that allows bookmarks.
   *
   * @return how many were sent
   */
  int bookmark() {
    int sent = 0;
    for (Stream stream : List.copyOf(open)) {
      if (stream.bookmarks && stream.bookmarkNow()) {
        sent++;
      }
    }
    return sent;
  }

  void closeAll() {
    close(info -> true);
  }

  private synchronized long nextId() {
    return nextId++;
  }

  /** One watch: its filters, its subscription, and a transport to write to. */
  private abstract class Stream {
    private final long id = nextId();
    private final ResourcePath path;
    private final MultiMap params;
    private final Representation representation;
    private final Predicate<JsonNode> selector;
    private final String client;
    private final String transport;
    private final boolean bookmarks;
    private final long startedAtMillis = System.currentTimeMillis();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ObjectStore.Subscription subscription;
    private volatile Context context;
    private boolean headersSent;
    private volatile long sent;
    private final List<Long> timers = new ArrayList<>();

    Stream(
        ResourcePath path,
        MultiMap params,
        Representation representation,
        String client,
        String transport) {
      this.path = path;
      this.params = params;
      this.representation = representation;
      this.client = client;
      this.transport = transport;
      this.bookmarks = "true".equals(params.get("allowWatchBookmarks"));
      Predicate<JsonNode> selector = EmbeddedApiServer.selector(path, params);
      if (path.name() != null) {
        // GET .../name?watch=true: a watch on that object only.
        selector = selector.and(o -> path.name().equals(Json.name(o)));
      }
      this.selector = selector;
    }

    abstract void send(String json);

    abstract void end();

    WatchInfo info() {
      return new WatchInfo(
          id,
          ApiException.qualified(path.type()),
          path.namespace(),
          client,
          transport,
          bookmarks,
          startedAtMillis,
          sent);
    }

    void start(Context context) {
      this.context = context;
      if (closed.get()) {
        return;
      }
      open.add(this);
      String rv = params.get("resourceVersion");
      boolean initialEvents = "true".equals(params.get("sendInitialEvents"));
      ObjectStore store = operations.store();
      Optional<String> expired =
          store.locked(
              () -> {
                long since;
                if (rv == null || rv.isEmpty() || rv.equals("0") || initialEvents) {
                  since = store.currentResourceVersion();
                  for (ObjectNode object : store.sharedList(path.type(), path.namespace())) {
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
                          + (store.compactedResourceVersion() + 1)
                          + ")");
                }
                subscription = subscribed.get();
                return Optional.empty();
              });
      if (expired.isPresent()) {
        expire(expired.get());
        return;
      }
      long timeout = serverTimeout.toMillis();
      if (params.contains("timeoutSeconds")) {
        try {
          timeout =
              Math.min(timeout, Math.max(1, Long.parseLong(params.get("timeoutSeconds"))) * 1000);
        } catch (NumberFormatException e) {
          // ignored, as the API server ignores a malformed timeout
        }
      }
      synchronized (timers) {
        timers.add(vertx.setTimer(Math.max(1, timeout), t -> closeFromServer()));
        if (bookmarks) {
          long every = Math.max(1, bookmarkInterval.toMillis());
          timers.add(vertx.setPeriodic(every, every, t -> bookmarkNow()));
        }
      }
      if (closed.get()) {
        // The client left while the watch was starting.
        release();
      }
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

    /**
     * Queues one event on the watch's context; called in commit order (under the store lock), so
     * events leave in that order. Stored objects are immutable, so rendering can wait for the
     * context.
     */
    private void emit(String type, ObjectNode object) {
      long rv = parseResourceVersion(object);
      context.runOnContext(
          v -> {
            send(render(type, object));
            sent = Math.max(sent, rv);
          });
    }

    private static long parseResourceVersion(ObjectNode object) {
      try {
        return Long.parseLong(String.valueOf(Json.resourceVersion(object)));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private String render(String type, ObjectNode object) {
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
      return Json.write(event);
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
      context.runOnContext(
          v -> {
            send(json);
            sent = Math.max(sent, rv);
          });
    }

    /**
     * A BOOKMARK at the current resourceVersion, queued under the store lock so that it follows
     * every event it vouches for.
     */
    boolean bookmarkNow() {
      if (closed.get() || subscription == null) {
        return false;
      }
      ObjectStore store = operations.store();
      store.locked(
          () -> {
            emitBookmark(store.currentResourceVersion(), false);
            return null;
          });
      return true;
    }

    /** Ends the watch with an ERROR event: 410 Expired, with {@code message}. */
    void expire(String message) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      release();
      ObjectNode error = Json.object().put("type", WatchEvent.ERROR);
      error.set("object", ApiException.gone(message).toStatus());
      String json = Json.write(error);
      context.runOnContext(
          v -> {
            send(json);
            end();
          });
    }

    /** The client went away. */
    void close() {
      if (closed.compareAndSet(false, true)) {
        release();
      }
    }

    /** The server ends the watch (timeout, shutdown, on request). */
    void closeFromServer() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      release();
      Context ctx = context;
      if (ctx != null) {
        ctx.runOnContext(v -> end());
      }
    }

    private void release() {
      ObjectStore.Subscription current = subscription;
      if (current != null) {
        current.close();
      }
      open.remove(this);
      cancelTimers();
    }

    private void cancelTimers() {
      synchronized (timers) {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
      }
    }
  }
}
