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
    return new AgentVersion("id-" + number, "agent", "published", number, "v" + number, active, null, null);
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
    when(client.listPublishedVersions(KEY, "agent", 100, 0)).thenReturn(new VersionPage(List.of(), 500));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> true);

    assertThat(result.version()).isEmpty();
    assertThat(result.listCalls()).isEqualTo(1);
  }

  @Test
  void advancesSkipByWhatTheServerReturnedWhenPagesAreShort() {
    when(client.listPublishedVersions(KEY, "agent", 100, 0)).thenReturn(new VersionPage(List.of(version(3, false)), 3));
    when(client.listPublishedVersions(KEY, "agent", 100, 1)).thenReturn(new VersionPage(List.of(version(2, false)), 3));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 2);

    assertThat(result.version()).isPresent();
    assertThat(result.listCalls()).isEqualTo(2);
  }

  @Test
  void pageLimitBoundsAnEndlessListing() {
    when(client.listPublishedVersions(eq(KEY), eq("agent"), eq(100), anyInt()))
        .thenAnswer(inv -> new VersionPage(IntStream.range(0, 100).mapToObj(i -> version(1000 + i, false)).toList(), -1));

    VersionFinder.Result result = finder.find(KEY, "agent", v -> v.versionNumber() == 5);

    assertThat(result.version()).isEmpty();
    assertThat(result.listCalls()).isEqualTo(VersionFinder.MAX_PAGES);
  }
}
