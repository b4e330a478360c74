package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * IDs are data, never path: for any string, the client either refuses it without making a request,
 * or the request path the server receives holds it as exactly one segment that decodes back to the
 * very same string, once or twice decoded, and survives dot-segment removal (RFC 3986 §5.2.4).
 */
class PathSegmentProperties {

  private static final ApiKey KEY = ApiKey.of("property-key");
  private static final String BASE = "/atoms/v1";
  private static StubAtoms stub;
  private static AtomsHttpClient client;

  @BeforeContainer
  static void start() {
    stub = StubAtoms.start();
    // Every request is answered 404: only the path it arrived on matters here.
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 404, "{\"status\":false}"));
    client =
        new AtomsHttpClient(
            URI.create(stub.baseUrl()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Clock.systemUTC());
  }

  @AfterContainer
  static void stop() {
    stub.close();
  }

  @Property(tries = 1000)
  void anyAgentIdIsRefusedOrArrivesAsItself(@ForAll @StringLength(max = 40) String agentId) {
    checkAgentId(agentId);
  }

  @Property(tries = 1000)
  void anyVersionIdIsRefusedOrArrivesAsItself(@ForAll("tricky") String versionId) {
    int before = stub.calls();
    try {
      client.activateVersion(KEY, "agent", versionId);
    } catch (AtomsApiException e) {
      if (PathSegments.problem(versionId).isPresent()) {
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ID);
        assertThat(e.parameter()).contains("versionId");
        assertThat(stub.calls()).as("no request for a refused ID").isEqualTo(before);
        return;
      }
      assertThat(e.kind()).isNotEqualTo(ErrorKind.INVALID_ID);
    }
    String request = last();
    assertThat(request)
        .startsWith("PATCH " + BASE + "/agent/agent/versions/")
        .endsWith("/activate");
    List<String> segments = segments(request.substring("PATCH ".length()));
    assertThat(segments).hasSize(7); // atoms, v1, agent, agent, versions, {versionId}, activate
    checkSegment(segments.get(5), versionId);
  }

  @Property(tries = 1000)
  void trickyAgentIdsAreRefusedOrArriveAsThemselves(@ForAll("tricky") String agentId) {
    checkAgentId(agentId);
  }

  /** Strings built from pieces that normalising servers and proxies treat as path syntax. */
  @Provide
  Arbitrary<String> tricky() {
    Arbitrary<String> piece =
        Arbitraries.of(
            ".",
            "..",
            "/",
            "\\",
            "%",
            "%2e",
            "%2E",
            "%2f",
            "%2F",
            "%5c",
            "%25",
            "%00",
            ";",
            "?",
            "#",
            " ",
            "+",
            ":",
            "@",
            "a",
            "Z",
            "0",
            "-",
            "_",
            "~",
            "\u00e9",
            "\uff0e",
            "\uff0f",
            "\u2215",
            "\u0000",
            "\n",
            "\u007f",
            "\ud800",
            "\udc00",
            "\ud83d\ude00");
    return piece.list().ofMinSize(0).ofMaxSize(8).map(parts -> String.join("", parts));
  }

  private void checkAgentId(String agentId) {
    int before = stub.calls();
    try {
      client.listPublishedVersions(KEY, agentId, 100, 0);
    } catch (AtomsApiException e) {
      if (PathSegments.problem(agentId).isPresent()) {
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ID);
        assertThat(e.parameter()).contains("agentId");
        assertThat(stub.calls()).as("no request for a refused ID").isEqualTo(before);
        return;
      }
      assertThat(e.kind()).isNotEqualTo(ErrorKind.INVALID_ID);
    }
    String request = last();
    assertThat(request)
        .startsWith("GET " + BASE + "/agent/")
        .endsWith("/versions?limit=100&skip=0");
    String path = request.substring("GET ".length(), request.indexOf('?'));
    List<String> segments = segments(path);
    assertThat(segments).hasSize(5); // atoms, v1, agent, {agentId}, versions
    checkSegment(segments.get(3), agentId);
  }

  private static String last() {
    List<String> requests = stub.requests();
    return requests.get(requests.size() - 1);
  }

  private static void checkSegment(String raw, String id) {
    assertThat(raw).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})+");
    String decoded = decode(raw);
    assertThat(decoded).isEqualTo(id);
    assertThat(decode(decoded)).as("decoding twice changes nothing").isEqualTo(id);
    assertThat(decoded).doesNotContain("/", "\\", ";", "?", "#");
    String path = "/agent/" + raw + "/versions";
    assertThat(removeDotSegments(path)).isEqualTo(path);
    String decodedPath = "/agent/" + decoded + "/versions";
    assertThat(removeDotSegments(decodedPath)).isEqualTo(decodedPath);
  }

  private static List<String> segments(String absolutePath) {
    List<String> segments = new ArrayList<>(List.of(absolutePath.substring(1).split("/", -1)));
    assertThat(removeDotSegments(absolutePath)).isEqualTo(absolutePath);
    return segments;
  }

  /** Strict RFC 3986 percent-decoding of UTF-8; fails the test on anything malformed. */
  private static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); ) {
      if (raw.charAt(i) == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
        bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int codePoint = raw.codePointAt(i);
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("not UTF-8 after decoding: " + raw, e);
    }
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  /** RFC 3986 §5.2.4, literally. */
  static String removeDotSegments(String input) {
    StringBuilder in = new StringBuilder(input);
    StringBuilder out = new StringBuilder();
    while (in.length() > 0) {
      if (startsWith(in, "../")) {
        in.delete(0, 3);
      } else if (startsWith(in, "./")) {
        in.delete(0, 2);
      } else if (startsWith(in, "/./")) {
        in.replace(0, 3, "/");
      } else if (in.toString().equals("/.")) {
        in.replace(0, 2, "/");
      } else if (startsWith(in, "/../")) {
        in.replace(0, 4, "/");
        removeLastSegment(out);
      } else if (in.toString().equals("/..")) {
        in.replace(0, 3, "/");
        removeLastSegment(out);
      } else if (in.toString().equals(".") || in.toString().equals("..")) {
        in.setLength(0);
      } else {
        int start = in.charAt(0) == '/' ? 1 : 0;
        int end = in.indexOf("/", start);
        end = end < 0 ? in.length() : end;
        out.append(in, 0, end);
        in.delete(0, end);
      }
    }
    return out.toString();
  }

  private static boolean startsWith(StringBuilder s, String prefix) {
    return s.length() >= prefix.length() && s.substring(0, prefix.length()).equals(prefix);
  }

  private static void removeLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  @Example
  void removeDotSegmentsFollowsTheRfcExamples() {
    assertThat(removeDotSegments("/a/b/c/./../../g")).isEqualTo("/a/g");
    assertThat(removeDotSegments("mid/content=5/../6")).isEqualTo("mid/6");
    assertThatThrownBy(() -> decode("%ff")).isInstanceOf(AssertionError.class);
  }
}
