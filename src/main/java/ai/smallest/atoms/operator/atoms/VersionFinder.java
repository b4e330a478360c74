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

  public Result find(ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted) {
    int skip = 0;
    int pages = 0;
    int total = 0;
    while (pages < MAX_PAGES) {
      VersionPage page = client.listPublishedVersions(apiKey, agentId, AtomsClient.MAX_PAGE_SIZE, skip);
      pages++;
      total = page.total();
      Optional<AgentVersion> match = page.versions().stream().filter(wanted).findFirst();
      if (match.isPresent()) {
        return new Result(match, total, pages);
      }
      skip += page.versions().size();
      boolean exhausted =
          page.versions().isEmpty()
              || (total >= 0 ? skip >= total : page.versions().size() < AtomsClient.MAX_PAGE_SIZE);
      if (exhausted) {
        break;
      }
    }
    return new Result(Optional.empty(), total, pages);
  }

  /** The wanted version if published, how many published versions exist, and the list calls made. */
  public record Result(Optional<AgentVersion> version, int totalPublished, int listCalls) {}
}
