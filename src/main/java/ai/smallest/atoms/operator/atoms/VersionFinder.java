package ai.smallest.atoms.operator.atoms;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Pages through an agent's published versions until the wanted one turns up. Always asks for the
 * largest page (never the API's default of 20), stops as soon as the version is found, and stops
 * without an extra call once {@code total} says the list is exhausted.
 *
 * <p>For a version found beyond the first page it remembers where (per agent, in memory), so the
 * next resync asks for that page directly: one list call per resync instead of one per page. The
 * list is newest first, so new publications push the version further back and archiving newer ones
 * pulls it forward; the remembered offset starts {@link #HINT_MARGIN} entries early to absorb both.
 * When the version is not on the remembered page, the finder pages from the start again.
 */
public class VersionFinder {

  /** Guards against an API that keeps answering full pages (10,000 versions). */
  static final int MAX_PAGES = 100;

  /** How many entries before the version the remembered page starts. */
  static final int HINT_MARGIN = 10;

  private final AtomsClient client;
  private final Map<String, Integer> offsetHints = new ConcurrentHashMap<>();

  public VersionFinder(AtomsClient client) {
    this.client = client;
  }

  /** Pages until the wanted version is found. */
  public Result find(ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted) {
    return find(apiKey, agentId, wanted, false);
  }

  /**
   * Pages until the wanted version is found and, when {@code alsoActive}, the active one too (to
   * report what is live when the operator must not change it).
   */
  public Result find(
      ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted, boolean alsoActive) {
    Integer hint = offsetHints.get(agentId);
    if (hint == null) {
      return scanFromStart(apiKey, agentId, wanted, alsoActive, 0);
    }
    VersionPage page =
        client.listPublishedVersions(apiKey, agentId, AtomsClient.MAX_PAGE_SIZE, hint);
    List<AgentVersion> versions = page.versions();
    int position = indexOf(versions, wanted);
    Optional<AgentVersion> activeOnPage =
        versions.stream().filter(AgentVersion::active).findFirst();
    // When the live version must be reported too and it is not on this page, scan after all.
    if (position >= 0 && (!alsoActive || activeOnPage.isPresent())) {
      remember(agentId, hint + position);
      return new Result(Optional.of(versions.get(position)), activeOnPage, page.total(), 1);
    }
    // Moved off the page, gone, another version is wanted now, or the active one is elsewhere.
    return scanFromStart(apiKey, agentId, wanted, alsoActive, 1);
  }

  private Result scanFromStart(
      ApiKey apiKey,
      String agentId,
      Predicate<AgentVersion> wanted,
      boolean alsoActive,
      int callsSoFar) {
    int skip = 0;
    int pages = 0;
    int total = 0;
    Optional<AgentVersion> match = Optional.empty();
    Optional<AgentVersion> active = Optional.empty();
    while (pages < MAX_PAGES) {
      VersionPage page =
          client.listPublishedVersions(apiKey, agentId, AtomsClient.MAX_PAGE_SIZE, skip);
      pages++;
      total = page.total();
      if (match.isEmpty()) {
        int position = indexOf(page.versions(), wanted);
        if (position >= 0) {
          match = Optional.of(page.versions().get(position));
          remember(agentId, skip + position);
        }
      }
      if (active.isEmpty()) {
        active = page.versions().stream().filter(AgentVersion::active).findFirst();
      }
      boolean done =
          match.isPresent() && (!alsoActive || active.isPresent() || match.get().active());
      if (done) {
        return new Result(match, match.get().active() ? match : active, total, callsSoFar + pages);
      }
      skip += page.versions().size();
      boolean exhausted =
          page.versions().isEmpty()
              || (total >= 0 ? skip >= total : page.versions().size() < AtomsClient.MAX_PAGE_SIZE);
      if (exhausted) {
        break;
      }
    }
    if (match.isEmpty()) {
      offsetHints.remove(agentId);
    }
    return new Result(match, active, total, callsSoFar + pages);
  }

  private static int indexOf(List<AgentVersion> versions, Predicate<AgentVersion> wanted) {
    for (int i = 0; i < versions.size(); i++) {
      if (wanted.test(versions.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Versions on the first page need no hint: the scan starts there anyway. */
  private void remember(String agentId, int position) {
    if (position < AtomsClient.MAX_PAGE_SIZE - HINT_MARGIN) {
      offsetHints.remove(agentId);
    } else {
      offsetHints.put(agentId, position - HINT_MARGIN);
    }
  }

  /**
   * The wanted version if published, the active version if it was seen, how many published versions
   * exist, and the list calls made.
   */
  public record Result(
      Optional<AgentVersion> version,
      Optional<AgentVersion> active,
      int totalPublished,
      int listCalls) {}
}
