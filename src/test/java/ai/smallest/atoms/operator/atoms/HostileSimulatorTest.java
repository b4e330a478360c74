package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.HostileAnswer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile answer the simulator can give, on every endpoint it applies to, permanently for one
 * agent: the client (and, for listings, the version finder) ends in the documented outcome, after
 * exactly the number of requests stated here, well within a bounded time. The agent has 150
 * published versions, v150 live; the finder looks for v1, on the second page.
 */
class HostileSimulatorTest {

  private static final String SECRET = "sim-hostile-key-0123456789";
  private static final ApiKey KEY = ApiKey.of(SECRET);
  private static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /** For the trickling answer only: one byte a second never completes within it. */
  private static final Duration SHORT_DEADLINE = Duration.ofMillis(600);

  private AtomsSimulator sim;
  private AtomsHttpClient client;
  private AtomsHttpClient impatientClient;
  private String v3;

  /** Success when {@code kind} is null. */
  record Expect(ErrorKind kind, ResponseProblem problem, int calls) {
    static Expect ok(int calls) {
      return new Expect(null, null, calls);
    }

    static Expect fails(ErrorKind kind, int calls) {
      return new Expect(kind, null, calls);
    }

    static Expect malformed(ResponseProblem problem, int calls) {
      return new Expect(ErrorKind.MALFORMED_RESPONSE, problem, calls);
    }
  }

  static Expect expected(HostileAnswer kind, Endpoint endpoint) {
    return switch (kind) {
      case NOT_JSON, EMPTY_BODY, TRUNCATED_JSON, TRAILING_GARBAGE ->
          Expect.malformed(ResponseProblem.NOT_JSON, 1);
      case STATUS_FALSE,
          NO_DATA,
          MISSING_ID,
          MISSING_IS_ACTIVE,
          WRONG_TYPES,
          UNSAFE_ID,
          VERSIONS_NOT_ARRAY,
          ALL_ACTIVE,
          DUPLICATE_VERSION,
          OTHER_AGENT ->
          Expect.malformed(ResponseProblem.WRONG_SHAPE, 1);
      // The version would be found regardless, so the finder looks for one that is not there.
      case TOTAL_TOO_HIGH -> Expect.malformed(ResponseProblem.TOTAL_MISMATCH, 3);
      // Page one claims to be the last; the confirming call sees the claim change; once more.
      case TOTAL_TOO_LOW -> Expect.malformed(ResponseProblem.LISTING_CHANGED, 4);
      case IGNORE_SKIP, REPEAT_PAGE -> Expect.malformed(ResponseProblem.REPEATED_PAGE, 2);
      // 50 a page with the true total: a server with smaller pages, paged to the end.
      case SHRINK_PAGE -> Expect.ok(3);
      case IGNORE_PIN_FILTER -> Expect.malformed(ResponseProblem.WRONG_SHAPE, 1);
      // v149 archived after every page: total changes between pages, twice in a row.
      case ARCHIVE_BETWEEN_PAGES -> Expect.malformed(ResponseProblem.LISTING_CHANGED, 4);
      case OVERSIZED -> Expect.malformed(ResponseProblem.TOO_LARGE, 1);
      case TRICKLE -> Expect.fails(ErrorKind.TIMEOUT, 1);
      case REDIRECT -> Expect.malformed(ResponseProblem.UNEXPECTED_STATUS, 1);
      case ACTIVATE_OTHER_VERSION, ACTIVATE_OTHER_AGENT ->
          Expect.malformed(ResponseProblem.WRONG_VERSION, 1);
      case ACTIVATE_NOT_ACTIVE -> Expect.malformed(ResponseProblem.NOT_ACTIVE, 1);
      case BAD_REQUEST_NOT_PUBLISHED -> Expect.fails(ErrorKind.VERSION_NOT_PUBLISHED, 1);
      case BAD_REQUEST_INVALID_INPUT,
          BAD_REQUEST_HTML,
          CONFLICT,
          PAYLOAD_TOO_LARGE,
          UNSUPPORTED_MEDIA_TYPE,
          UNPROCESSABLE ->
          Expect.fails(ErrorKind.BAD_REQUEST, 1);
      case UNAUTHORIZED -> Expect.fails(ErrorKind.UNAUTHORIZED, 1);
      case FORBIDDEN -> Expect.fails(ErrorKind.FORBIDDEN, 1);
      case AGENT_NOT_FOUND -> Expect.fails(ErrorKind.AGENT_NOT_FOUND, 1);
      case VERSION_NOT_FOUND -> Expect.fails(ErrorKind.VERSION_NOT_FOUND, 1);
      case AGENT_OR_VERSION_NOT_FOUND -> Expect.fails(ErrorKind.NOT_FOUND, 1);
      case INTERNAL_ERROR, BAD_GATEWAY_HTML, ERROR_FLOOD, UNAVAILABLE_RETRY_AFTER_ONE_YEAR ->
          Expect.fails(ErrorKind.SERVER_ERROR, 1);
      case RETRY_AFTER_SECONDS,
          RETRY_AFTER_HTTP_DATE,
          RETRY_AFTER_NEGATIVE,
          RETRY_AFTER_GARBAGE,
          RETRY_AFTER_OVERFLOWING,
          RETRY_AFTER_ONE_YEAR ->
          Expect.fails(ErrorKind.RATE_LIMITED, 1);
    };
  }

  static Optional<Duration> expectedRetryAfter(HostileAnswer kind) {
    return switch (kind) {
      case RETRY_AFTER_SECONDS -> Optional.of(Duration.ofSeconds(2));
      case RETRY_AFTER_OVERFLOWING, RETRY_AFTER_ONE_YEAR, UNAVAILABLE_RETRY_AFTER_ONE_YEAR ->
          Optional.of(BACKOFF_MAX);
      default -> Optional.empty();
    };
  }

  static Stream<Arguments> everyKindOnEveryEndpoint() {
    return Stream.of(HostileAnswer.values())
        .flatMap(kind -> kind.endpoints().stream().map(endpoint -> Arguments.of(kind, endpoint)));
  }

  @BeforeEach
  void start() {
    sim = AtomsSimulator.start().addApiKey(SECRET, "user_operator");
    sim.agent("a").publishedVersions(150).activeVersion(150).pinned(3);
    v3 = sim.agent("a").versionNumber(3).id();
    client =
        new AtomsHttpClient(
            URI.create(sim.baseUrl()),
            Duration.ofSeconds(2),
            DEADLINE,
            DEADLINE,
            BACKOFF_MAX,
            Clock.systemUTC());
    impatientClient =
        new AtomsHttpClient(
            URI.create(sim.baseUrl()),
            Duration.ofSeconds(2),
            SHORT_DEADLINE,
            SHORT_DEADLINE,
            BACKOFF_MAX,
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("everyKindOnEveryEndpoint")
  void endsInItsDocumentedOutcomeWithBoundedCalls(HostileAnswer kind, Endpoint endpoint) {
    Expect expect = expected(kind, endpoint);
    sim.alwaysFault(endpoint, "a", Fault.hostile(kind));

    Optional<AtomsApiException> failure =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> call(kind, endpoint));

    if (expect.kind() == null) {
      assertThat(failure).isEmpty();
    } else {
      AtomsApiException e = failure.orElseThrow(() -> new AssertionError(kind + " did not fail"));
      assertThat(e.kind()).isEqualTo(expect.kind());
      if (expect.problem() != null) {
        assertThat(e.problem()).contains(expect.problem());
      }
      assertThat(e.getMessage())
          .doesNotContain(SECRET)
          .hasSizeLessThanOrEqualTo(ErrorTexts.MAX_MESSAGE_CHARS);
      if (e.kind() == ErrorKind.RATE_LIMITED || e.kind() == ErrorKind.SERVER_ERROR) {
        if (kind == HostileAnswer.RETRY_AFTER_HTTP_DATE) {
          assertThat(e.retryAfter())
              .hasValueSatisfying(
                  d -> assertThat(d).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30)));
        } else {
          assertThat(e.retryAfter()).isEqualTo(expectedRetryAfter(kind));
        }
      }
    }
    assertThat(sim.calls(endpoint, "a")).as("requests").isEqualTo(expect.calls());
  }

  private Optional<AtomsApiException> call(HostileAnswer kind, Endpoint endpoint) {
    AtomsHttpClient client = kind == HostileAnswer.TRICKLE ? impatientClient : this.client;
    try {
      if (endpoint == Endpoint.ACTIVATE_VERSION) {
        client.activateVersion(KEY, "a", v3);
      } else if (kind == HostileAnswer.IGNORE_PIN_FILTER) {
        client.listPublishedVersions(KEY, "a", PageRequest.first(100, 0, true));
      } else {
        int wanted = kind == HostileAnswer.TOTAL_TOO_HIGH ? 1000 : 1;
        new VersionFinder(client).find(KEY, "a", v -> v.versionNumber() == wanted);
      }
      return Optional.empty();
    } catch (AtomsApiException e) {
      return Optional.of(e);
    }
  }
}
