package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class VersionFinderTest {

  private static final ApiKey KEY = ApiKey.of("k");
  private final AtomsClient client = mock(AtomsClient.class);
  private final VersionFinder finder = new VersionFinder(client);

  /** Newest first, like the API: page 1 holds total..total-99. */
  private static VersionPage page(int total, int skip, int limit) {
    List<AgentVersion> versions =
        IntStream.range(skip, Math.min(total, skip + limit))
            .mapToObj(i -> version(total - i, false))
            .toList();
    return new VersionPage(versions, total);
  }

  private static AgentVersion version(int number, boolean active) {
    return new AgentVersion(
        "id-" + number, "agent", "published", number, "v" + number, active, null, null);
  }

  @Test
  void findsVersionOnThirdPageOf250WithThreeFullSizeListCalls() {
    for (int skip : new int[] {0, 100, 200}) {
      when(client.listPublishedVersions(KEY, "agent", 100, skip)).thenReturn(page(250, skip, 100));
    }

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 10);

    assertThat(result.version()).map(AgentVersion::id).contains("id-10");
    assertThat(result.listCalls()).isEqualTo(3);
    InOrder order = inOrder(client);
    order.verify(client).listPublishedVersions(KEY, "agent", 100, 0);
    order.verify(client).listPublishedVersions(KEY, "agent", 100, 100);
    order.verify(client).listPublishedVersions(KEY, "agent", 100, 200);
  }

  @Test
  void stopsAfterFirstPageWhenVersionIsThere() {
    when(client.listPublishedVersions(KEY, "agent", 100, 0)).thenReturn(page(250, 0, 100));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 240);

    assertThat(result.version()).isPresent();
    assertThat(result.listCalls()).isEqualTo(1);
    verify(client, never()).listPublishedVersions(eq(KEY), eq("agent"), anyInt(), eq(100));
  }

  @Test
  void usesTotalToStopWithoutAnExtraEmptyCall() {
    when(client.listPublishedVersions(KEY, "agent", 100, 0)).thenReturn(page(100, 0, 100));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 101);

    assertThat(result.version()).isEmpty();
    assertThat(result.totalPublished()).isEqualTo(100);
    assertThat(result.listCalls()).isEqualTo(1);
  }

  @Test
  void stopsOnAnEmptyPageEvenIfTotalClaimsMore() {
    when(client.listPublishedVersions(KEY, "agent", 100, 0))
        .thenReturn(new VersionPage(List.of(), 500));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> true);

    assertThat(result.version()).isEmpty();
    assertThat(result.listCalls()).isEqualTo(1);
  }

  @Test
  void advancesSkipByWhatTheServerReturnedWhenPagesAreShort() {
    when(client.listPublishedVersions(KEY, "agent", 100, 0))
        .thenReturn(new VersionPage(List.of(version(3, false)), 3));
    when(client.listPublishedVersions(KEY, "agent", 100, 1))
        .thenReturn(new VersionPage(List.of(version(2, false)), 3));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 2);

    assertThat(result.version()).isPresent();
    assertThat(result.listCalls()).isEqualTo(2);
  }

  /** Answers every list call from a newest-first list of {@code total} versions, none active. */
  private void agentHas(int total) {
    when(client.listPublishedVersions(eq(KEY), eq("agent"), eq(100), anyInt()))
        .thenAnswer(inv -> page(total, inv.getArgument(3), 100));
  }

  @Test
  void resyncOfAVersionBeyondPageOneTakesOneListCallFromTheRememberedOffset() {
    agentHas(250);
    finder.find(KEY, "agent", v -> v.versionNumber() == 10); // position 240: three pages

    VersionFinder.Result again = finder.find(KEY, "agent", v -> v.versionNumber() == 10);

    assertThat(again.version()).map(AgentVersion::id).contains("id-10");
    assertThat(again.listCalls()).isEqualTo(1);
    verify(client).listPublishedVersions(KEY, "agent", 100, 240 - VersionFinder.HINT_MARGIN);
  }

  @Test
  void newPublicationsPushTheVersionBackWithinTheRememberedPage() {
    agentHas(250);
    finder.find(KEY, "agent", v -> v.versionNumber() == 10);
    agentHas(300); // 50 versions published since: version 10 is now at position 290

    VersionFinder.Result again = finder.find(KEY, "agent", v -> v.versionNumber() == 10);

    assertThat(again.version()).isPresent();
    assertThat(again.listCalls()).isEqualTo(1);
  }

  @Test
  void versionThatLeftTheRememberedPageIsFoundByPagingFromTheStart() {
    agentHas(250);
    finder.find(KEY, "agent", v -> v.versionNumber() == 10);
    agentHas(50); // 200 newer versions archived: version 10 is on page one now

    VersionFinder.Result again = finder.find(KEY, "agent", v -> v.versionNumber() == 10);

    assertThat(again.version()).isPresent();
    assertThat(again.listCalls()).as("the remembered page, then page one").isEqualTo(2);
    VersionFinder.Result third = finder.find(KEY, "agent", v -> v.versionNumber() == 10);
    assertThat(third.listCalls()).as("page one needs no memory").isEqualTo(1);
  }

  @Test
  void anotherWantedVersionFallsBackToPagingFromTheStart() {
    agentHas(250);
    finder.find(KEY, "agent", v -> v.versionNumber() == 10);

    VersionFinder.Result other = finder.find(KEY, "agent", v -> v.versionNumber() == 200);

    assertThat(other.version()).map(AgentVersion::versionNumber).contains(200);
    assertThat(other.listCalls()).isEqualTo(2);
  }

  @Test
  void reportingTheLiveVersionScansFromTheStartWhenItIsNotOnTheRememberedPage() {
    when(client.listPublishedVersions(eq(KEY), eq("agent"), eq(100), anyInt()))
        .thenAnswer(
            inv -> {
              int skip = inv.getArgument(3);
              List<AgentVersion> versions =
                  IntStream.range(skip, Math.min(250, skip + 100))
                      .mapToObj(i -> version(250 - i, i == 0)) // the newest version is live
                      .toList();
              return new VersionPage(versions, 250);
            });
    finder.find(KEY, "agent", v -> v.versionNumber() == 10, true);

    VersionFinder.Result again = finder.find(KEY, "agent", v -> v.versionNumber() == 10, true);

    assertThat(again.active()).map(AgentVersion::versionNumber).contains(250);
    assertThat(again.listCalls()).isEqualTo(1 + 3);
  }

  @Test
  void pageLimitBoundsAnEndlessListing() {
    when(client.listPublishedVersions(eq(KEY), eq("agent"), eq(100), anyInt()))
        .thenAnswer(
            inv ->
                new VersionPage(
                    IntStream.range(0, 100).mapToObj(i -> version(1000 + i, false)).toList(), -1));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 5);

    assertThat(result.version()).isEmpty();
    assertThat(result.listCalls()).isEqualTo(VersionFinder.MAX_PAGES);
  }
}
