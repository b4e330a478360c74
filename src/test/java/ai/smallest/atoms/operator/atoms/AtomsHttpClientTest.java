package ai.smallest.atoms.operator.atoms;

import static ai.smallest.atoms.operator.atoms.Json.AGENT;
import static ai.smallest.atoms.operator.atoms.Json.activated;
import static ai.smallest.atoms.operator.atoms.Json.errors;
import static ai.smallest.atoms.operator.atoms.Json.id;
import static ai.smallest.atoms.operator.atoms.Json.page;
import static ai.smallest.atoms.operator.atoms.Json.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client against answers no well-behaved server gives: each ends in its documented error kind
 * after exactly one request, and nothing waits longer than the configured deadline.
 */
class AtomsHttpClientTest {

  private static final String SECRET = "sk-live-0123456789abcdef";
  private static final ApiKey KEY = ApiKey.of(SECRET);
  private static final Duration DEADLINE = Duration.ofMillis(800);
  private static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private final StubAtoms stub = StubAtoms.start();
  private final AtomsHttpClient client = client(stub.baseUrl(), DEADLINE, DEADLINE);

  @AfterEach
  void stop() {
    stub.close();
  }

  private static AtomsHttpClient client(String baseUrl, Duration readTimeout, Duration deadline) {
    return new AtomsHttpClient(
        URI.create(baseUrl), Duration.ofSeconds(2), readTimeout, deadline, BACKOFF_MAX, CLOCK);
  }

  private AtomsApiException listFails(int status, String body) {
    stub.answer((exchange, call) -> StubAtoms.json(exchange, status, body));
    return fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));
  }

  private AtomsApiException activateFails(int status, String body) {
    stub.answer((exchange, call) -> StubAtoms.json(exchange, status, body));
    return fails(() -> client.activateVersion(KEY, AGENT, id(2)));
  }

  private static AtomsApiException fails(Runnable call) {
    AtomsApiException e =
        assertTimeoutPreemptively(
            BOUND, () -> catchThrowableOfType(AtomsApiException.class, call::run));
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(e.getMessage()).doesNotContain(SECRET);
    assertThat(e.getMessage().length()).isLessThanOrEqualTo(ErrorTexts.MAX_MESSAGE_CHARS);
    return e;
  }

  // ---- the documented answers ---------------------------------------------------------------

  @Test
  void readsADocumentedPageAndSendsTheKeyAsBearer() {
    stub.answer(
        (exchange, call) -> {
          assertThat(exchange.getRequestHeaders().getFirst("Authorization"))
              .isEqualTo("Bearer " + SECRET);
          StubAtoms.json(exchange, 200, page(List.of(version(2, true), version(1, false)), 2));
        });

    VersionPage page = client.listPublishedVersions(KEY, AGENT, 100, 0);

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.versions())
        .extracting(AgentVersion::versionNumber, AgentVersion::active)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, true),
            org.assertj.core.groups.Tuple.tuple(1, false));
    assertThat(stub.requests())
        .containsExactly("GET /atoms/v1/agent/agent-1/versions?limit=100&skip=0");
  }

  @Test
  void aHundredRequestsReuseThreadsInsteadOfStartingOneEach() {
    // HttpClient.sendAsync would complete each answer on a new thread wherever the common pool has
    // parallelism 1 (2 CPUs or fewer: CI, and most operator pods).
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, page(List.of(), 0)));
    client.listPublishedVersions(KEY, AGENT, 100, 0); // the client's own threads start here
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long startedBefore = threads.getTotalStartedThreadCount();

    for (int i = 0; i < 100; i++) {
      client.listPublishedVersions(KEY, AGENT, 100, 0);
    }

    assertThat(threads.getTotalStartedThreadCount() - startedBefore).isLessThan(20);
  }

  @Test
  void asksForPinnedVersionsWithTheFilter() {
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, page(List.of(), 5)));

    client.listPublishedVersions(KEY, AGENT, PageRequest.first(100, 0, true));

    assertThat(stub.requests())
        .containsExactly("GET /atoms/v1/agent/agent-1/versions?limit=100&skip=0&isPinned=true");
  }

  @Test
  void activatesWithAnEmptyJsonBodyAndReturnsTheConfirmedVersion() {
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, activated(version(2, true))));

    AgentVersion live = client.activateVersion(KEY, AGENT, id(2));

    assertThat(live.id()).isEqualTo(id(2));
    assertThat(stub.requests())
        .containsExactly("PATCH /atoms/v1/agent/agent-1/versions/" + id(2) + "/activate");
  }

  @Test
  void cutsFreeTextFieldsToTheirBound() {
    String longLabel =
        version(1, false).replace("\"label\":\"v1\"", "\"label\":\"" + "l".repeat(5000) + "\"");
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, page(List.of(longLabel), 1)));

    VersionPage page = client.listPublishedVersions(KEY, AGENT, 100, 0);

    assertThat(page.versions().get(0).label()).hasSize(Answers.MAX_TEXT_CHARS).endsWith("…");
  }

  // ---- hostile 2xx answers ------------------------------------------------------------------

  static Stream<Arguments> hostileListAnswers() {
    String v1 = version(1, false);
    return Stream.of(
        Arguments.of(
            "an HTML page", "<html><body>502 Bad Gateway</body></html>", ResponseProblem.NOT_JSON),
        Arguments.of("an empty body", "", ResponseProblem.NOT_JSON),
        Arguments.of("trailing garbage", page(List.of(v1), 1) + " {}", ResponseProblem.NOT_JSON),
        Arguments.of(
            "duplicate keys",
            "{\"status\":true,\"status\":true,\"data\":{\"versions\":[]}}",
            ResponseProblem.NOT_JSON),
        Arguments.of("deep nesting", "[".repeat(5000) + "]".repeat(5000), ResponseProblem.NOT_JSON),
        Arguments.of(
            "truncated JSON", page(List.of(v1), 1).substring(0, 40), ResponseProblem.NOT_JSON),
        Arguments.of("a JSON array", "[]", ResponseProblem.WRONG_SHAPE),
        Arguments.of("a JSON string", "\"ok\"", ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "status false",
            "{\"status\":false,\"data\":{\"versions\":[]}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of("status missing", "{\"data\":{\"versions\":[]}}", ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "status as string",
            "{\"status\":\"true\",\"data\":{\"versions\":[]}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of("data missing", "{\"status\":true}", ResponseProblem.WRONG_SHAPE),
        Arguments.of("data null", "{\"status\":true,\"data\":null}", ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "versions missing",
            "{\"status\":true,\"data\":{\"total\":3}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "versions an object",
            "{\"status\":true,\"data\":{\"versions\":{}}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "a version that is a string", page(List.of("\"v1\""), 1), ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "_id missing",
            page(List.of(v1.replace("\"_id\"", "\"id\"")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "_id a number",
            page(List.of(v1.replace("\"" + id(1) + "\"", "42")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "_id a dot segment",
            page(List.of(v1.replace(id(1), "..")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "_id with a slash",
            page(List.of(v1.replace(id(1), "a/../b")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "isActive missing",
            page(List.of(v1.replace("\"isActive\":false,", "")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "isActive a string",
            page(List.of(v1.replace("\"isActive\":false", "\"isActive\":\"false\"")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "versionNumber a string",
            page(List.of(v1.replace("\"versionNumber\":1", "\"versionNumber\":\"1\"")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "versionNumber a fraction",
            page(List.of(v1.replace("\"versionNumber\":1", "\"versionNumber\":1.5")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "versionNumber beyond int",
            page(List.of(v1.replace("\"versionNumber\":1", "\"versionNumber\":3000000000")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "label a number",
            page(List.of(v1.replace("\"label\":\"v1\"", "\"label\":1")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "isPinned a string",
            page(List.of(v1.replace("\"isPinned\":false", "\"isPinned\":\"no\"")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "activatedAt not a date",
            page(List.of(v1.replace("\"activatedAt\":null", "\"activatedAt\":\"yesterday\"")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "a version of another agent",
            page(List.of(v1.replace(AGENT, "agent-2")), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "total a string",
            "{\"status\":true,\"data\":{\"versions\":[],\"total\":\"0\"}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "total negative",
            "{\"status\":true,\"data\":{\"versions\":[],\"total\":-1}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "total beyond int",
            "{\"status\":true,\"data\":{\"versions\":[],\"total\":99999999999}}",
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "the same version twice", page(List.of(v1, v1), 2), ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "one number for two versions",
            page(List.of(v1, v1.replace(id(1), id(9))), 2),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "two active versions",
            page(List.of(version(2, true), version(1, true)), 2),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "more versions than limit", Json.newestFirst(101, 0, 101), ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "total too low",
            page(List.of(version(2, false), v1), 1),
            ResponseProblem.TOTAL_MISMATCH),
        Arguments.of(
            "an empty page although total says 5",
            page(List.of(), 5),
            ResponseProblem.TOTAL_MISMATCH));
  }

  @ParameterizedTest(name = "list answering 200 with {0}")
  @MethodSource("hostileListAnswers")
  void refusesAHostileListAnswerAfterOneRequest(String what, String body, ResponseProblem problem) {
    AtomsApiException e = listFails(200, body);

    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.problem()).contains(problem);
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(stub.calls()).isEqualTo(1);
  }

  @Test
  void refusesAPageThatIgnoresThePinFilter() {
    stub.answer(
        (exchange, call) -> StubAtoms.json(exchange, 200, page(List.of(version(1, false)), 1)));

    AtomsApiException e =
        fails(() -> client.listPublishedVersions(KEY, AGENT, PageRequest.first(100, 0, true)));

    assertThat(e.problem()).contains(ResponseProblem.WRONG_SHAPE);
    assertThat(e.getMessage()).contains("ignored isPinned=true");
  }

  @Test
  void underAPinFilterTotalCountsAllPublishedVersionsAndIsNotHeldAgainstAShortPage() {
    String pinned = version(3, false).replace("\"isPinned\":false", "\"isPinned\":true");
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, page(List.of(pinned), 120)));

    VersionPage page = client.listPublishedVersions(KEY, AGENT, PageRequest.first(100, 0, true));

    assertThat(page.versions()).hasSize(1);
  }

  static Stream<Arguments> hostileActivateAnswers() {
    return Stream.of(
        Arguments.of("another version", activated(version(3, true)), ResponseProblem.WRONG_VERSION),
        Arguments.of(
            "another agent",
            activated(version(2, true).replace(AGENT, "agent-9")),
            ResponseProblem.WRONG_VERSION),
        Arguments.of("isActive false", activated(version(2, false)), ResponseProblem.NOT_ACTIVE),
        Arguments.of(
            "isActive missing",
            activated(version(2, true).replace("\"isActive\":true,", "")),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of("no data", "{\"status\":true}", ResponseProblem.WRONG_SHAPE),
        Arguments.of(
            "a list instead of a version",
            page(List.of(version(2, true)), 1),
            ResponseProblem.WRONG_SHAPE),
        Arguments.of("not JSON", "OK", ResponseProblem.NOT_JSON));
  }

  @ParameterizedTest(name = "activate answering 200 with {0}")
  @MethodSource("hostileActivateAnswers")
  void refusesAnActivationAnswerThatDoesNotConfirmTheRequest(
      String what, String body, ResponseProblem problem) {
    AtomsApiException e = activateFails(200, body);

    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.problem()).contains(problem);
    assertThat(stub.calls()).isEqualTo(1);
  }

  // ---- sizes and time -----------------------------------------------------------------------

  @Test
  void stopsReadingAnUndeclaredBodyAtTheCap() {
    stub.answer((exchange, call) -> StubAtoms.chunked(exchange, 200, 64L * 1024 * 1024));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.problem()).contains(ResponseProblem.TOO_LARGE);
    assertThat(stub.calls()).isEqualTo(1);
  }

  @Test
  void refusesADeclaredBodyOverTheCapWithoutReadingIt() {
    String huge =
        page(Collections.nCopies(1, version(1, false)), 1)
            + " ".repeat(AtomsHttpClient.MAX_BODY_BYTES);
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, huge));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.problem()).contains(ResponseProblem.TOO_LARGE);
  }

  @Test
  void anOversizedErrorBodyStillClassifiesByStatus() {
    stub.answer((exchange, call) -> StubAtoms.chunked(exchange, 503, 8L * 1024 * 1024));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(e.getMessage()).contains("error body larger than");
  }

  @Test
  void cutsOffAnAnswerThatTricklesPastTheDeadline() {
    // One byte every 50 ms never trips an idle read timeout; the deadline ends it.
    stub.answer((exchange, call) -> StubAtoms.trickle(exchange, Duration.ofMillis(50)));
    AtomsHttpClient patient = client(stub.baseUrl(), Duration.ofSeconds(30), DEADLINE);

    long start = System.nanoTime();
    AtomsApiException e = fails(() -> patient.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.getMessage()).contains("request deadline of 800ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    assertThat(stub.calls()).isEqualTo(1);
  }

  @Test
  void givesUpWhenNoHeadersArriveWithinTheReadTimeout() {
    stub.answer((exchange, call) -> Thread.sleep(60_000));
    AtomsHttpClient impatient =
        client(stub.baseUrl(), Duration.ofMillis(200), Duration.ofSeconds(30));

    AtomsApiException e = fails(() -> impatient.activateVersion(KEY, AGENT, id(2)));

    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
  }

  @Test
  void aRefusedConnectionIsANetworkError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    AtomsHttpClient nowhere =
        client("http://127.0.0.1:" + closedPort + "/atoms/v1", DEADLINE, DEADLINE);

    AtomsApiException e = fails(() -> nowhere.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(e.httpStatus()).isZero();
  }

  @Test
  void neverFollowsARedirectWithTheKey() {
    stub.answer(
        (exchange, call) ->
            StubAtoms.json(exchange, 302, "", Map.of("Location", "http://example.invalid/steal")));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    assertThat(e.problem()).contains(ResponseProblem.UNEXPECTED_STATUS);
    assertThat(stub.calls()).isEqualTo(1);
  }

  // ---- error statuses -----------------------------------------------------------------------

  @ParameterizedTest(name = "activate answering {0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | {\"status\":false,\"errors\":[\"Only published versions can be activated\"]} | VERSION_NOT_PUBLISHED",
        "400 | {\"status\":false,\"errors\":[\"versionId must be a valid ObjectId\"]} | BAD_REQUEST",
        "400 | <html>Bad Request</html> | BAD_REQUEST",
        "401 | {\"status\":false,\"errors\":[\"Unauthorized\"]} | UNAUTHORIZED",
        "403 | {\"status\":false,\"data\":{}} | FORBIDDEN",
        "404 | {\"status\":false,\"errors\":[\"Agent not found\"]} | AGENT_NOT_FOUND",
        "404 | {\"status\":false,\"errors\":[\"Version not found\"]} | VERSION_NOT_FOUND",
        "404 | {\"status\":false,\"errors\":[\"Agent or version not found\"]} | NOT_FOUND",
        "409 | {\"status\":false,\"errors\":[\"Version is being activated\"]} | BAD_REQUEST",
        "413 | {\"status\":false,\"errors\":[\"Payload too large\"]} | BAD_REQUEST",
        "415 | {\"status\":false,\"errors\":[\"Unsupported media type\"]} | BAD_REQUEST",
        "422 | {\"status\":false,\"errors\":[\"Unprocessable entity\"]} | BAD_REQUEST",
        "500 | {\"status\":false,\"errors\":[\"Internal server error\"]} | SERVER_ERROR",
      })
  void classifiesActivateErrorsByTheContract(int status, String body, ErrorKind kind) {
    AtomsApiException e = activateFails(status, body);

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(stub.calls()).isEqualTo(1);
  }

  @Test
  void onlyActivateCanSayNotPublished() {
    AtomsApiException e = listFails(400, errors("isPinned must be a published flag"));

    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
  }

  @Test
  void errorTextsAreScrubbedOfTheKeyBeforeTheyAreCut() {
    // The key sits across the per-error cut: cutting first would leave half of it.
    String padding = "p".repeat(ErrorTexts.MAX_ERROR_CHARS - 10);
    String[] echoes = Collections.nCopies(50, padding + " key " + SECRET).toArray(String[]::new);

    AtomsApiException e = listFails(401, errors(echoes));

    assertThat(e.getMessage()).doesNotContain(SECRET.substring(0, 6));
    assertThat(String.join("", e.errors())).doesNotContain(SECRET.substring(0, 6));
    assertThat(e.errors()).hasSize(ErrorTexts.MAX_ERRORS + 1);
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @CsvSource({
    "30, PT30S",
    "99999999999999999999, PT5M",
    "31536000, PT5M",
    "'Tue, 23 Nov 2027 10:00:00 GMT', PT5M",
    "'Mon, 23 Nov 2026 10:00:30 GMT', PT30S",
  })
  void honoursRetryAfterUpToTheBackoffMaximum(String header, Duration expected) {
    stub.answer(
        (exchange, call) ->
            StubAtoms.json(
                exchange, 429, errors("Too many requests"), Map.of("Retry-After", header)));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(expected);
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @CsvSource({"-5", "soon", "''", "1.5"})
  void ignoresARetryAfterItCannotRead(String header) {
    stub.answer(
        (exchange, call) ->
            StubAtoms.json(
                exchange, 503, errors("Service unavailable"), Map.of("Retry-After", header)));

    AtomsApiException e = fails(() -> client.listPublishedVersions(KEY, AGENT, 100, 0));

    assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(e.retryAfter()).isEmpty();
  }
}
