package ai.smallest.atoms.sandbox;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.HostileAnswer;
import ai.smallest.atoms.simulator.SimVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP controls of the sandbox's Atoms simulator, for people and tests to play "someone else":
 *
 * <ul>
 *   <li>{@code POST /admin/agents/{agentId}/activate?version=N} (or {@code ?versionId=...}; {@code
 *       &by=USER} to act as someone else than the console user): a console activation, the drift
 *       the operator corrects (not counted as an API call);
 *   <li>{@code POST /admin/agents/{agentId}/publish[?label=L]}: publish the next version;
 *   <li>{@code POST /admin/agents/{agentId}/versions/{N}/pin}, {@code .../unpin}, {@code
 *       .../archive}, {@code .../label?label=L}: what the console does to a version;
 *   <li>{@code GET /admin/agents/{agentId}}: the agent's versions and which one is live;
 *   <li>{@code GET /admin/calls}: the API calls the operator made, per endpoint and agent;
 *   <li>{@code GET /admin/faults}: every {@link HostileAnswer} the simulator can give, with the
 *       endpoints it applies to;
 *   <li>{@code POST /admin/agents/{agentId}/faults?kind=IGNORE_SKIP[&endpoint=list|activate]
 *       [&times=N|always][&everyMillis=N]}: make the API misbehave for this agent (default: once,
 *       on every endpoint the kind applies to; {@code everyMillis} paces a {@code TRICKLE});
 *   <li>{@code DELETE /admin/agents/{agentId}/faults}: behave again.
 * </ul>
 */
public final class SimulatorAdminServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomsSimulator simulator;
  private final List<String> agentIds;
  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread thread = new Thread(r, "sandbox-admin");
            thread.setDaemon(true);
            return thread;
          });

  public SimulatorAdminServer(AtomsSimulator simulator, List<String> agentIds, int port) {
    this.simulator = simulator;
    this.agentIds = agentIds;
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the simulator admin endpoint on port " + port, e);
    }
    server.createContext("/admin/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/admin";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String[] path = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      if (path.length == 3 && path[2].equals("calls") && method.equals("GET")) {
        reply(exchange, 200, calls());
      } else if (path.length == 5
          && path[2].equals("agents")
          && path[4].equals("publish")
          && method.equals("POST")) {
        reply(exchange, 200, publish(path[3], query));
      } else if (path.length == 7
          && path[2].equals("agents")
          && path[4].equals("versions")
          && method.equals("POST")) {
        reply(exchange, 200, changeVersion(path[3], path[5], path[6], query));
      } else if (path.length == 3 && path[2].equals("faults") && method.equals("GET")) {
        reply(exchange, 200, faultKinds());
      } else if (path.length == 5
          && path[2].equals("agents")
          && path[4].equals("faults")
          && method.equals("POST")) {
        reply(exchange, 200, injectFault(path[3], query));
      } else if (path.length == 5
          && path[2].equals("agents")
          && path[4].equals("faults")
          && method.equals("DELETE")) {
        simulator.clearFaults(path[3]);
        reply(
            exchange,
            200,
            JSON.createObjectNode().put("message", "faults of " + path[3] + " cleared"));
      } else if (path.length == 4 && path[2].equals("agents") && method.equals("GET")) {
        reply(exchange, 200, agent(path[3]));
      } else if (path.length == 5
          && path[2].equals("agents")
          && path[4].equals("activate")
          && method.equals("POST")) {
        reply(exchange, 200, activate(path[3], query));
      } else {
        reply(
            exchange,
            404,
            error(
                "no such admin endpoint; try POST /admin/agents/agent-support/activate?version=2"));
      }
    } catch (NoSuchElementException e) {
      reply(exchange, 404, error(e.getMessage()));
    } catch (IllegalStateException | IllegalArgumentException e) {
      reply(exchange, 400, error(e.getMessage()));
    } finally {
      exchange.close();
    }
  }

  private ObjectNode activate(String agentId, Map<String, String> query) {
    String versionId = query.get("versionId");
    if (versionId == null) {
      String number = query.get("version");
      if (number == null) {
        throw new IllegalArgumentException("give ?version=N or ?versionId=ID");
      }
      int wanted = Integer.parseInt(number);
      versionId =
          simulator.versions(agentId).stream()
              .filter(v -> v.versionNumber() != null && v.versionNumber() == wanted)
              .map(SimVersion::id)
              .findFirst()
              .orElseThrow(
                  () ->
                      new NoSuchElementException("agent " + agentId + " has no version " + wanted));
    }
    String by = query.getOrDefault("by", DemoAgents.CONSOLE_USER);
    SimVersion live = simulator.consoleActivate(agentId, versionId, by);
    ObjectNode reply = describe(live);
    reply.put(
        "message",
        "activated in the \"console\" as " + by + "; the operator reverts this at its next resync");
    return reply;
  }

  private ObjectNode publish(String agentId, Map<String, String> query) {
    simulator.versions(agentId); // 404 for an unknown agent rather than creating one
    SimVersion published = simulator.agent(agentId).publish(query.get("label"));
    return describe(published).put("message", "published version " + published.versionNumber());
  }

  private ObjectNode changeVersion(
      String agentId, String number, String action, Map<String, String> query) {
    simulator.versions(agentId); // 404 for an unknown agent
    int versionNumber = Integer.parseInt(number);
    var agent = simulator.agent(agentId);
    switch (action) {
      case "pin" -> agent.pinned(versionNumber);
      case "unpin" -> agent.unpinned(versionNumber);
      case "archive" -> agent.archived(versionNumber);
      case "label" -> {
        if (!query.containsKey("label")) {
          throw new IllegalArgumentException("give ?label=L");
        }
        agent.label(versionNumber, query.get("label"));
      }
      default ->
          throw new IllegalArgumentException(
              "no version action " + action + "; use pin, unpin, archive or label");
    }
    return describe(agent.versionNumber(versionNumber)).put("message", action + " done");
  }

  private static ObjectNode faultKinds() {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode kinds = reply.putArray("kinds");
    for (HostileAnswer kind : HostileAnswer.values()) {
      ObjectNode node =
          kinds.addObject().put("kind", kind.name()).put("description", kind.description());
      ArrayNode endpoints = node.putArray("endpoints");
      kind.endpoints().forEach(e -> endpoints.add(endpointName(e)));
    }
    return reply;
  }

  private ObjectNode injectFault(String agentId, Map<String, String> query) {
    String name = query.get("kind");
    if (name == null) {
      throw new IllegalArgumentException("give ?kind=NAME; GET /admin/faults lists them");
    }
    HostileAnswer kind;
    try {
      kind = HostileAnswer.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "no fault kind " + name + "; GET /admin/faults lists them");
    }
    List<Endpoint> endpoints =
        query.containsKey("endpoint")
            ? List.of(endpoint(query.get("endpoint")))
            : List.copyOf(kind.endpoints());
    for (Endpoint endpoint : endpoints) {
      if (!kind.appliesTo(endpoint)) {
        throw new IllegalArgumentException(kind + " does not apply to " + endpointName(endpoint));
      }
    }
    Fault fault =
        query.containsKey("everyMillis")
            ? Fault.trickle(java.time.Duration.ofMillis(Long.parseLong(query.get("everyMillis"))))
            : Fault.hostile(kind);
    if (query.containsKey("everyMillis") && kind != HostileAnswer.TRICKLE) {
      throw new IllegalArgumentException("everyMillis only paces TRICKLE");
    }
    String times = query.getOrDefault("times", "1");
    for (Endpoint endpoint : endpoints) {
      if (times.equals("always")) {
        simulator.alwaysFault(endpoint, agentId, fault);
      } else {
        simulator.injectFault(endpoint, agentId, fault, Integer.parseInt(times));
      }
    }
    ObjectNode reply = JSON.createObjectNode().put("agentId", agentId).put("kind", kind.name());
    reply.put("times", times);
    ArrayNode on = reply.putArray("endpoints");
    endpoints.forEach(e -> on.add(endpointName(e)));
    return reply.put("message", kind.description());
  }

  private static Endpoint endpoint(String name) {
    return switch (name) {
      case "list" -> Endpoint.LIST_VERSIONS;
      case "activate" -> Endpoint.ACTIVATE_VERSION;
      default -> throw new IllegalArgumentException("endpoint must be list or activate");
    };
  }

  private static String endpointName(Endpoint endpoint) {
    return endpoint == Endpoint.LIST_VERSIONS ? "list" : "activate";
  }

  private ObjectNode agent(String agentId) {
    ObjectNode reply = JSON.createObjectNode().put("agentId", agentId);
    ArrayNode versions = reply.putArray("versions");
    for (SimVersion version : simulator.versions(agentId)) {
      versions.add(describe(version));
    }
    return reply;
  }

  private ObjectNode calls() {
    ObjectNode reply = JSON.createObjectNode();
    for (Endpoint endpoint : Endpoint.values()) {
      ObjectNode perEndpoint = reply.putObject(endpoint.name());
      perEndpoint.put("total", simulator.calls(endpoint));
      for (String agentId : agentIds) {
        perEndpoint.put(agentId, simulator.calls(endpoint, agentId));
      }
    }
    return reply;
  }

  private static ObjectNode describe(SimVersion version) {
    ObjectNode node =
        JSON.createObjectNode().put("id", version.id()).put("status", version.status());
    if (version.versionNumber() != null) {
      node.put("versionNumber", version.versionNumber());
    }
    node.put("label", version.label())
        .put("active", version.isActive())
        .put("pinned", version.isPinned());
    if (version.activatedBy() != null) {
      node.put("activatedBy", version.activatedBy())
          .put("activatedAt", String.valueOf(version.activatedAt()));
    }
    return node;
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void reply(HttpExchange exchange, int code, ObjectNode body) throws IOException {
    byte[] bytes =
        (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
