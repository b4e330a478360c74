package ai.smallest.atoms.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each {@link HostileAnswer} does what it says, to the agent and endpoint it was aimed at. */
class AtomsSimulatorHostileTest {

  private static final String KEY = "hostile-key";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MutableClock clock;
  private AtomsSimulator sim;
  private String v3;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    sim = AtomsSimulator.start(0, clock).addApiKey(KEY, "user_operator");
    sim.agent("a").publishedVersions(150).activeVersion(150).pinned(3);
    sim.agent("b").publishedVersions(2).activeVersion(2);
    v3 = sim.agent("a").versionNumber(3).id();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  // ---- catalogue ----------------------------------------------------------------------------

  @Test
  void everyKindAppliesToAtLeastOneEndpointAndDescribesItself() {
    for (HostileAnswer kind : HostileAnswer.values()) {
      assertThat(kind.endpoints()).as(kind.name()).isNotEmpty();
      assertThat(kind.description()).as(kind.name()).isNotBlank();
    }
    assertThat(HostileAnswer.applicableTo(Endpoint.LIST_VERSIONS))
        .contains(HostileAnswer.IGNORE_SKIP)
        .doesNotContain(HostileAnswer.ACTIVATE_NOT_ACTIVE);
    assertThat(HostileAnswer.values().length).isGreaterThanOrEqualTo(40);
  }

  /** Every kind on every endpoint it applies to: the simulator answers without failing itself. */
  static Stream<Arguments> everyKindOnEveryEndpoint() {
    return Stream.of(HostileAnswer.values())
        .filter(kind -> kind != HostileAnswer.TRICKLE)
        .flatMap(kind -> kind.endpoints().stream().map(e -> Arguments.of(kind, e)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("everyKindOnEveryEndpoint")
  void everyKindAnswersAndIsRecorded(HostileAnswer kind, Endpoint endpoint) throws Exception {
    sim.recordRequests(true);
    sim.injectFault(endpoint, "a", Fault.hostile(kind), 1);

    HttpResponse<byte[]> answer =
        endpoint == Endpoint.LIST_VERSIONS ? list("a", 0) : activate("a", v3);

    assertThat(answer.statusCode()).isBetween(200, 599);
    assertThat(sim.requestLog()).singleElement().extracting(RequestRecord::hostile).isEqualTo(kind);
  }

  // ---- targeting ----------------------------------------------------------------------------

  @Test
  void aFaultForOneAgentLeavesTheOthersAlone() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, "a", Fault.hostile(HostileAnswer.NOT_JSON), 1);

    assertThat(json(list("b", 0)).path("status").asBoolean()).isTrue();
    assertThat(new String(list("a", 0).body())).startsWith("<!DOCTYPE html>");
    assertThat(json(list("a", 0)).path("status").asBoolean()).as("used up").isTrue();
  }

  @Test
  void aPermanentFaultLastsUntilCleared() throws Exception {
    sim.alwaysFault(Endpoint.ACTIVATE_VERSION, "a", Fault.hostile(HostileAnswer.CONFLICT));

    assertThat(activate("a", v3).statusCode()).isEqualTo(409);
    assertThat(activate("a", v3).statusCode()).isEqualTo(409);
    sim.clearFaults("a");
    assertThat(activate("a", v3).statusCode()).isEqualTo(200);
  }

  // ---- bodies -------------------------------------------------------------------------------

  @Test
  void notJsonEmptyTruncatedAndTrailingGarbageAreNotOneJsonValue() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.EMPTY_BODY), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.TRUNCATED_JSON), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.TRAILING_GARBAGE), 1);

    assertThat(list("a", 0).body()).isEmpty();
    String truncated = new String(list("a", 0).body());
    assertThat(truncated).startsWith("{\"status\":true").doesNotEndWith("}");
    assertThat(new String(list("a", 0).body())).endsWith("} {\"status\":false}");
  }

  @Test
  void wrongShapesBreakTheFieldsTheyName() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.MISSING_ID), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.WRONG_TYPES), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.UNSAFE_ID), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.VERSIONS_NOT_ARRAY), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.NO_DATA), 1);

    assertThat(versions(list("a", 0))).allMatch(v -> !v.has("_id"));
    assertThat(versions(list("a", 0)))
        .allMatch(v -> v.get("isActive").isTextual() && v.get("versionNumber").isTextual());
    assertThat(versions(list("a", 0))).allMatch(v -> v.get("_id").asText().equals("../../admin"));
    assertThat(json(list("a", 0)).path("data").path("versions").isObject()).isTrue();
    assertThat(json(list("a", 0)).has("data")).isFalse();
  }

  @Test
  void oversizedAnswersStreamMoreThanTwoMebibytes() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.OVERSIZED), 1);

    HttpResponse<byte[]> answer = list("a", 0);

    assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
    assertThat(answer.body().length).isGreaterThan(HostileReplies.OVERSIZED_PADDING);
    assertThat(JSON.readTree(answer.body()).path("status").asBoolean()).isTrue();
  }

  @Test
  void aTricklingAnswerSendsOneBytePerInterval() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.trickle(Duration.ofMillis(200)), 1);
    HttpRequest request = listRequest("a", 0).build();

    HttpResponse<InputStream> answer =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = answer.body()) {
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(body.read()).isEqualTo('{');
      long start = System.nanoTime();
      body.read();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(100));
    }
  }

  @Test
  void aRedirectPointsElsewhere() throws Exception {
    sim.injectFault(Endpoint.ACTIVATE_VERSION, Fault.hostile(HostileAnswer.REDIRECT), 1);

    HttpResponse<byte[]> answer = activate("a", v3);

    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("collector.invalid"));
    assertThat(sim.activeVersion("a").orElseThrow().versionNumber()).isEqualTo(150);
  }

  // ---- list lies ----------------------------------------------------------------------------

  @Test
  void totalLiesInBothDirections() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.TOTAL_TOO_HIGH), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.TOTAL_TOO_LOW), 1);

    assertThat(json(list("a", 0)).path("data").path("total").asInt()).isEqualTo(1150);
    assertThat(json(list("a", 0)).path("data").path("total").asInt()).isEqualTo(100);
  }

  @Test
  void ignoringSkipAndRepeatingPagesServeEarlierVersions() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.IGNORE_SKIP), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.REPEAT_PAGE), 1);

    assertThat(numbers(list("a", 100))).startsWith(150);
    assertThat(numbers(list("a", 100))).startsWith(150);
    assertThat(numbers(list("a", 100))).as("back to the truth").startsWith(50);
  }

  @Test
  void aShrinkingPageHoldsHalfTheVersionsAndTheTrueTotal() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.SHRINK_PAGE), 1);

    JsonNode answer = json(list("a", 0));

    assertThat(answer.path("data").path("versions")).hasSize(50);
    assertThat(answer.path("data").path("total").asInt()).isEqualTo(150);
  }

  @Test
  void theIgnoredPinFilterListsUnpinnedVersions() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.IGNORE_PIN_FILTER), 1);

    HttpResponse<byte[]> answer =
        send(
            HttpRequest.newBuilder(uri("/agent/a/versions?limit=100&isPinned=true"))
                .header("Authorization", "Bearer " + KEY)
                .GET());

    assertThat(versions(answer)).hasSize(100).anyMatch(v -> !v.get("isPinned").asBoolean());
  }

  @Test
  void duplicatesAllActiveAndOtherAgentsBreakThePage() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.DUPLICATE_VERSION), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.ALL_ACTIVE), 1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.OTHER_AGENT), 1);

    List<JsonNode> duplicated = versions(list("a", 0));
    assertThat(duplicated).hasSize(101);
    assertThat(duplicated.get(100)).isEqualTo(duplicated.get(0));
    assertThat(versions(list("a", 0))).allMatch(v -> v.get("isActive").asBoolean());
    assertThat(versions(list("a", 0)))
        .allMatch(v -> v.get("agent").asText().equals(HostileReplies.OTHER_AGENT));
  }

  @Test
  void aVersionIsArchivedRightAfterThePageThatShowedIt() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.ARCHIVE_BETWEEN_PAGES), 1);

    JsonNode first = json(list("a", 0));
    JsonNode second = json(list("a", 100));

    assertThat(first.path("data").path("total").asInt()).isEqualTo(150);
    assertThat(second.path("data").path("total").asInt()).isEqualTo(149);
    assertThat(sim.version("a", sim.agent("a").versionNumber(149).id()).status())
        .isEqualTo(SimVersion.ARCHIVED);
  }

  // ---- activate lies ------------------------------------------------------------------------

  @Test
  void activateLiesChangeNothing() throws Exception {
    sim.injectFault(
        Endpoint.ACTIVATE_VERSION, Fault.hostile(HostileAnswer.ACTIVATE_OTHER_VERSION), 1);
    sim.injectFault(Endpoint.ACTIVATE_VERSION, Fault.hostile(HostileAnswer.ACTIVATE_NOT_ACTIVE), 1);
    sim.injectFault(
        Endpoint.ACTIVATE_VERSION, Fault.hostile(HostileAnswer.ACTIVATE_OTHER_AGENT), 1);

    JsonNode other = json(activate("a", v3)).path("data");
    JsonNode inactive = json(activate("a", v3)).path("data");
    JsonNode foreign = json(activate("a", v3)).path("data");

    assertThat(other.path("_id").asText()).isEqualTo(sim.agent("a").versionNumber(150).id());
    assertThat(inactive.path("_id").asText()).isEqualTo(v3);
    assertThat(inactive.path("isActive").asBoolean()).isFalse();
    assertThat(foreign.path("agent").asText()).isEqualTo(HostileReplies.OTHER_AGENT);
    assertThat(sim.activeVersion("a").orElseThrow().versionNumber()).isEqualTo(150);
  }

  // ---- error statuses and Retry-After -------------------------------------------------------

  @Test
  void contractErrorsCarryRealisticBodies() throws Exception {
    List<HostileAnswer> kinds =
        List.of(
            HostileAnswer.BAD_REQUEST_NOT_PUBLISHED,
            HostileAnswer.AGENT_NOT_FOUND,
            HostileAnswer.VERSION_NOT_FOUND,
            HostileAnswer.UNPROCESSABLE);
    kinds.forEach(k -> sim.injectFault(Endpoint.ACTIVATE_VERSION, Fault.hostile(k), 1));

    assertErrors(activate("a", v3), 400, "Only published versions can be activated");
    assertErrors(activate("a", v3), 404, "Agent not found");
    assertErrors(activate("a", v3), 404, "Version not found");
    assertErrors(activate("a", v3), 422, "Validation failed for versionId");
  }

  @Test
  void retryAfterComesInEveryShape() throws Exception {
    for (HostileAnswer kind :
        List.of(
            HostileAnswer.RETRY_AFTER_SECONDS,
            HostileAnswer.RETRY_AFTER_HTTP_DATE,
            HostileAnswer.RETRY_AFTER_NEGATIVE,
            HostileAnswer.RETRY_AFTER_GARBAGE,
            HostileAnswer.RETRY_AFTER_OVERFLOWING,
            HostileAnswer.RETRY_AFTER_ONE_YEAR,
            HostileAnswer.UNAVAILABLE_RETRY_AFTER_ONE_YEAR)) {
      sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(kind), 1);
    }
    List<String> headers = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      headers.add(list("a", 0).headers().firstValue("Retry-After").orElseThrow());
    }

    assertThat(headers.get(0)).isEqualTo("2");
    assertThat(
            ZonedDateTime.parse(headers.get(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
        .isEqualTo(T0.plusSeconds(30));
    assertThat(headers.subList(2, 6))
        .containsExactly("-5", "soon", "99999999999999999999", "31536000");
    assertThat(
            ZonedDateTime.parse(headers.get(6), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
        .isEqualTo(T0.plus(Duration.ofDays(365)));
  }

  @Test
  void anErrorFloodEchoesTheKeyInHalfAMegabyteOfTexts() throws Exception {
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.hostile(HostileAnswer.ERROR_FLOOD), 1);

    HttpResponse<byte[]> answer = list("a", 0);

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body().length).isBetween(400_000, 1_000_000);
    assertThat(new String(answer.body())).contains(KEY);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private URI uri(String path) {
    return URI.create(sim.baseUrl() + path);
  }

  private HttpRequest.Builder listRequest(String agent, int skip) {
    return HttpRequest.newBuilder(uri("/agent/" + agent + "/versions?limit=100&skip=" + skip))
        .header("Authorization", "Bearer " + KEY)
        .GET();
  }

  private HttpResponse<byte[]> list(String agent, int skip)
      throws IOException, InterruptedException {
    return send(listRequest(agent, skip));
  }

  private HttpResponse<byte[]> activate(String agent, String versionId)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/agent/" + agent + "/versions/" + versionId + "/activate"))
            .header("Authorization", "Bearer " + KEY)
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static List<JsonNode> versions(HttpResponse<byte[]> response) throws IOException {
    List<JsonNode> versions = new java.util.ArrayList<>();
    json(response).path("data").path("versions").forEach(versions::add);
    return versions;
  }

  private static List<Integer> numbers(HttpResponse<byte[]> response) throws IOException {
    return versions(response).stream().map(v -> v.path("versionNumber").asInt()).toList();
  }

  private static void assertErrors(HttpResponse<byte[]> response, int status, String text)
      throws IOException {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(json(response).path("errors").get(0).asText()).isEqualTo(text);
  }
}
