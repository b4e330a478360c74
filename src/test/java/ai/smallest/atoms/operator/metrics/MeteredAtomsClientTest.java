package ai.smallest.atoms.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.PageRequest;
import ai.smallest.atoms.operator.atoms.ResponseProblem;
import ai.smallest.atoms.operator.atoms.VersionPage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeteredAtomsClientTest {

  private static final ApiKey KEY = ApiKey.of("k");

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of(
            "a 404",
            (Supplier<AtomsApiException>) () -> AtomsApiException.http(404, List.of(), null),
            "4xx"),
        Arguments.of(
            "a 503",
            (Supplier<AtomsApiException>) () -> AtomsApiException.http(503, List.of(), null),
            "5xx"),
        Arguments.of(
            "a 200 that was not believed",
            (Supplier<AtomsApiException>)
                () -> AtomsApiException.malformed(ResponseProblem.REPEATED_PAGE, 200, "repeats"),
            "malformed"),
        Arguments.of(
            "a redirect",
            (Supplier<AtomsApiException>) () -> AtomsApiException.http(302, List.of(), null),
            "malformed"),
        Arguments.of(
            "a deadline",
            (Supplier<AtomsApiException>) () -> AtomsApiException.timeout("late", null),
            "timeout"),
        Arguments.of(
            "a reset",
            (Supplier<AtomsApiException>) () -> AtomsApiException.network("reset", null),
            "network"));
  }

  @ParameterizedTest(name = "{0} counts as {2}")
  @MethodSource("outcomes")
  void countsEveryFailedRequestWithANon2xxStatusClass(
      String what, Supplier<AtomsApiException> failure, String statusClass) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeteredAtomsClient client =
        new MeteredAtomsClient(failing(failure), new OperatorMetrics(registry));

    assertThatThrownBy(() -> client.listPublishedVersions(KEY, "agent", 100, 0))
        .isInstanceOf(AtomsApiException.class);

    assertThat(
            registry
                .get(OperatorMetrics.API_REQUESTS)
                .tag("endpoint", "list_versions")
                .tag("status_class", statusClass)
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @org.junit.jupiter.api.Test
  void anIdThatWasNeverSentIsNotARequest() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeteredAtomsClient client =
        new MeteredAtomsClient(
            failing(
                () -> AtomsApiException.invalidId("agentId", "agentId \"..\" is a dot segment")),
            new OperatorMetrics(registry));

    assertThatThrownBy(() -> client.activateVersion(KEY, "..", "v"))
        .isInstanceOf(AtomsApiException.class);

    assertThat(registry.find(OperatorMetrics.API_REQUESTS).counters()).isEmpty();
  }

  private static AtomsClient failing(Supplier<AtomsApiException> failure) {
    return new AtomsClient() {
      @Override
      public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
        throw failure.get();
      }

      @Override
      public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
        throw failure.get();
      }
    };
  }
}
