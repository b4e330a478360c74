package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A list's continue token, in the API server's own format: unpadded URL-safe base64 of {@code
 * {"v":"meta.k8s.io/v1","rv":<snapshot>,"start":"<next key>"}}, where the next key is the last
 * returned key followed by a NUL, so that it sorts right after it. Clients treat it as opaque.
 *
 * @param resourceVersion the snapshot the first page was read at; later pages read it too
 * @param startKey the first key ({@code namespace/name}) the next page may return
 */
record ContinueToken(long resourceVersion, String startKey) {

  private static final String VERSION = "meta.k8s.io/v1";

  /** The token for the page after {@code lastKey}. */
  static String encode(long resourceVersion, String lastKey) {
    return encodeStart(resourceVersion, lastKey + "\u0000");
  }

  static String encodeStart(long resourceVersion, String startKey) {
    String json =
        Json.write(
            Json.object().put("v", VERSION).put("rv", resourceVersion).put("start", startKey));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static ContinueToken decode(String token) {
    JsonNode json;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token.replace("=", ""));
      json = Json.MAPPER.readTree(bytes);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw invalid("illegal base64 data");
    }
    if (json == null || !VERSION.equals(json.path("v").asText())) {
      throw invalid(
          "continue key is not valid: incorrect encoded start resourceVersion (version "
              + VERSION
              + ")");
    }
    long rv = json.path("rv").asLong(0);
    if (rv <= 0) {
      throw invalid(
          "continue key is not valid: incorrect encoded start resourceVersion (version "
              + VERSION
              + ")");
    }
    String start = json.path("start").asText("");
    if (start.isEmpty() || start.contains("..")) {
      throw invalid("continue key is not valid: encoded start key is invalid");
    }
    return new ContinueToken(rv, start);
  }

  private static ApiException invalid(String why) {
    return ApiException.badRequest(why);
  }
}
