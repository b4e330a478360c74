package ai.smallest.atoms.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Request pipeline: route, count, add latency (the agent's own too, and its holds), apply a queued
 * fault, then run the endpoint.
 *
 * <p>Counting comes first so tests can assert on every attempt a client made, including the ones
 * that were rejected or sabotaged.
 */
final class SimulatorHttpHandler implements HttpHandler {

  private final RequestRouter router = new RequestRouter();
  private final CallCounters counters;
  private final FaultQueue faults;
  private final VersionsApi api;
  private final HostileReplies hostile;
  private final Supplier<Duration> latency;
  private final RandomFaults randomFaults;
  private final RequestLog log;
  private final AgentDelays agentDelays;

  SimulatorHttpHandler(
      CallCounters counters, FaultQueue faults, VersionsApi api, Supplier<Duration> latency) {
    this(counters, faults, api, latency, new RandomFaults(), new RequestLog(), new AgentDelays());
  }

  SimulatorHttpHandler(
      CallCounters counters,
      FaultQueue faults,
      VersionsApi api,
      Supplier<Duration> latency,
      RandomFaults randomFaults,
      RequestLog log,
      AgentDelays agentDelays) {
    this.counters = counters;
    this.faults = faults;
    this.api = api;
    this.hostile = new HostileReplies(api, api.store(), api.clock());
    this.latency = latency;
    this.randomFaults = randomFaults;
    this.log = log;
    this.agentDelays = agentDelays;
  }

  /** Reply meaning "close the connection without answering" (a simulated connection reset). */
  private static final HttpReply DROP = new HttpReply(0, null);

  @Override
  public void handle(HttpExchange exchange) {
    try (exchange) {
      HttpReply reply;
      try {
        reply = process(exchange);
        if (reply == DROP) {
          // Closing an exchange before sendResponseHeaders closes the connection: the
          // client sees it end without an answer, as with a reset.
          return;
        }
      } catch (InterruptedException e) {
        // The simulator is closing; drop the connection rather than answer.
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | IOException | Error e) {
        reply = JsonEnvelopes.error(500, "Internal server error");
      }
      send(exchange, reply);
    } catch (IOException clientWentAway) {
      // Typical after an injected timeout: the client gave up before we answered.
    } catch (InterruptedException closing) {
      // The simulator is closing while a hostile answer was still being written.
      Thread.currentThread().interrupt();
    }
  }

  private HttpReply process(HttpExchange exchange) throws IOException, InterruptedException {
    byte[] body = readBody(exchange);
    Route route = router.route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
    if (route instanceof Route.Unmatched unmatched) {
      Map<String, String> headers =
          unmatched.allow() == null ? Map.of() : Map.of("Allow", unmatched.allow());
      return JsonEnvelopes.error(unmatched.status(), unmatched.message(), headers);
    }
    Route.Matched matched = (Route.Matched) route;
    counters.record(matched.endpoint(), matched.agentId());
    java.time.Instant arrivedAt = log.now();
    long arrivedNanos = System.nanoTime();
    log.started();
    FaultKind random = null;
    HostileAnswer hostileAnswer = null;
    HttpReply reply = null;
    try {
      sleep(latency.get());
      sleep(agentDelays.latency(matched.agentId()));
      agentDelays.awaitLetGo(matched.agentId());
      Optional<Fault> fault = faults.next(matched.endpoint(), matched.agentId());
      if (fault.isPresent()) {
        sleep(fault.get().delay());
        if (fault.get().hostile().isPresent()) {
          hostileAnswer = fault.get().hostile().get();
          reply =
              hostile.reply(
                  fault.get(),
                  matched,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestURI().getRawQuery(),
                  body);
        } else if (fault.get().overridesStatus()) {
          reply = faultReply(fault.get());
        }
      } else {
        random = randomFaults.draw(matched.endpoint());
        reply = applyRandom(random, randomFaults.mix());
      }
      if (reply == null) {
        reply =
            api.handle(
                matched,
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestURI().getRawQuery(),
                body);
      }
      return reply;
    } finally {
      log.finished();
      if (log.recording()) {
        log.request(
            new RequestRecord(
                arrivedAt,
                arrivedNanos,
                matched.endpoint(),
                matched.agentId(),
                matched.versionId(),
                skipOf(matched.endpoint(), exchange.getRequestURI().getRawQuery()),
                reply == null || reply == DROP ? 0 : reply.status(),
                random,
                hostileAnswer));
      }
    }
  }

  /**
   * A reply for status faults and resets; null to go on (after sleeping for timeouts and spikes).
   */
  private static HttpReply applyRandom(FaultKind kind, FaultMix mix) throws InterruptedException {
    if (kind == null || mix == null) {
      return null;
    }
    return switch (kind) {
      case HTTP_500 -> faultReply(Fault.status(500));
      case HTTP_503 -> faultReply(Fault.status(503));
      case HTTP_429 -> faultReply(Fault.tooManyRequests(mix.retryAfterSeconds()));
      case CONNECTION_RESET -> DROP;
      case TIMEOUT -> {
        sleep(mix.timeoutDelay());
        yield null;
      }
      case LATENCY_SPIKE -> {
        sleep(mix.spikeDelay());
        yield null;
      }
    };
  }

  private static long skipOf(Endpoint endpoint, String rawQuery) {
    if (endpoint != Endpoint.LIST_VERSIONS || rawQuery == null) {
      return -1;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("skip=")) {
        try {
          return Long.parseLong(pair.substring(5));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static HttpReply faultReply(Fault fault) {
    Map<String, String> headers =
        fault.retryAfterSeconds() == null
            ? Map.of()
            : Map.of("Retry-After", String.valueOf(fault.retryAfterSeconds()));
    return JsonEnvelopes.error(fault.status(), messageFor(fault.status()), headers);
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 429 -> "Too many requests";
      case 500 -> "Internal server error";
      case 502 -> "Bad gateway";
      case 503 -> "Service unavailable";
      case 504 -> "Gateway timeout";
      default -> "Simulated failure (HTTP " + status + ")";
    };
  }

  private static void sleep(Duration duration) throws InterruptedException {
    if (duration != null && !duration.isZero() && !duration.isNegative()) {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  }

  /** Drained even when unused so keep-alive connections stay in a clean state. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, HttpReply reply)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    if (reply.streamer() != null) {
      exchange.sendResponseHeaders(reply.status(), 0); // chunked: no Content-Length
      reply.streamer().write(exchange.getResponseBody());
      return;
    }
    byte[] bytes =
        reply.raw() != null ? reply.raw() : JsonEnvelopes.MAPPER.writeValueAsBytes(reply.body());
    // -1: no body at all (an empty 200 or a redirect).
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
