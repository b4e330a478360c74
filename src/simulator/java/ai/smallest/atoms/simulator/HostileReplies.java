package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Builds the reply of a {@link HostileAnswer}, from the real answer where the kind lies about it.
 */
final class HostileReplies {

  static final String OTHER_AGENT = "agent-someone-else";
  static final int OVERSIZED_PADDING = 2 * 1024 * 1024;

  private static final byte[] HTML =
      "<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We'll be back soon</h1></body></html>"
          .getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> HTML_TYPE =
      Map.of("Content-Type", "text/html; charset=utf-8");

  private final VersionsApi api;
  private final VersionStore store;
  private final Clock clock;

  HostileReplies(VersionsApi api, VersionStore store, Clock clock) {
    this.api = api;
    this.store = store;
    this.clock = clock;
  }

  HttpReply reply(
      Fault fault, Route.Matched route, String authorization, String rawQuery, byte[] body) {
    HostileAnswer kind = fault.hostile().orElseThrow();
    return switch (kind) {
      case NOT_JSON -> HttpReply.raw(200, HTML, HTML_TYPE);
      case EMPTY_BODY -> HttpReply.raw(200, new byte[0], Map.of());
      case TRUNCATED_JSON -> rawOf(real(route, authorization, rawQuery, body), bytes -> cut(bytes));
      case TRAILING_GARBAGE ->
          rawOf(
              real(route, authorization, rawQuery, body),
              bytes -> concat(bytes, " {\"status\":false}"));
      case STATUS_FALSE ->
          edit(route, authorization, rawQuery, body, root -> root.put("status", false));
      case NO_DATA -> edit(route, authorization, rawQuery, body, root -> root.remove("data"));
      case MISSING_ID -> editVersions(route, authorization, rawQuery, body, v -> v.remove("_id"));
      case MISSING_IS_ACTIVE ->
          editVersions(route, authorization, rawQuery, body, v -> v.remove("isActive"));
      case WRONG_TYPES ->
          editVersions(
              route,
              authorization,
              rawQuery,
              body,
              v -> {
                v.put("versionNumber", v.path("versionNumber").asText());
                v.put("isActive", v.path("isActive").asText());
              });
      case UNSAFE_ID ->
          editVersions(route, authorization, rawQuery, body, v -> v.put("_id", "../../admin"));
      case OVERSIZED -> oversized(real(route, authorization, rawQuery, body));
      case TRICKLE -> trickle(real(route, authorization, rawQuery, body), fault.trickleEvery());
      case REDIRECT ->
          HttpReply.raw(
              302,
              new byte[0],
              Map.of("Location", "http://collector.invalid/atoms/v1/agent/steal"));
      case VERSIONS_NOT_ARRAY ->
          edit(route, authorization, rawQuery, body, root -> data(root).putObject("versions"));
      case ALL_ACTIVE ->
          editVersions(route, authorization, rawQuery, body, v -> v.put("isActive", true));
      case DUPLICATE_VERSION ->
          edit(
              route,
              authorization,
              rawQuery,
              body,
              root -> {
                ArrayNode versions = (ArrayNode) data(root).path("versions");
                if (!versions.isEmpty()) {
                  versions.add(versions.get(0).deepCopy());
                }
              });
      case OTHER_AGENT ->
          editVersions(route, authorization, rawQuery, body, v -> v.put("agent", OTHER_AGENT));
      case TOTAL_TOO_HIGH ->
          edit(
              route,
              authorization,
              rawQuery,
              body,
              root -> data(root).put("total", data(root).path("total").asInt() + 1000));
      case TOTAL_TOO_LOW ->
          edit(
              route,
              authorization,
              rawQuery,
              body,
              root -> data(root).put("total", skip(rawQuery) + data(root).path("versions").size()));
      case IGNORE_SKIP -> listWith(route, authorization, body, rawQuery, q -> q.withSkip(0));
      case REPEAT_PAGE ->
          listWith(
              route,
              authorization,
              body,
              rawQuery,
              q -> q.withSkip(Math.max(0, q.skip() - q.limit())));
      case SHRINK_PAGE ->
          listWith(
              route, authorization, body, rawQuery, q -> q.withLimit(Math.max(1, q.limit() / 2)));
      case IGNORE_PIN_FILTER ->
          listWith(route, authorization, body, rawQuery, q -> q.withPinned(null));
      case ARCHIVE_BETWEEN_PAGES -> {
        HttpReply reply = real(route, authorization, rawQuery, body);
        if (reply.status() == 200) {
          store.archiveNewestInactive(route.agentId());
        }
        yield reply;
      }
      case ACTIVATE_OTHER_VERSION -> activateLie(route, authorization, rawQuery, body, kind);
      case ACTIVATE_NOT_ACTIVE -> activateLie(route, authorization, rawQuery, body, kind);
      case ACTIVATE_OTHER_AGENT -> activateLie(route, authorization, rawQuery, body, kind);
      case BAD_REQUEST_NOT_PUBLISHED ->
          JsonEnvelopes.error(400, "Only published versions can be activated");
      case BAD_REQUEST_INVALID_INPUT ->
          JsonEnvelopes.error(400, "\"versionId\" must be a valid id");
      case BAD_REQUEST_HTML -> HttpReply.raw(400, HTML, HTML_TYPE);
      case UNAUTHORIZED -> JsonEnvelopes.error(401, "Unauthorized");
      case FORBIDDEN -> JsonEnvelopes.forbidden();
      case AGENT_NOT_FOUND -> JsonEnvelopes.error(404, "Agent not found");
      case VERSION_NOT_FOUND -> JsonEnvelopes.error(404, "Version not found");
      case AGENT_OR_VERSION_NOT_FOUND -> JsonEnvelopes.error(404, "Agent or version not found");
      case CONFLICT -> JsonEnvelopes.error(409, "Another activation of this agent is in progress");
      case PAYLOAD_TOO_LARGE -> JsonEnvelopes.error(413, "Request entity too large");
      case UNSUPPORTED_MEDIA_TYPE -> JsonEnvelopes.error(415, "Unsupported media type");
      case UNPROCESSABLE -> JsonEnvelopes.error(422, "Validation failed for versionId");
      case INTERNAL_ERROR -> JsonEnvelopes.error(500, "Internal server error");
      case BAD_GATEWAY_HTML -> HttpReply.raw(502, HTML, HTML_TYPE);
      case ERROR_FLOOD -> errorFlood(authorization);
      case RETRY_AFTER_SECONDS -> tooMany(429, "2");
      case RETRY_AFTER_HTTP_DATE -> tooMany(429, httpDate(Duration.ofSeconds(30)));
      case RETRY_AFTER_NEGATIVE -> tooMany(429, "-5");
      case RETRY_AFTER_GARBAGE -> tooMany(429, "soon");
      case RETRY_AFTER_OVERFLOWING -> tooMany(429, "99999999999999999999");
      case RETRY_AFTER_ONE_YEAR -> tooMany(429, String.valueOf(Duration.ofDays(365).toSeconds()));
      case UNAVAILABLE_RETRY_AFTER_ONE_YEAR -> tooMany(503, httpDate(Duration.ofDays(365)));
    };
  }

  // ---- lies built on the real answer --------------------------------------------------------

  private HttpReply real(Route.Matched route, String authorization, String rawQuery, byte[] body) {
    return api.handle(route, authorization, rawQuery, body);
  }

  private interface Edit {
    void apply(ObjectNode root);
  }

  private interface VersionEdit {
    void apply(ObjectNode version);
  }

  private interface BytesEdit {
    byte[] apply(byte[] bytes);
  }

  /** Edits a real 200 answer; any other real answer (401, 404…) goes out as it is. */
  private HttpReply edit(
      Route.Matched route, String authorization, String rawQuery, byte[] body, Edit edit) {
    HttpReply reply = real(route, authorization, rawQuery, body);
    if (reply.status() != 200 || !(reply.body() instanceof ObjectNode root)) {
      return reply;
    }
    ObjectNode copy = root.deepCopy();
    edit.apply(copy);
    return new HttpReply(200, copy, reply.headers());
  }

  private HttpReply editVersions(
      Route.Matched route, String authorization, String rawQuery, byte[] body, VersionEdit edit) {
    return edit(
        route,
        authorization,
        rawQuery,
        body,
        root -> {
          for (ObjectNode version : versions(root)) {
            edit.apply(version);
          }
        });
  }

  private HttpReply rawOf(HttpReply reply, BytesEdit edit) {
    if (reply.status() != 200 || reply.body() == null) {
      return reply;
    }
    return HttpReply.raw(200, edit.apply(bytes(reply)), reply.headers());
  }

  private interface QueryEdit {
    ListVersionsQuery apply(ListVersionsQuery query);
  }

  /** The real list answer to another query than the one asked; the query must be valid. */
  private HttpReply listWith(
      Route.Matched route, String authorization, byte[] body, String rawQuery, QueryEdit edit) {
    ListVersionsQuery query;
    try {
      query = ListVersionsQuery.parse(rawQuery);
    } catch (IllegalArgumentException invalid) {
      return real(route, authorization, rawQuery, body);
    }
    return real(route, authorization, edit.apply(query).toRawQuery(), body);
  }

  private HttpReply activateLie(
      Route.Matched route, String authorization, String rawQuery, byte[] body, HostileAnswer kind) {
    if (!api.isAuthorized(authorization)) {
      return real(route, authorization, rawQuery, body);
    }
    try {
      SimVersion asked = store.byId(route.agentId(), route.versionId());
      if (!asked.isPublished()) {
        return real(route, authorization, rawQuery, body);
      }
      ObjectNode answer;
      if (kind == HostileAnswer.ACTIVATE_OTHER_VERSION) {
        Optional<SimVersion> other =
            store.all(route.agentId()).stream()
                .filter(v -> v.isPublished() && !v.id().equals(asked.id()))
                .sorted((a, b) -> Boolean.compare(b.isActive(), a.isActive()))
                .findFirst();
        if (other.isEmpty()) {
          return real(route, authorization, rawQuery, body);
        }
        answer = VersionJson.toJson(other.get());
        answer.put("isActive", true);
      } else {
        answer = VersionJson.toJson(asked);
        answer.put("isActive", kind == HostileAnswer.ACTIVATE_OTHER_AGENT);
        if (kind == HostileAnswer.ACTIVATE_OTHER_AGENT) {
          answer.put("agent", OTHER_AGENT);
        }
      }
      return JsonEnvelopes.ok(answer);
    } catch (NoSuchElementException unknown) {
      return real(route, authorization, rawQuery, body);
    }
  }

  // ---- bodies -------------------------------------------------------------------------------

  private static HttpReply oversized(HttpReply reply) {
    if (reply.status() != 200 || reply.body() == null) {
      return reply;
    }
    byte[] json = bytes(reply);
    return HttpReply.streamed(
        200,
        out -> {
          byte[] spaces = new byte[64 * 1024];
          java.util.Arrays.fill(spaces, (byte) ' ');
          for (int written = 0; written < OVERSIZED_PADDING; written += spaces.length) {
            out.write(spaces);
          }
          out.write(json);
        });
  }

  private static HttpReply trickle(HttpReply reply, Duration every) {
    byte[] json = reply.body() == null ? new byte[0] : bytes(reply);
    return HttpReply.streamed(
        reply.status(),
        out -> {
          for (byte b : json) {
            out.write(b);
            out.flush();
            Thread.sleep(every.toMillis(), every.toNanosPart() % 1_000_000);
          }
        });
  }

  private static HttpReply errorFlood(String authorization) {
    String key =
        authorization == null ? "" : authorization.replaceFirst("(?i)^\\s*bearer\\s+", "").strip();
    ObjectNode root = JsonEnvelopes.MAPPER.createObjectNode().put("status", false);
    ArrayNode errors = root.putArray("errors");
    String filler = "x".repeat(10_000);
    for (int i = 0; i < 50; i++) {
      errors.add("error " + i + ": the key " + key + " was rejected\n" + filler);
    }
    return new HttpReply(500, root);
  }

  private HttpReply tooMany(int status, String retryAfter) {
    return JsonEnvelopes.error(
        status,
        status == 429 ? "Too many requests" : "Service unavailable",
        Map.of("Retry-After", retryAfter));
  }

  private String httpDate(Duration ahead) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        clock.instant().plus(ahead).atOffset(ZoneOffset.UTC));
  }

  // ---- JSON helpers -------------------------------------------------------------------------

  private static ObjectNode data(ObjectNode root) {
    JsonNode data = root.get("data");
    return data instanceof ObjectNode object ? object : root.putObject("data");
  }

  /** The versions of a list answer, or the one version of an activate answer. */
  private static List<ObjectNode> versions(ObjectNode root) {
    List<ObjectNode> versions = new ArrayList<>();
    JsonNode data = root.get("data");
    if (data == null) {
      return versions;
    }
    JsonNode list = data.get("versions");
    if (list != null && list.isArray()) {
      list.forEach(v -> versions.add((ObjectNode) v));
    } else if (data instanceof ObjectNode version) {
      versions.add(version);
    }
    return versions;
  }

  private static long skip(String rawQuery) {
    try {
      return ListVersionsQuery.parse(rawQuery).skip();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private static byte[] bytes(HttpReply reply) {
    try {
      return JsonEnvelopes.MAPPER.writeValueAsBytes(reply.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] cut(byte[] bytes) {
    return java.util.Arrays.copyOf(bytes, bytes.length / 2);
  }

  private static byte[] concat(byte[] bytes, String tail) {
    byte[] extra = tail.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + extra.length);
    System.arraycopy(extra, 0, out, bytes.length, extra.length);
    return out;
  }
}
