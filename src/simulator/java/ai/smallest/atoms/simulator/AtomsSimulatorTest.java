package ai.smallest.atoms.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AtomsSimulatorTest {

  private static final String KEY = "test-key";
  private static final String USER = "user_operator";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MutableClock clock;
  private AtomsSimulator sim;

  @BeforeEach
  void startSimulator() {
    clock = new MutableClock(T0);
    sim = AtomsSimulator.start(0, clock).addApiKey(KEY, USER);
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  // ---- basics -------------------------------------------------------------------------------

  @Test
  void baseUrlPointsAtLoopbackUnderAtomsV1() {
    assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/atoms/v1");
    assertThat(sim.port()).isPositive();
  }

  @Test
  void versionIdsAreObjectIdShapedAndReproducibleAcrossInstances() {
    sim.agent("a").publishedVersions(3);
    List<String> ids = sim.versions("a").stream().map(SimVersion::id).toList();

    try (AtomsSimulator other = AtomsSimulator.start()) {
      other.agent("a").publishedVersions(3);
      assertThat(other.versions("a").stream().map(SimVersion::id).toList()).isEqualTo(ids);
    }
    assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{24}")).doesNotHaveDuplicates();
  }

  // ---- auth ---------------------------------------------------------------------------------

  @Test
  void listWithoutAuthorizationHeaderIsUnauthorized() throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/agent/a/versions")).GET());

    assertErrorEnvelope(response, 401, "Unauthorized");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer wrong-key", "Basic dGVzdC1rZXk=", "test-key", "Bearer "})
  void listWithUnknownOrMalformedCredentialsIsUnauthorized(String authorization) throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/agent/a/versions"))
                .header("Authorization", authorization)
                .GET());

    assertErrorEnvelope(response, 401, "Unauthorized");
  }

  @Test
  void activateWithWrongKeyIsUnauthorizedAndChangesNothing() throws Exception {
    String v1 = sim.agent("a").publishedVersions(1).versionNumber(1).id();

    HttpResponse<String> response = activate("a", v1, "Bearer nope");

    assertErrorEnvelope(response, 401, "Unauthorized");
    assertThat(sim.activeVersion("a")).isEmpty();
  }

  @Test
  void bearerSchemeIsCaseInsensitive() throws Exception {
    sim.agent("a").publishedVersions(1);

    assertThat(list("a", "", "bearer " + KEY).statusCode()).isEqualTo(200);
  }

  // ---- list: validation ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "", "1e2"})
  void listRejectsLimitOutside1To100WithBadRequestEnvelope(String limit) throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> response = list("a", "?limit=" + limit);

    assertErrorEnvelope(response, 400, "limit must be an integer between 1 and 100");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "2.0", ""})
  void listRejectsNegativeOrNonNumericSkipWithBadRequestEnvelope(String skip) throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> response = list("a", "?skip=" + skip);

    assertErrorEnvelope(response, 400, "skip must be an integer greater than or equal to 0");
  }

  @Test
  void listRejectsNonBooleanIsPinned() throws Exception {
    sim.agent("a").publishedVersions(1);

    assertErrorEnvelope(list("a", "?isPinned=yes"), 400, "isPinned must be true or false");
  }

  @Test
  void listAcceptsBoundaryLimitsAndLargeSkip() throws Exception {
    sim.agent("a").publishedVersions(3);

    assertThat(body(list("a", "?limit=1")).at("/data/versions")).hasSize(1);
    assertThat(body(list("a", "?limit=100")).at("/data/versions")).hasSize(3);
    JsonNode beyond = body(list("a", "?skip=99999999999999999999"));
    assertThat(beyond.at("/data/versions")).isEmpty();
    assertThat(beyond.at("/data/total").asInt()).isEqualTo(3);
  }

  // ---- list: content ------------------------------------------------------------------------

  @Test
  void listDefaultsToTwentyNewestFirst() throws Exception {
    sim.agent("a").publishedVersions(25);

    JsonNode data = body(list("a", "")).get("data");

    assertThat(versionNumbers(data))
        .containsExactlyElementsOf(IntStream.iterate(25, n -> n - 1).limit(20).boxed().toList());
    assertThat(data.get("total").asInt()).isEqualTo(25);
  }

  @Test
  void listPaginatesWithSkipAndLimitAndReportsTotalOnEveryPage() throws Exception {
    sim.agent("big").publishedVersions(250);

    List<Integer> seen = new ArrayList<>();
    int[] expectedSizes = {100, 100, 50};
    for (int page = 0; page < 3; page++) {
      JsonNode data = body(list("big", "?limit=100&skip=" + page * 100)).get("data");
      assertThat(data.get("versions")).hasSize(expectedSizes[page]);
      assertThat(data.get("total").asInt()).isEqualTo(250);
      seen.addAll(versionNumbers(data));
    }

    assertThat(seen)
        .containsExactlyElementsOf(IntStream.iterate(250, n -> n - 1).limit(250).boxed().toList());
    JsonNode past = body(list("big", "?limit=100&skip=300")).get("data");
    assertThat(past.get("versions")).isEmpty();
    assertThat(past.get("total").asInt()).isEqualTo(250);
  }

  @Test
  void listFiltersByIsPinnedButTotalCountsAllPublished() throws Exception {
    sim.agent("a").publishedVersions(6).pinned(2).pinned(5);

    JsonNode pinned = body(list("a", "?isPinned=true")).get("data");
    JsonNode unpinned = body(list("a", "?isPinned=false&limit=2&skip=1")).get("data");

    assertThat(versionNumbers(pinned)).containsExactly(5, 2);
    assertThat(pinned.get("total").asInt()).isEqualTo(6);
    assertThat(versionNumbers(unpinned)).containsExactly(4, 3);
    assertThat(unpinned.get("total").asInt()).isEqualTo(6);
  }

  @Test
  void listShowsOnlyPublishedVersions() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(4);
    SimVersion draft = agent.draft("next idea");
    agent.archived(2);

    JsonNode data = body(list("a", "")).get("data");

    assertThat(versionNumbers(data)).containsExactly(4, 3, 1);
    assertThat(data.get("total").asInt()).isEqualTo(3);
    assertThat(data.get("versions").findValuesAsText("_id")).doesNotContain(draft.id());
    assertThat(data.get("versions").findValuesAsText("status")).containsOnly("published");
    assertThat(sim.versions("a")).hasSize(5);
  }

  @Test
  void listedVersionCarriesEveryContractFieldWithExplicitNulls() throws Exception {
    sim.agent("a").workflowType("workflow_graph").publishedVersions(2).pinned(2).activeVersion(2);

    JsonNode newest = body(list("a", "?limit=1")).at("/data/versions/0");
    JsonNode oldest = body(list("a", "?skip=1")).at("/data/versions/0");

    assertThat(fieldNames(newest))
        .containsExactly(
            "_id",
            "agent",
            "status",
            "versionNumber",
            "label",
            "description",
            "isPinned",
            "publishedBy",
            "publishedAt",
            "activatedBy",
            "activatedAt",
            "draftId",
            "draftName",
            "draftRevision",
            "sourceVersionId",
            "blocks",
            "workflowType",
            "parentVersion",
            "isActive",
            "createdBy",
            "createdAt",
            "updatedAt",
            "publishedByName",
            "activatedByName");
    assertThat(newest.get("_id").asText()).isEqualTo(sim.agent("a").versionNumber(2).id());
    assertThat(newest.get("agent").asText()).isEqualTo("a");
    assertThat(newest.get("versionNumber").asInt()).isEqualTo(2);
    assertThat(newest.get("label").asText()).isEqualTo("v2");
    assertThat(newest.get("isPinned").asBoolean()).isTrue();
    assertThat(newest.get("isActive").asBoolean()).isTrue();
    assertThat(newest.get("activatedBy").asText()).isEqualTo("user_console");
    assertThat(newest.get("activatedAt").asText()).isEqualTo("2024-05-01T10:00:00.000Z");
    assertThat(newest.get("publishedAt").asText()).isEqualTo("2024-05-01T10:00:00.000Z");
    assertThat(newest.get("workflowType").asText()).isEqualTo("workflow_graph");
    assertThat(newest.get("parentVersion").asText()).isEqualTo(oldest.get("_id").asText());
    assertThat(newest.get("draftId").isNull()).isTrue();
    assertThat(newest.get("draftRevision").isNull()).isTrue();
    assertThat(fieldNames(newest.get("blocks")))
        .hasSize(13)
        .contains("workflow_prompt", "llm", "widget");
    assertThat(newest.get("blocks").findValuesAsText("llm")).allMatch(s -> !s.isEmpty());
    assertThat(oldest.get("activatedAt").isNull()).isTrue();
    assertThat(oldest.get("activatedBy").isNull()).isTrue();
    assertThat(oldest.get("activatedByName").isNull()).isTrue();
    assertThat(oldest.get("parentVersion").isNull()).isTrue();
  }

  @Test
  void listOfUnknownAgentIsNotFound() throws Exception {
    assertErrorEnvelope(list("ghost", ""), 404, "Agent not found");
  }

  @Test
  void listOfAgentWithoutVersionsIsEmptyNotMissing() throws Exception {
    sim.agent("empty");

    JsonNode data = body(list("empty", "")).get("data");

    assertThat(data.get("versions")).isEmpty();
    assertThat(data.get("total").asInt()).isZero();
  }

  @Test
  void agentIdsArePercentDecodedAndMayContainUnicodeSlashesAndPlus() throws Exception {
    String agentId = "ägent/🚀 one+two";
    sim.agent(agentId).publishedVersions(2);
    String encoded = URLEncoder.encode(agentId, StandardCharsets.UTF_8).replace("+", "%20");

    JsonNode data = body(list(encoded, "")).get("data");
    String v1 = sim.agent(agentId).versionNumber(1).id();
    HttpResponse<String> activated = activate(encoded, v1, "Bearer " + KEY);

    assertThat(data.get("total").asInt()).isEqualTo(2);
    assertThat(data.at("/versions/0/agent").asText()).isEqualTo(agentId);
    assertThat(activated.statusCode()).isEqualTo(200);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, agentId)).isEqualTo(1);
    assertThat(sim.activeVersion(agentId)).map(SimVersion::id).contains(v1);
  }

  // ---- activate -----------------------------------------------------------------------------

  @Test
  void activateSwitchesActiveVersionAndStampsActivationWithKeyOwner() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(3).activeVersion(3);
    String v3 = agent.versionNumber(3).id();
    String v2 = agent.versionNumber(2).id();
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> response = activate("a", v2, "Bearer " + KEY);

    JsonNode body = body(response);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.get("status").asBoolean()).isTrue();
    assertThat(body.at("/data/_id").asText()).isEqualTo(v2);
    assertThat(body.at("/data/isActive").asBoolean()).isTrue();
    assertThat(body.at("/data/activatedBy").asText()).isEqualTo(USER);
    assertThat(body.at("/data/activatedByName").asText()).isNotBlank();
    assertThat(body.at("/data/activatedAt").asText()).isEqualTo("2024-05-01T10:05:00.000Z");
    assertThat(body.at("/data/updatedAt").asText()).isEqualTo("2024-05-01T10:05:00.000Z");
    assertThat(body.toString()).doesNotContain(KEY);

    assertThat(sim.activeVersion("a")).map(SimVersion::id).contains(v2);
    assertThat(sim.version("a", v3).isActive()).isFalse();
    SimVersion active = sim.version("a", v2);
    assertThat(active.activatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(active.activatedBy()).isEqualTo(USER);
    assertThat(sim.versions("a")).filteredOn(SimVersion::isActive).hasSize(1);
  }

  @Test
  void activatingTheActiveVersionAgainIsIdempotent() throws Exception {
    String v1 = sim.agent("a").publishedVersions(1).versionNumber(1).id();
    JsonNode first = body(activate("a", v1, "Bearer " + KEY)).get("data");
    clock.advance(Duration.ofHours(1));
    sim.addApiKey("other-key", "user_other");

    HttpResponse<String> second = activate("a", v1, "Bearer other-key");

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(body(second).get("data")).isEqualTo(first);
    assertThat(sim.version("a", v1).activatedAt()).isEqualTo(T0);
    assertThat(sim.version("a", v1).activatedBy()).isEqualTo(USER);
  }

  @Test
  void activateAcceptsEmptyBodyAndRejectsMalformedJson() throws Exception {
    String v1 = sim.agent("a").publishedVersions(1).versionNumber(1).id();
    URI uri = uri("/agent/a/versions/" + v1 + "/activate");

    HttpResponse<String> empty =
        send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + KEY)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> garbage =
        send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + KEY)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{not json")));

    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(body(garbage).get("status").asBoolean()).isFalse();
  }

  @Test
  void activatingDraftOrArchivedVersionIsBadRequest() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(3).activeVersion(3);
    SimVersion draft = agent.draft("wip");
    SimVersion archived = agent.archived(1);

    assertErrorEnvelope(
        activate("a", draft.id(), "Bearer " + KEY),
        400,
        "Only published versions can be activated");
    assertErrorEnvelope(
        activate("a", archived.id(), "Bearer " + KEY),
        400,
        "Only published versions can be activated");
    assertThat(sim.activeVersion("a")).map(SimVersion::versionNumber).contains(3);
  }

  @Test
  void activatingUnknownAgentOrForeignOrUnknownVersionIsNotFound() throws Exception {
    sim.agent("a").publishedVersions(1);
    String foreign = sim.agent("b").publishedVersions(1).versionNumber(1).id();

    assertErrorEnvelope(
        activate("ghost", foreign, "Bearer " + KEY), 404, "Agent or version not found");
    assertErrorEnvelope(activate("a", foreign, "Bearer " + KEY), 404, "Agent or version not found");
    assertErrorEnvelope(
        activate("a", "000000000000000000000000", "Bearer " + KEY),
        404,
        "Agent or version not found");
    assertThat(sim.activeVersion("b")).isEmpty();
  }

  @Test
  void forbiddenAgentAnswers403WithBareApiResponseOnBothEndpoints() throws Exception {
    String v1 =
        sim.agent("graph")
            .workflowType("workflow_graph")
            .publishedVersions(1)
            .versionNumber(1)
            .id();
    sim.forbid("graph");

    HttpResponse<String> listed = list("graph", "");
    HttpResponse<String> activated = activate("graph", v1, "Bearer " + KEY);

    for (HttpResponse<String> response : List.of(listed, activated)) {
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(body(response)).isEqualTo(JSON.readTree("{\"status\":false,\"data\":{}}"));
    }
    assertThat(sim.activeVersion("graph")).isEmpty();

    sim.allow("graph");
    assertThat(list("graph", "").statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentActivationsLeaveExactlyOneActiveVersion() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(20);
    List<String> ids =
        IntStream.rangeClosed(1, 20).mapToObj(n -> agent.versionNumber(n).id()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (String id : ids) {
        calls.add(() -> activate("a", id, "Bearer " + KEY).statusCode());
      }
      for (Future<Integer> status : pool.invokeAll(calls)) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sim.versions("a")).filteredOn(SimVersion::isActive).hasSize(1);
    assertThat(sim.calls(Endpoint.ACTIVATE_VERSION, "a")).isEqualTo(20);
  }

  // ---- console drift ------------------------------------------------------------------------

  @Test
  void consoleActivationChangesActiveVersionWithoutCountingAsApiCall() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(3).activeVersion(3);
    String v1 = agent.versionNumber(1).id();
    clock.advance(Duration.ofSeconds(30));

    SimVersion drifted = sim.consoleActivate("a", v1, "user_human");

    assertThat(drifted.isActive()).isTrue();
    assertThat(drifted.activatedBy()).isEqualTo("user_human");
    assertThat(drifted.activatedAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(sim.activeVersion("a")).map(SimVersion::id).contains(v1);
    assertThat(sim.totalCalls()).isZero();
    JsonNode listed = body(list("a", "?limit=100"));
    assertThat(listed.at("/data/versions/2/isActive").asBoolean()).isTrue();
    assertThat(listed.at("/data/versions/0/isActive").asBoolean()).isFalse();
    assertThat(sim.totalCalls()).isEqualTo(1);
  }

  @Test
  void consoleActivationFollowsTheSameRulesAsTheApi() {
    AgentBuilder agent = sim.agent("a").publishedVersions(1);
    SimVersion draft = agent.draft("wip");

    assertThatThrownBy(() -> sim.consoleActivate("a", draft.id(), "user_human"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sim.consoleActivate("a", "nope", "user_human"))
        .isInstanceOf(NoSuchElementException.class);
  }

  // ---- seeding ------------------------------------------------------------------------------

  @Test
  void builderAppendsVersionNumbersAfterExistingOnesAndDraftsHaveNone() {
    AgentBuilder agent = sim.agent("a").publishedVersions(2);
    agent.archived(2);
    agent.publishedVersions(2);
    SimVersion draft = agent.draft("wip");

    assertThat(sim.agent("a")).isSameAs(agent);
    assertThat(sim.versions("a"))
        .extracting(SimVersion::versionNumber)
        .containsExactly(1, 2, 3, 4, null);
    assertThat(sim.versions("a"))
        .extracting(SimVersion::label)
        .containsExactly("v1", "v2", "v3", "v4", "wip");
    assertThat(draft.status()).isEqualTo("draft");
    assertThat(draft.versionNumber()).isNull();
    assertThat(draft.draftId()).matches("[0-9a-f]{24}");
    assertThat(draft.sourceVersionId()).isEqualTo(agent.versionNumber(4).id());
    assertThat(sim.activeVersion("a")).isEmpty();
    assertThatThrownBy(() -> agent.versionNumber(9)).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void archivingTheActiveVersionIsRefused() {
    AgentBuilder agent = sim.agent("a").publishedVersions(2).activeVersion(2);

    assertThatThrownBy(() -> agent.archived(2)).isInstanceOf(IllegalStateException.class);
  }

  // ---- faults, latency, counters ------------------------------------------------------------

  @Test
  void injectedServiceUnavailableHitsOnceThenRequestsSucceed() throws Exception {
    sim.agent("a").publishedVersions(1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.status(503), 1);

    HttpResponse<String> first = list("a", "");
    HttpResponse<String> second = list("a", "");

    assertErrorEnvelope(first, 503, "Service unavailable");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS)).isEqualTo(2);
  }

  @Test
  void tooManyRequestsFaultCarriesRetryAfterHeader() throws Exception {
    String v1 = sim.agent("a").publishedVersions(1).versionNumber(1).id();
    sim.injectFault(Endpoint.ACTIVATE_VERSION, Fault.tooManyRequests(7), 1);

    HttpResponse<String> limited = activate("a", v1, "Bearer " + KEY);

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("7");
    assertThat(body(limited).get("status").asBoolean()).isFalse();
    assertThat(sim.activeVersion("a")).isEmpty();
    assertThat(activate("a", v1, "Bearer " + KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void faultsQueueInOrderPerEndpointAndApplyEvenWithoutValidAuth() throws Exception {
    sim.agent("a").publishedVersions(1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.status(500), 2);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.status(502), 1);

    assertThat(activate("a", "x", "Bearer " + KEY).statusCode()).isEqualTo(404);
    assertErrorEnvelope(list("a", "", "Bearer wrong"), 500, "Internal server error");
    assertThat(list("a", "").statusCode()).isEqualTo(500);
    assertThat(list("a", "").statusCode()).isEqualTo(502);
    assertThat(list("a", "").statusCode()).isEqualTo(200);
  }

  @Test
  void timeoutFaultDelaysTheAnswerPastTheClientTimeout() throws Exception {
    sim.agent("a").publishedVersions(1);
    sim.injectFault(Endpoint.LIST_VERSIONS, Fault.timeout(Duration.ofSeconds(30)), 1);
    HttpRequest slow =
        HttpRequest.newBuilder(uri("/agent/a/versions"))
            .header("Authorization", "Bearer " + KEY)
            .timeout(Duration.ofMillis(300))
            .GET()
            .build();

    assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(list("a", "").statusCode()).isEqualTo(200);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS)).isEqualTo(2);
  }

  @Test
  void latencyIsAddedToEveryRequest() throws Exception {
    sim.agent("a").publishedVersions(1);
    sim.setLatency(Duration.ofMillis(200));

    long started = System.nanoTime();
    HttpResponse<String> response = list("a", "");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void anAgentsOwnLatencySlowsOnlyThatAgent() throws Exception {
    sim.agent("slow").publishedVersions(1);
    sim.agent("fast").publishedVersions(1);
    sim.setLatency("slow", Duration.ofSeconds(30));

    HttpRequest slow =
        HttpRequest.newBuilder(uri("/agent/slow/versions"))
            .header("Authorization", "Bearer " + KEY)
            .timeout(Duration.ofMillis(300))
            .GET()
            .build();

    assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(list("fast", "").statusCode()).isEqualTo(200);
    sim.setLatency("slow", Duration.ZERO);
    assertThat(list("slow", "").statusCode()).isEqualTo(200);
  }

  @Test
  void heldRequestsWaitInFlightUntilLetGo() throws Exception {
    sim.agent("held").publishedVersions(1);
    sim.agent("free").publishedVersions(1);
    sim.hold("held");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<HttpResponse<String>> first = pool.submit(() -> list("held", ""));
      Future<HttpResponse<String>> second = pool.submit(() -> list("held", ""));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sim.heldRequests("held") == 2);

      assertThat(list("free", "").statusCode()).isEqualTo(200);
      assertThat(first).isNotDone();
      assertThat(sim.inFlight()).isEqualTo(2);

      sim.letGo("held");
      assertThat(first.get().statusCode()).isEqualTo(200);
      assertThat(second.get().statusCode()).isEqualTo(200);
      assertThat(sim.heldRequests("held")).isZero();
      assertThat(list("held", "").statusCode()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void countersTrackEveryRequestPerEndpointAndPerAgentWhateverTheAnswer() throws Exception {
    String v1 = sim.agent("a").publishedVersions(1).versionNumber(1).id();
    sim.agent("b").publishedVersions(1);

    list("a", "");
    list("a", "?limit=0");
    list("b", "", "Bearer wrong");
    list("ghost", "");
    activate("a", v1, "Bearer " + KEY);
    activate("a", v1, "Bearer " + KEY);
    send(HttpRequest.newBuilder(uri("/agents")).GET());

    assertThat(sim.calls(Endpoint.LIST_VERSIONS)).isEqualTo(4);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, "a")).isEqualTo(2);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, "b")).isEqualTo(1);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, "ghost")).isEqualTo(1);
    assertThat(sim.calls(Endpoint.ACTIVATE_VERSION)).isEqualTo(2);
    assertThat(sim.calls(Endpoint.ACTIVATE_VERSION, "a")).isEqualTo(2);
    assertThat(sim.calls(Endpoint.ACTIVATE_VERSION, "b")).isZero();
    assertThat(sim.totalCalls()).isEqualTo(6);

    sim.resetCounters();

    assertThat(sim.totalCalls()).isZero();
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, "a")).isZero();
  }

  // ---- routing ------------------------------------------------------------------------------

  @Test
  void unknownPathIsNotFoundAndWrongMethodIsNotAllowed() throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/agent/a/config")).GET());
    HttpResponse<String> outsideBase =
        send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sim.port() + "/agent/a/versions"))
                .GET());
    HttpResponse<String> wrongMethod =
        send(
            HttpRequest.newBuilder(uri("/agent/a/versions"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertErrorEnvelope(unknown, 404, "Not found");
    assertErrorEnvelope(outsideBase, 404, "Not found");
    assertErrorEnvelope(wrongMethod, 405, "Method not allowed");
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void trailingSlashIsTolerated() throws Exception {
    sim.agent("a").publishedVersions(1);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/agent/a/versions/"))
                .header("Authorization", "Bearer " + KEY)
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private URI uri(String pathUnderBase) {
    return URI.create(sim.baseUrl() + pathUnderBase);
  }

  private HttpResponse<String> list(String rawAgentId, String query)
      throws IOException, InterruptedException {
    return list(rawAgentId, query, "Bearer " + KEY);
  }

  /** {@code rawAgentId} goes into the path as-is, so callers percent-encode when they need to. */
  private HttpResponse<String> list(String rawAgentId, String query, String authorization)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/agent/" + rawAgentId + "/versions" + query))
            .header("Authorization", authorization)
            .GET());
  }

  private HttpResponse<String> activate(String rawAgentId, String versionId, String authorization)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/agent/" + rawAgentId + "/versions/" + versionId + "/activate"))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode body(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static void assertErrorEnvelope(HttpResponse<String> response, int status, String message)
      throws IOException {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body = body(response);
    assertThat(body.get("status").asBoolean(true)).isFalse();
    assertThat(body.get("errors").isArray()).isTrue();
    assertThat(body.get("errors").get(0).asText()).isEqualTo(message);
  }

  private static List<Integer> versionNumbers(JsonNode data) {
    List<Integer> numbers = new ArrayList<>();
    data.get("versions").forEach(v -> numbers.add(v.get("versionNumber").asInt()));
    return numbers;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
