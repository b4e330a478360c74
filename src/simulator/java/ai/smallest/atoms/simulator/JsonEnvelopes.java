package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The Atoms response envelopes: {@code {status:true,data}} and {@code {status:false,errors}}. */
final class JsonEnvelopes {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonEnvelopes() {}

  static HttpReply ok(JsonNode data) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", true);
    body.set("data", data);
    return new HttpReply(200, body);
  }

  static HttpReply error(int status, String message) {
    return error(status, message, Map.of());
  }

  static HttpReply error(int status, String message, Map<String, String> headers) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", false);
    ArrayNode errors = body.putArray("errors");
    errors.add(message);
    return new HttpReply(status, body, headers);
  }

  /** The contract documents 403 as a bare ApiResponse, without an errors array. */
  static HttpReply forbidden() {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", false);
    body.putObject("data");
    return new HttpReply(403, body);
  }

  static HttpReply versionList(List<SimVersion> versions, int total) {
    ObjectNode data = MAPPER.createObjectNode();
    ArrayNode items = data.putArray("versions");
    versions.forEach(v -> items.add(VersionJson.toJson(v)));
    data.put("total", total);
    return ok(data);
  }

  static HttpReply version(SimVersion version) {
    return ok(VersionJson.toJson(version));
  }
}
