package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VersionFinderTest {

  private static final ApiKey KEY = ApiKey.of("k");

  /**
   * Serves one agent's published versions newest first, like the simulator, and records the {@code
   * skip} of every list call. Answers are not checked here: {@link VersionFinderHostilePagingTest}
   * runs the finder on the real client.
   */
  private static final class Listing implements AtomsClient {
    List<AgentVersion> versions = List.of();
    int total;
    final List<Integer> skips = new ArrayList<>();

    void newestFirst(int count, int activeNumber) {
      versions =
          IntStream.range(0, count)
              .mapToObj(i -> version(count - i, count - i == activeNumber))
              .toList();
      total = count;
    }

    @Override
    public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
      skips.add(request.skip());
      int from = Math.min(request.skip(), versions.size());
      int to = Math.min(versions.size(), request.skip() + request.limit());
      return new VersionPage(versions.subList(from, to), total);
    }

    @Override
    public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
      throw new UnsupportedOperationException();
    }
  }

  private final Listing listing = new Listing();
  private final VersionFinder finder = new VersionFinder(listing);

  private static AgentVersion version(int number, boolean active) {
    return new AgentVersion(
        "id-" + number, "agent", "published", number, "v" + number, active, null, null);
  }

  private VersionFinder.Result find(int number) {
    return finder.find(KEY, "agent", v -> v.versionNumber() == number);
  }

  @Test
  void findsVersionOnThirdPageOf250WithThreeFullSizeListCalls() {
    listing.newestFirst(250, 0);

    VersionFinder.Result result = find(10);

    assertThat(result.version()).map(AgentVersion::id).contains("id-10");
    assertThat(result.listCalls()).isEqualTo(3);
    assertThat(listing.skips).containsExactly(0, 100, 200);
  }

  @Test
  void hintsOfAgentsNoReleaseManagesAnyMoreAreSweptAsTheyGrow() {
    listing.newestFirst(250, 0);
    java.util.Set<String> managed = new java.util.HashSet<>();
    VersionFinder forgetful = new VersionFinder(listing, managed::contains);

    for (int i = 0; i < 10_000; i++) {
      String agent = "agent-" + i;
      managed.add(agent);
      forgetful.find(KEY, agent, v -> v.versionNumber() == 10);
      if (i % 100 != 0) {
        managed.remove(agent); // its release is deleted; one in a hundred stays
      }
    }

    assertThat(forgetful.offsetHints())
        .isLessThanOrEqualTo(2 * managed.size() + VersionFinder.SWEEP_MINIMUM);
    // The hints of agents still managed survive the sweeps: one call straight to their page.
    listing.skips.clear();
    forgetful.find(KEY, "agent-0", v -> v.versionNumber() == 10);
    assertThat(listing.skips).containsExactly(240 - VersionFinder.HINT_MARGIN);
  }

  @Test
  void stopsAfterFirstPageWhenVersionIsThere() {
    listing.newestFirst(250, 0);

    VersionFinder.Result result = find(240);

    assertThat(result.version()).isPresent();
    assertThat(listing.skips).containsExactly(0);
  }

  @Test
  void aShortLastPageEndsTheListingWithoutAnExtraCall() {
    listing.newestFirst(150, 0);

    VersionFinder.Result result = find(151);

    assertThat(result.version()).isEmpty();
    assertThat(result.totalPublished()).isEqualTo(150);
    assertThat(listing.skips).containsExactly(0, 100);
  }

  @Test
  void anEndThatFallsOnAFullPageIsConfirmedBeforeTheVersionIsReportedMissing() {
    listing.newestFirst(100, 0);

    VersionFinder.Result result = find(101);

    assertThat(result.version()).isEmpty();
    assertThat(listing.skips).as("one call beyond total").containsExactly(0, 100);
  }

  @Test
  void aVersionFoundOnTheLastFullPageNeedsNoConfirmation() {
    listing.newestFirst(100, 0);

    assertThat(find(1).version()).isPresent();
    assertThat(listing.skips).containsExactly(0);
  }

  @Test
  void aServerWithSmallerPagesIsPagedByWhatItReturned() {
    listing.versions = List.of(version(3, false), version(2, false), version(1, false));
    listing.total = 3;
    AtomsClient twoPerPage =
        new AtomsClient() {
          @Override
          public VersionPage listPublishedVersions(ApiKey k, String a, PageRequest request) {
            return listing.listPublishedVersions(
                k, a, new PageRequest(2, request.skip(), null, request.seenIds(), -1));
          }

          @Override
          public AgentVersion activateVersion(ApiKey k, String a, String v) {
            throw new UnsupportedOperationException();
          }
        };

    VersionFinder.Result result =
        new VersionFinder(twoPerPage).find(KEY, "agent", v -> v.versionNumber() == 1);

    assertThat(result.version()).isPresent();
    assertThat(listing.skips).containsExactly(0, 2);
  }

  @Test
  void resyncOfAVersionBeyondPageOneTakesOneListCallFromTheRememberedOffset() {
    listing.newestFirst(250, 0);
    find(10); // position 240: three pages
    listing.skips.clear();

    VersionFinder.Result again = find(10);

    assertThat(again.version()).map(AgentVersion::id).contains("id-10");
    assertThat(again.listCalls()).isEqualTo(1);
    assertThat(listing.skips).containsExactly(240 - VersionFinder.HINT_MARGIN);
  }

  @Test
  void readingAWholeListingKeepsTheRememberedOffset() {
    listing.newestFirst(250, 0);
    find(10);

    assertThat(finder.list(KEY, "agent", null).versions()).hasSize(250);
    listing.skips.clear();

    assertThat(find(10).listCalls()).isEqualTo(1);
    assertThat(listing.skips).containsExactly(240 - VersionFinder.HINT_MARGIN);
  }

  @Test
  void newPublicationsPushTheVersionBackWithinTheRememberedPage() {
    listing.newestFirst(250, 0);
    find(10);
    listing.newestFirst(300, 0); // 50 versions published since: version 10 is now at position 290

    VersionFinder.Result again = find(10);

    assertThat(again.version()).isPresent();
    assertThat(again.listCalls()).isEqualTo(1);
  }

  @Test
  void versionThatLeftTheRememberedPageIsFoundByPagingFromTheStart() {
    listing.newestFirst(250, 0);
    find(10);
    listing.newestFirst(50, 0); // 200 newer versions archived: version 10 is on page one now

    VersionFinder.Result again = find(10);

    assertThat(again.version()).isPresent();
    assertThat(again.listCalls()).as("the remembered page, then page one").isEqualTo(2);
    assertThat(find(10).listCalls()).as("page one needs no memory").isEqualTo(1);
  }

  @Test
  void anotherWantedVersionFallsBackToPagingFromTheStart() {
    listing.newestFirst(250, 0);
    find(10);

    VersionFinder.Result other = find(200);

    assertThat(other.version()).map(AgentVersion::versionNumber).contains(200);
    assertThat(other.listCalls()).isEqualTo(2);
  }

  @Test
  void reportingTheLiveVersionScansFromTheStartWhenItIsNotOnTheRememberedPage() {
    listing.newestFirst(250, 250); // the newest version is live
    finder.find(KEY, "agent", v -> v.versionNumber() == 10, true);

    VersionFinder.Result again = finder.find(KEY, "agent", v -> v.versionNumber() == 10, true);

    assertThat(again.active()).map(AgentVersion::versionNumber).contains(250);
    assertThat(again.listCalls()).isEqualTo(1 + 3);
  }
}
