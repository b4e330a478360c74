package ai.smallest.atoms.operator.atoms;

import static ai.smallest.atoms.operator.atoms.Json.AGENT;
import static ai.smallest.atoms.operator.atoms.Json.newestFirst;
import static ai.smallest.atoms.operator.atoms.Json.page;
import static ai.smallest.atoms.operator.atoms.Json.param;
import static ai.smallest.atoms.operator.atoms.Json.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The finder on the real client against servers that page wrongly: each costs a small, fixed number
 * of calls and ends in a named problem, never in a false "not found" and never in the page limit.
 */
class VersionFinderHostilePagingTest {

  private static final ApiKey KEY = ApiKey.of("k");
  private static final Duration BOUND = Duration.ofSeconds(20);

  private final StubAtoms stub = StubAtoms.start();
  private final VersionFinder finder =
      new VersionFinder(
          new AtomsHttpClient(
              URI.create(stub.baseUrl()),
              Duration.ofSeconds(2),
              Duration.ofSeconds(2),
              Duration.ofSeconds(5),
              Duration.ofMinutes(5),
              Clock.systemUTC()));

  @AfterEach
  void stop() {
    stub.close();
  }

  private static int skip(HttpExchange exchange) {
    return param(
        exchange.getRequestURI().getRawQuery() == null
            ? ""
            : "?" + exchange.getRequestURI().getRawQuery(),
        "skip");
  }

  private AtomsApiException findFails(int number) {
    AtomsApiException e =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                catchThrowableOfType(
                    AtomsApiException.class,
                    () -> finder.find(KEY, AGENT, v -> v.versionNumber() == number)));
    assertThat(e).as("the finder must fail").isNotNull();
    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    return e;
  }

  @Test
  void aServerThatIgnoresSkipCostsTwoCalls() {
    stub.answer((exchange, call) -> StubAtoms.json(exchange, 200, newestFirst(10_000, 0, 100)));

    AtomsApiException e = findFails(1);

    assertThat(e.problem()).contains(ResponseProblem.REPEATED_PAGE);
    assertThat(stub.calls()).isEqualTo(2);
  }

  @Test
  void aServerThatRepeatsAPageLaterIsCaughtWhenItDoes() {
    stub.answer(
        (exchange, call) -> {
          int skip = skip(exchange);
          StubAtoms.json(exchange, 200, newestFirst(1000, skip == 300 ? 100 : skip, 100));
        });

    AtomsApiException e = findFails(1);

    assertThat(e.problem()).contains(ResponseProblem.REPEATED_PAGE);
    assertThat(stub.calls()).isEqualTo(4);
  }

  @Test
  void aTotalTooHighIsCaughtByTheEmptyPageThatContradictsIt() {
    // 150 versions exist, total claims 500.
    stub.answer(
        (exchange, call) -> {
          String body = newestFirst(150, skip(exchange), 100);
          StubAtoms.json(exchange, 200, body.replace("\"total\":150", "\"total\":500"));
        });

    AtomsApiException e = findFails(1000);

    assertThat(e.problem()).contains(ResponseProblem.TOTAL_MISMATCH);
    assertThat(stub.calls()).isEqualTo(3);
  }

  @Test
  void aTotalTooLowEndingOnAFullPageIsCaughtByTheConfirmingCall() {
    // 250 versions exist, total claims 100: version 1 would be reported missing.
    stub.answer(
        (exchange, call) -> {
          String body = newestFirst(250, skip(exchange), 100);
          StubAtoms.json(exchange, 200, body.replace("\"total\":250", "\"total\":100"));
        });

    AtomsApiException e = findFails(1);

    assertThat(e.problem()).contains(ResponseProblem.TOTAL_MISMATCH);
    assertThat(stub.calls()).isEqualTo(2);
  }

  @Test
  void aVersionArchivedBetweenPagesMakesTheFinderLookOnceMore() {
    // Between the first and the second call version 250 is archived: everything shifts forward
    // by one, and version 150 would slip between the pages unseen.
    stub.answer(
        (exchange, call) -> {
          int total = call == 1 ? 250 : 249;
          StubAtoms.json(exchange, 200, newestFirst(total, skip(exchange), 100));
        });

    VersionFinder.Result result = finder.find(KEY, AGENT, v -> v.versionNumber() == 150);

    assertThat(result.version()).map(AgentVersion::versionNumber).contains(150);
    // Page 1, page 2 (total changed: refused), then page 1 again, where version 150 now is.
    assertThat(stub.calls()).isEqualTo(3);
  }

  @Test
  void aListingThatKeepsChangingEndsInAnErrorAfterTwoPasses() {
    stub.answer(
        (exchange, call) ->
            StubAtoms.json(exchange, 200, newestFirst(1000 + call, skip(exchange), 100)));

    AtomsApiException e = findFails(1);

    assertThat(e.problem()).contains(ResponseProblem.LISTING_CHANGED);
    assertThat(stub.calls()).isEqualTo(4);
  }

  @Test
  void pagesThatShrinkWithoutAnEndAreBoundedByTotal() {
    // Ten versions a page although 100 were asked for, total 100: ten calls, then the end.
    stub.answer(
        (exchange, call) -> StubAtoms.json(exchange, 200, newestFirst(100, skip(exchange), 10)));

    VersionFinder.Result result = finder.find(KEY, AGENT, v -> v.versionNumber() == 1000);

    assertThat(result.version()).isEmpty();
    assertThat(stub.calls()).isEqualTo(10);
  }

  @Test
  void anEndlessListingWithoutTotalStopsAtThePageLimit() {
    stub.answer(
        (exchange, call) -> {
          int skip = skip(exchange);
          List<String> fresh =
              IntStream.range(skip, skip + 100)
                  .mapToObj(i -> version(1_000_000 - i, false))
                  .toList();
          StubAtoms.json(exchange, 200, page(fresh, 0).replace(",\"total\":0", ""));
        });

    AtomsApiException e = findFails(1);

    assertThat(e.problem()).contains(ResponseProblem.LISTING_TOO_LONG);
    assertThat(stub.calls()).isEqualTo(VersionFinder.MAX_PAGES);
  }
}
