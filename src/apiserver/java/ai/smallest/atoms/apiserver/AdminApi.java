package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The test controls of {@link EmbeddedApiServer} over HTTP, under {@value #PREFIX}: a path no
 * kube-apiserver serves, so no client mistakes it for the Kubernetes API. JSON in and out; requests
 * to it are neither counted nor subject to fault rules. {@code GET /_admin} lists the endpoints;
 * README.md ("The embedded API server's test controls") documents them.
 */
final class AdminApi {

  static final String SEGMENT = "_admin";
  static final String PREFIX = "/_admin/";

  private static final Map<String, String> ENDPOINTS = new LinkedHashMap<>();

  static {
    ENDPOINTS.put("POST /_admin/compact", "compact the history: older resourceVersions get 410");
    ENDPOINTS.put("GET /_admin/watches", "the open watches");
    ENDPOINTS.put(
        "POST /_admin/watches/expire[?resource=&namespace=&client=]",
        "compact, then end watches with an ERROR event 410 Expired (clients relist)");
    ENDPOINTS.put(
        "POST /_admin/watches/close[?resource=&namespace=&client=]",
        "close watches without error (clients resume from their resourceVersion)");
    ENDPOINTS.put("POST /_admin/watches/bookmark", "send a BOOKMARK to watches that allow them");
    ENDPOINTS.put("GET /_admin/faults", "the fault rules in force, with their hits");
    ENDPOINTS.put(
        "POST /_admin/faults",
        "add a rule: {verbs,resource,subresource,client,namespace,name,status,retryAfterSeconds,"
            + "latencyMillis,times,ratio,seed}");
    ENDPOINTS.put("DELETE /_admin/faults[/{id}]", "remove one rule or all");
    ENDPOINTS.put(
        "GET /_admin/requests[?client=&verb=&resource=&subresource=&namespace=&name=&groupBy=]",
        "request counts by client, verb, resource, subresource and object");
    ENDPOINTS.put("DELETE /_admin/requests", "reset the request counts");
    ENDPOINTS.put("GET /_admin/admission", "custom resources stored unvalidated");
    ENDPOINTS.put(
        "PUT /_admin/admission",
        "{\"enabled\": false[, \"resources\": [\"plural.group\"]]}: turn admission off or on");
  }

  private final EmbeddedApiServer server;

  AdminApi(EmbeddedApiServer server) {
    this.server = server;
  }

  /**
   * @param path the segments after {@code _admin}
   */
  void handle(HttpServerRequest request, List<String> path, byte[] body) {
    HttpMethod method = request.method();
    String route = method.name() + " " + String.join("/", path);
    MultiMap params = request.params();
    JsonNode answer =
        switch (route) {
          case "GET " -> index();
          case "POST compact" -> Json.object().put("compactedResourceVersion", server.compact());
          case "GET watches" -> watches();
          case "POST watches/expire" ->
              Json.object()
                  .put("expired", server.expireWatches(watchFilter(params)))
                  .put(
                      "compactedResourceVersion",
                      server.operations().store().compactedResourceVersion());
          case "POST watches/close" ->
              Json.object().put("closed", server.closeWatches(watchFilter(params)));
          case "POST watches/bookmark" -> Json.object().put("sent", server.sendBookmarks());
          case "GET faults" -> faults();
          case "POST faults" -> addFault(body);
          case "DELETE faults" -> {
            int removed = server.faults().rules().size();
            server.faults().clear();
            yield Json.object().put("removed", removed);
          }
          case "GET requests" -> requests(params);
          case "DELETE requests" -> {
            server.requests().reset();
            yield Json.object().put("reset", true);
          }
          case "GET admission" -> admission();
          case "PUT admission", "POST admission" -> setAdmission(body);
          default -> {
            if (method == HttpMethod.DELETE && path.size() == 2 && path.get(0).equals("faults")) {
              yield removeFault(path.get(1));
            }
            throw ApiException.notFound(
                "no admin endpoint " + route.replace(" ", " " + AdminApi.PREFIX));
          }
        };
    server.respondJson(request, route.equals("POST faults") ? 201 : 200, answer);
  }

  private static JsonNode index() {
    ObjectNode index = Json.object();
    ENDPOINTS.forEach(index::put);
    return index;
  }

  private JsonNode watches() {
    ObjectNode answer = Json.object();
    ArrayNode items = answer.putArray("items");
    for (WatchInfo info : server.watches()) {
      items.add(Json.MAPPER.valueToTree(info));
    }
    return answer;
  }

  private static Predicate<WatchInfo> watchFilter(MultiMap params) {
    String resource = params.get("resource");
    String namespace = params.get("namespace");
    String client = params.get("client");
    return info ->
        (resource == null
                || resource.equals(info.resource())
                || info.resource().startsWith(resource + "."))
            && (namespace == null || namespace.equals(info.namespace()))
            && (client == null || info.client() != null && info.client().contains(client));
  }

  private JsonNode faults() {
    ObjectNode answer = Json.object();
    ArrayNode items = answer.putArray("items");
    server.faults().rules().forEach(rule -> items.add(ruleJson(rule)));
    return answer;
  }

  private JsonNode addFault(byte[] body) {
    JsonNode json = Json.parse(body);
    if (!json.isObject()) {
      throw ApiException.badRequest("a fault rule is a JSON object");
    }
    try {
      RequestFilter match =
          new RequestFilter(
              text(json, "client"),
              json.has("verbs") ? strings(json.get("verbs")) : null,
              text(json, "resource"),
              text(json, "subresource"),
              text(json, "namespace"),
              text(json, "name"));
      Fault fault =
          new Fault(
              match,
              json.path("status").asInt(0),
              json.path("retryAfterSeconds").asInt(0),
              Duration.ofMillis(json.path("latencyMillis").asLong(0)),
              json.path("times").asInt(-1),
              json.path("ratio").asDouble(1.0),
              json.path("seed").asLong(0));
      return ruleJson(server.faults().add(fault));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private JsonNode removeFault(String id) {
    try {
      if (server.faults().remove(Long.parseLong(id))) {
        return Json.object().put("removed", 1);
      }
    } catch (NumberFormatException e) {
      // falls through to 404
    }
    throw ApiException.notFound("no fault rule " + id);
  }

  private static ObjectNode ruleJson(Faults.Rule rule) {
    Fault fault = rule.fault();
    RequestFilter match = fault.match();
    ObjectNode json = Json.object().put("id", rule.id());
    if (match.verbs() != null) {
      ArrayNode verbs = json.putArray("verbs");
      match.verbs().stream().sorted().forEach(verbs::add);
    }
    putIfSet(json, "resource", match.resource());
    putIfSet(json, "subresource", match.subresource());
    putIfSet(json, "client", match.client());
    putIfSet(json, "namespace", match.namespace());
    putIfSet(json, "name", match.name());
    json.put("status", fault.status())
        .put("retryAfterSeconds", fault.retryAfterSeconds())
        .put("latencyMillis", fault.latency().toMillis())
        .put("times", fault.times())
        .put("ratio", fault.ratio())
        .put("seed", fault.seed())
        .put("hits", rule.hits());
    return json;
  }

  private JsonNode requests(MultiMap params) {
    String verbs = params.get("verb");
    RequestFilter filter;
    try {
      filter =
          new RequestFilter(
              params.get("client"),
              verbs == null ? null : Set.of(verbs.split(",")),
              params.get("resource"),
              params.get("subresource"),
              params.get("namespace"),
              params.get("name"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Map<ApiRequest, long[]> counts = server.requests().snapshot(filter);
    List<String> groupBy =
        params.get("groupBy") == null
            ? List.of()
            : Arrays.stream(params.get("groupBy").split(",")).map(String::trim).toList();
    Map<List<String>, long[]> rows = new LinkedHashMap<>();
    long total = 0;
    long injected = 0;
    for (Map.Entry<ApiRequest, long[]> entry : counts.entrySet()) {
      List<String> key = rowKey(entry.getKey(), groupBy);
      long[] row = rows.computeIfAbsent(key, k -> new long[2]);
      row[0] += entry.getValue()[0];
      row[1] += entry.getValue()[1];
      total += entry.getValue()[0];
      injected += entry.getValue()[1];
    }
    List<String> columns = groupBy.isEmpty() ? COLUMNS : groupBy;
    List<Map.Entry<List<String>, long[]>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(
        Comparator.comparing(
            (Map.Entry<List<String>, long[]> e) -> String.join("\u0000", e.getKey())));
    ObjectNode answer = Json.object().put("total", total).put("injected", injected);
    ArrayNode items = answer.putArray("items");
    for (Map.Entry<List<String>, long[]> row : sorted) {
      ObjectNode item = items.addObject();
      for (int i = 0; i < columns.size(); i++) {
        putIfSet(item, columns.get(i), row.getKey().get(i));
      }
      item.put("count", row.getValue()[0]).put("injected", row.getValue()[1]);
    }
    return answer;
  }

  private static final List<String> COLUMNS =
      List.of("client", "verb", "resource", "subresource", "namespace", "name", "involvedObject");

  private static List<String> rowKey(ApiRequest request, List<String> groupBy) {
    List<String> columns = groupBy.isEmpty() ? COLUMNS : groupBy;
    List<String> key = new ArrayList<>();
    for (String column : columns) {
      key.add(
          switch (column) {
            case "client" -> request.client();
            case "verb" -> request.verb();
            case "resource" -> request.resource();
            case "subresource" -> request.subresource();
            case "namespace" -> request.namespace();
            case "name" -> request.name();
            case "involvedObject" -> request.involvedObject();
            default ->
                throw ApiException.badRequest(
                    "groupBy: unknown column " + column + "; one of " + COLUMNS);
          });
    }
    return key;
  }

  private JsonNode admission() {
    Admission admission = server.admission();
    ObjectNode answer = Json.object().put("enabled", !admission.allDisabled());
    ArrayNode disabled = answer.putArray("disabled");
    admission.disabled().stream().sorted().forEach(disabled::add);
    return answer;
  }

  private JsonNode setAdmission(byte[] body) {
    JsonNode json = Json.parse(body);
    if (!json.path("enabled").isBoolean()) {
      throw ApiException.badRequest("expected {\"enabled\": true|false[, \"resources\": [...]]}");
    }
    boolean enabled = json.get("enabled").asBoolean();
    Admission admission = server.admission();
    if (json.has("resources")) {
      for (String resource : strings(json.get("resources"))) {
        if (enabled) {
          admission.enable(resource);
        } else {
          admission.disable(resource);
        }
      }
    } else if (enabled) {
      admission.enableAll();
    } else {
      admission.disableAll();
    }
    return admission();
  }

  private static String text(JsonNode json, String field) {
    return json.hasNonNull(field) ? json.get(field).asText() : null;
  }

  private static Set<String> strings(JsonNode array) {
    if (!array.isArray()) {
      throw ApiException.badRequest("expected a list of strings");
    }
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return Set.copyOf(values);
  }

  private static void putIfSet(ObjectNode json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
