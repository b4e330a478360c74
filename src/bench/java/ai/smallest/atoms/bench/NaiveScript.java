package ai.smallest.atoms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What a team would write instead of an operator: a sequential script that, for each agent, lists
 * the published versions (100 per page, until the desired one turns up) and calls activate. It does
 * not check whether the version is already live, so every run (e.g. a cron job standing in for
 * drift correction) activates every agent again.
 */
public final class NaiveScript {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Calls made and wall time of one run. */
  public record Result(int agents, long listCalls, long activateCalls, long wallMillis) {
    public long calls() {
      return listCalls + activateCalls;
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String apiKey;

  public NaiveScript(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  public Result run(List<Workload.Agent> agents) {
    long started = System.nanoTime();
    long lists = 0;
    long activates = 0;
    for (Workload.Agent agent : agents) {
      String id = URLEncoder.encode(agent.agentId(), StandardCharsets.UTF_8);
      String versionId = null;
      for (int skip = 0; versionId == null; skip += Workload.PAGE_SIZE) {
        JsonNode data =
            send(
                HttpRequest.newBuilder(
                        URI.create(baseUrl + "/agent/" + id + "/versions?limit=100&skip=" + skip))
                    .GET());
        lists++;
        for (JsonNode version : data.path("versions")) {
          if (version.path("versionNumber").asInt() == agent.desired()) {
            versionId = version.path("_id").asText();
          }
        }
        if (versionId == null && skip + Workload.PAGE_SIZE >= data.path("total").asInt()) {
          throw new IllegalStateException(
              "version " + agent.desired() + " of " + agent.agentId() + " not found");
        }
      }
      send(
          HttpRequest.newBuilder(
                  URI.create(baseUrl + "/agent/" + id + "/versions/" + versionId + "/activate"))
              .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
              .header("Content-Type", "application/json"));
      activates++;
    }
    return new Result(agents.size(), lists, activates, (System.nanoTime() - started) / 1_000_000);
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request
                  .header("Authorization", "Bearer " + apiKey)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body()).path("data");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
