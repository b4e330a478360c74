package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.HostileAnswer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint makes the simulator misbehave on request, per agent. */
class SimulatorAdminServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private AtomsSimulator simulator;
  private SimulatorAdminServer admin;

  @BeforeEach
  void start() {
    simulator = AtomsSimulator.start(0, Clock.systemUTC());
    DemoAgents.seed(simulator);
    admin = new SimulatorAdminServer(simulator, List.of("agent-support", "agent-sales"), 0);
  }

  @AfterEach
  void stop() {
    admin.close();
    simulator.close();
  }

  @Test
  void listsEveryFaultKind() throws Exception {
    JsonNode kinds = JSON.readTree(send("GET", "/faults").body()).path("kinds");

    assertThat(kinds).hasSize(HostileAnswer.values().length);
    assertThat(kinds.get(0).path("endpoints")).isNotEmpty();
  }

  @Test
  void aFaultHitsTheNamedAgentAsOftenAsAskedAndCanBeCleared() throws Exception {
    HttpResponse<String> injected =
        send("POST", "/agents/agent-support/faults?kind=ignore_skip&times=2");
    assertThat(injected.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(injected.body()).path("endpoints").toString()).isEqualTo("[\"list\"]");

    assertThat(page("agent-sales", 100)).as("another agent").isEqualTo(20);
    assertThat(page("agent-support", 100)).as("the first page again").isEqualTo(6);
    assertThat(page("agent-support", 100)).isEqualTo(6);
    assertThat(page("agent-support", 100)).as("used up").isEqualTo(-1);

    send("POST", "/agents/agent-support/faults?kind=CONFLICT&endpoint=activate&times=always");
    String v2 = simulator.agent("agent-support").versionNumber(2).id();
    assertThat(activate("agent-support", v2)).isEqualTo(409);
    assertThat(activate("agent-support", v2)).isEqualTo(409);
    send("DELETE", "/agents/agent-support/faults");
    assertThat(activate("agent-support", v2)).isEqualTo(200);
    assertThat(simulator.calls(Endpoint.ACTIVATE_VERSION, "agent-support")).isEqualTo(3);
  }

  @Test
  void refusesUnknownKindsAndEndpointsAKindDoesNotApplyTo() throws Exception {
    assertThat(send("POST", "/agents/agent-support/faults?kind=NOPE").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/agents/agent-support/faults").statusCode()).isEqualTo(400);
    assertThat(
            send("POST", "/agents/agent-support/faults?kind=IGNORE_SKIP&endpoint=activate")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            send("POST", "/agents/agent-support/faults?kind=NOT_JSON&everyMillis=5").statusCode())
        .isEqualTo(400);
  }

  @Test
  void playsTheConsolePublishingPinningLabellingArchivingAndActivatingAsSomeone() throws Exception {
    JsonNode published =
        JSON.readTree(send("POST", "/agents/agent-support/publish?label=next").body());
    assertThat(published.path("versionNumber").asInt()).isEqualTo(7);
    assertThat(published.path("label").asText()).isEqualTo("next");

    assertThat(send("POST", "/agents/agent-support/versions/7/pin").statusCode()).isEqualTo(200);
    assertThat(simulator.agent("agent-support").versionNumber(7).isPinned()).isTrue();
    send("POST", "/agents/agent-support/versions/7/unpin");
    assertThat(simulator.agent("agent-support").versionNumber(7).isPinned()).isFalse();
    send("POST", "/agents/agent-support/versions/6/label?label=stable");
    assertThat(simulator.agent("agent-support").versionNumber(6).label()).isEqualTo("stable");
    send("POST", "/agents/agent-support/versions/4/archive");
    assertThat(simulator.agent("agent-support").versionNumber(4).status()).isEqualTo("archived");

    JsonNode activated =
        JSON.readTree(send("POST", "/agents/agent-support/activate?version=6&by=user_bob").body());
    assertThat(activated.path("activatedBy").asText()).isEqualTo("user_bob");
    assertThat(simulator.calls(Endpoint.ACTIVATE_VERSION)).as("not API calls").isZero();
  }

  @Test
  void consoleActionsOnUnknownAgentsOrVersionsAreNotFound() throws Exception {
    assertThat(send("POST", "/agents/nobody/publish").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/agents/agent-support/versions/99/pin").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/agents/agent-support/versions/2/explode").statusCode())
        .isEqualTo(400);
    assertThat(send("POST", "/agents/agent-support/versions/2/label").statusCode()).isEqualTo(400);
  }

  /** The versionNumber of the first version on the page at {@code skip}, -1 for an empty page. */
  private int page(String agent, int skip) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        simulator.baseUrl()
                            + "/agent/"
                            + agent
                            + "/versions?limit=100&skip="
                            + skip))
                .header("Authorization", "Bearer " + DemoAgents.API_KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode versions = JSON.readTree(response.body()).path("data").path("versions");
    return versions.isEmpty() ? -1 : versions.get(0).path("versionNumber").asInt();
  }

  private int activate(String agent, String versionId) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        simulator.baseUrl()
                            + "/agent/"
                            + agent
                            + "/versions/"
                            + versionId
                            + "/activate"))
                .header("Authorization", "Bearer " + DemoAgents.API_KEY)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(admin.url() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
