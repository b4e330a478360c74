package ai.smallest.atoms.operator.atoms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP server for client tests, for answers the simulator has no reason to give (or
 * before it can): every request is recorded with its raw path, and answered by the current {@link
 * Script}.
 */
final class StubAtoms implements AutoCloseable {

  static {
    // As in AtomsSimulator: without it every answer waits ~40 ms for the client's delayed ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Answers one request; {@code call} counts from 1. */
  interface Script {
    void answer(HttpExchange exchange, int call) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(daemon());
  private final List<String> rawRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Script script = (exchange, call) -> json(exchange, 200, "{}");

  private StubAtoms() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            rawRequests.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
            script.answer(exchange, calls.incrementAndGet());
          } catch (IOException | InterruptedException clientGone) {
            // The client gave up (deadline, size cap) or the stub is closing.
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  static StubAtoms start() {
    return new StubAtoms();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/atoms/v1";
  }

  StubAtoms answer(Script script) {
    this.script = script;
    return this;
  }

  int calls() {
    return calls.get();
  }

  /** "GET /atoms/v1/agent/a/versions?limit=100&skip=0", raw (still percent-encoded). */
  List<String> requests() {
    return List.copyOf(rawRequests);
  }

  // ---- answers ------------------------------------------------------------------------------

  static void json(HttpExchange exchange, int status, String body) throws IOException {
    json(exchange, status, body, Map.of());
  }

  static void json(HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** Headers at once, then one byte per {@code every}, for as long as the client listens. */
  static void trickle(HttpExchange exchange, Duration every)
      throws IOException, InterruptedException {
    exchange.sendResponseHeaders(200, 0);
    OutputStream body = exchange.getResponseBody();
    body.write("{\"status\":true,\"data\":{\"versions\":[".getBytes(StandardCharsets.UTF_8));
    body.flush();
    for (int i = 0; i < 100_000; i++) {
      Thread.sleep(every.toMillis());
      body.write(' ');
      body.flush();
    }
  }

  /** A chunked (no Content-Length) body of {@code size} bytes of valid-looking JSON whitespace. */
  static void chunked(HttpExchange exchange, int status, long size) throws IOException {
    exchange.sendResponseHeaders(status, 0);
    OutputStream body = exchange.getResponseBody();
    byte[] spaces = new byte[64 * 1024];
    java.util.Arrays.fill(spaces, (byte) ' ');
    for (long written = 0; written < size; written += spaces.length) {
      body.write(spaces);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "stub-atoms");
      thread.setDaemon(true);
      return thread;
    };
  }
}
