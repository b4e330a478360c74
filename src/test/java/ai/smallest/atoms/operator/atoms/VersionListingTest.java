package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.HostileAnswer;
import ai.smallest.atoms.simulator.ListOrder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole listings, for choosing among versions (issue #15): every published version (or every pinned
 * one) whatever order the API lists them in, with the paging checks of the finder.
 */
class VersionListingTest {

  private static final String SECRET = "listing-key";
  private static final ApiKey KEY = ApiKey.of(SECRET);

  private AtomsSimulator sim;
  private VersionFinder finder;

  @BeforeEach
  void start() {
    sim = AtomsSimulator.start().addApiKey(SECRET, "user_operator");
    sim.agent("a").publishedVersions(230).activeVersion(17).pinned(12).pinned(150).pinned(229);
    sim.agent("a").archived(230);
    finder =
        new VersionFinder(
            new AtomsHttpClient(
                URI.create(sim.baseUrl()),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @ParameterizedTest
  @EnumSource(ListOrder.class)
  void listsEveryPublishedVersionOnceWhateverTheOrder(ListOrder order) {
    sim.listOrder(order);

    VersionFinder.Listing listing = finder.list(KEY, "a", null);

    assertThat(listing.versions()).hasSize(229);
    assertThat(
            listing.versions().stream()
                .map(AgentVersion::versionNumber)
                .max(Comparator.naturalOrder()))
        .contains(229);
    assertThat(listing.active()).map(AgentVersion::versionNumber).contains(17);
    assertThat(listing.totalPublished()).isEqualTo(229);
    assertThat(listing.listCalls()).isEqualTo(3);
    assertThat(sim.calls(Endpoint.LIST_VERSIONS, "a")).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(ListOrder.class)
  void listsPinnedVersionsThroughTheFilterInOneCall(ListOrder order) {
    sim.listOrder(order);

    VersionFinder.Listing pinned = finder.list(KEY, "a", true);

    assertThat(pinned.versions())
        .extracting(AgentVersion::versionNumber)
        .containsExactlyInAnyOrder(12, 150, 229);
    assertThat(pinned.versions()).allMatch(AgentVersion::pinned);
    assertThat(pinned.totalPublished()).as("total counts all published versions").isEqualTo(229);
    assertThat(pinned.listCalls()).as("a short page ends a filtered listing").isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ListOrder.class)
  void aVersionArchivedWhileListingIsNotMissedAndCostsOneMorePass(ListOrder order) {
    sim.listOrder(order);
    sim.injectFault(
        Endpoint.LIST_VERSIONS, "a", Fault.hostile(HostileAnswer.ARCHIVE_BETWEEN_PAGES), 1);

    VersionFinder.Listing listing = finder.list(KEY, "a", null);

    assertThat(listing.versions()).hasSize(228);
    assertThat(listing.listCalls()).as("page 1, page 2 refused, then 3 pages").isEqualTo(5);
  }
}
