package ai.smallest.atoms.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What someone in the Atoms console does to versions (publish, pin, label, archive, activate as a
 * named user), as the API then reports it; and the order of the list endpoint.
 */
class AtomsSimulatorConsoleTest {

  private static final String KEY = "console-key";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MutableClock clock;
  private AtomsSimulator sim;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    sim = AtomsSimulator.start(0, clock).addApiKey(KEY, "user_operator");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void publishingNumbersAfterEveryNumberEverUsedIncludingArchivedOnes() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(3).activeVersion(2);
    agent.archived(3);
    clock.advance(Duration.ofMinutes(1));

    SimVersion published = agent.publish("stable");
    SimVersion unlabelled = agent.publish(null);

    assertThat(published.versionNumber()).isEqualTo(4);
    assertThat(published.label()).isEqualTo("stable");
    assertThat(published.isPublished()).isTrue();
    assertThat(published.isActive()).isFalse();
    assertThat(published.publishedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(unlabelled.label()).isEqualTo("v5");
    assertThat(numbers(list("a", ""))).containsExactly(5, 4, 2, 1);
    assertThat(total(list("a", ""))).isEqualTo(4);
  }

  @Test
  void pinningAndUnpinningShowInTheFilteredListWhoseTotalCountsAllPublishedVersions()
      throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(5).pinned(2).pinned(4);
    agent.archived(1);

    assertThat(numbers(list("a", "?isPinned=true"))).containsExactly(4, 2);
    agent.unpinned(4).pinned(5);
    JsonNode pinned = list("a", "?isPinned=true");
    JsonNode unpinned = list("a", "?isPinned=false");

    assertThat(numbers(pinned)).containsExactly(5, 2);
    assertThat(numbers(unpinned)).containsExactly(4, 3);
    assertThat(total(pinned)).as("the contract: total counts all published").isEqualTo(4);
    assertThat(total(unpinned)).isEqualTo(4);
  }

  @Test
  void labelsCanBeSetAndCleared() throws Exception {
    AgentBuilder agent = sim.agent("a").publishedVersions(2);

    agent.label(1, "stable").label(2, null);

    JsonNode versions = list("a", "").path("data").path("versions");
    assertThat(versions.get(1).path("label").asText()).isEqualTo("stable");
    assertThat(versions.get(0).path("label").isNull()).isTrue();
  }

  @Test
  void consoleChangesToUnknownVersionsFail() {
    AgentBuilder agent = sim.agent("a").publishedVersions(1);

    assertThatThrownBy(() -> agent.pinned(7)).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> agent.label(7, "x")).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void activationsReportWhoActivatedByIdAndName() throws Exception {
    sim.userName("user_operator", "Atoms Operator").userName("user_alice", "Alice Example");
    AgentBuilder agent = sim.agent("a").publishedVersions(3);
    sim.consoleActivate("a", agent.versionNumber(2).id(), "user_alice");

    JsonNode byAlice = list("a", "").path("data").path("versions").get(1);
    assertThat(byAlice.path("activatedBy").asText()).isEqualTo("user_alice");
    assertThat(byAlice.path("activatedByName").asText()).isEqualTo("Alice Example");

    HttpResponse<String> activated = activate("a", agent.versionNumber(3).id());
    JsonNode data = JSON.readTree(activated.body()).path("data");
    assertThat(data.path("activatedBy").asText()).isEqualTo("user_operator");
    assertThat(data.path("activatedByName").asText()).isEqualTo("Atoms Operator");
  }

  @Test
  void listsNewestFirstByDefaultAndStablyInAnyOtherOrderAcrossPages() throws Exception {
    sim.agent("a").publishedVersions(250);

    assertThat(allPages("a")).as("default").isEqualTo(range(250, 1));
    sim.listOrder(ListOrder.OLDEST_FIRST);
    assertThat(allPages("a")).isEqualTo(range(1, 250));
    sim.listOrder(ListOrder.SHUFFLED);
    List<Integer> shuffled = allPages("a");
    assertThat(shuffled).containsExactlyInAnyOrderElementsOf(range(1, 250));
    assertThat(shuffled).isNotEqualTo(range(250, 1)).isNotEqualTo(range(1, 250));
    assertThat(allPages("a")).as("the same permutation on every listing").isEqualTo(shuffled);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private List<Integer> allPages(String agent) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    for (int skip = 0; skip < 300; skip += 100) {
      numbers.addAll(numbers(list(agent, "?limit=100&skip=" + skip)));
    }
    return numbers;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> numbers = new ArrayList<>();
    int step = from <= to ? 1 : -1;
    for (int n = from; n != to + step; n += step) {
      numbers.add(n);
    }
    return numbers;
  }

  private JsonNode list(String agent, String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(sim.baseUrl() + "/agent/" + agent + "/versions" + query))
                .header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> activate(String agent, String versionId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    sim.baseUrl() + "/agent/" + agent + "/versions/" + versionId + "/activate"))
            .header("Authorization", "Bearer " + KEY)
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<Integer> numbers(JsonNode answer) {
    List<Integer> numbers = new ArrayList<>();
    answer.path("data").path("versions").forEach(v -> numbers.add(v.path("versionNumber").asInt()));
    return numbers;
  }

  private static int total(JsonNode answer) {
    return answer.path("data").path("total").asInt();
  }
}
