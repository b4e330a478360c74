package ai.smallest.atoms.operator.atoms;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Pages through an agent's published versions until the wanted one turns up. Always asks for the
 * largest page (never the API's default of 20), stops as soon as the version is found, and stops
 * without an extra call once {@code total} says the list is exhausted.
 */
public class VersionFinder {

  /** Guards against an API that keeps answering full pages (10,000 versions). */
  static final int MAX_PAGES = 100;

  private final AtomsClient client;

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
  public Result find(ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted, boolean alsoActive) {
    int skip = 0;
    int pages = 0;
    int total = 0;
    Optional<AgentVersion> match = Optional.empty();
    Optional<AgentVersion> active = Optional.empty();
    while (pages < MAX_PAGES) {
      VersionPage page = client.listPublishedVersions(apiKey, agentId, AtomsClient.MAX_PAGE_SIZE, skip);
      pages++;
      total = page.total();
      if (match.isEmpty()) {
        match = page.versions().stream().filter(wanted).findFirst();
      }
      if (active.isEmpty()) {
        active = page.versions().stream().filter(AgentVersion::active).findFirst();
      }
      boolean done = match.isPresent() && (!alsoActive || active.isPresent() || match.get().active());
      if (done) {
        return new Result(match, match.get().active() ? match : active, total, pages);
      }
      skip += page.versions().size();
      boolean exhausted =
          page.versions().isEmpty()
              || (total >= 0 ? skip >= total : page.versions().size() < AtomsClient.MAX_PAGE_SIZE);
      if (exhausted) {
        break;
      }
    }
    return new Result(match, active, total, pages);
  }

  /**
   * The wanted version if published, the active version if it was seen, how many published
   * versions exist, and the list calls made.
   */
  public record Result(Optional<AgentVersion> version, Optional<AgentVersion> active, int totalPublished, int listCalls) {}
}
