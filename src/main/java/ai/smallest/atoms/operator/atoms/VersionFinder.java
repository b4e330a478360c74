package ai.smallest.atoms.operator.atoms;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Pages through an agent's published versions until the wanted one turns up. Always asks for the
 * largest page (never the API's default of 20), stops as soon as the version is found, and stops
 * without an extra call once {@code total} says the list is exhausted, except that a version is
 * never reported missing on the word of a {@code total} that ended on a full page: one more call
 * confirms the end.
 *
 * <p>For a version found beyond the first page it remembers where (per agent, in memory), so the
 * next resync asks for that page directly: one list call per resync instead of one per page. The
 * simulator lists newest first, so new publications push the version further back and archiving
 * newer ones pulls it forward; the remembered offset starts {@link #HINT_MARGIN} entries early to
 * absorb both. When the version is not on the remembered page, the finder pages from the start
 * again. The contract promises no order, so nothing here depends on one for correctness. Hints of
 * agents no release manages any more are swept whenever the hints have doubled since the last
 * sweep, so they never outnumber twice the agents in use (plus {@link #SWEEP_MINIMUM}).
 *
 * <p>A misbehaving server costs a bounded number of calls. Each page after the first carries what
 * the earlier pages showed ({@link PageRequest}), so the client refuses a page that repeats them (a
 * server ignoring {@code skip}: two calls) or whose {@code total} changed. A listing that changed
 * while it was paged (versions published or archived meanwhile, which can hide a version between
 * two pages) is read once more from the start before the error is reported. A page of a server that
 * ignores {@code skip} or lies about {@code total} is refused ({@link ResponseProblem}), and the
 * version is never reported missing on the word of a {@code total} that ended on a full page: one
 * more call confirms the end. At most {@link #MAX_PAGES} pages are read.
 */
public class VersionFinder {

  /** Guards against an API that keeps answering full pages of new versions (10,000 versions). */
  static final int MAX_PAGES = 100;

  /** How many entries before the version the remembered page starts. */
  static final int HINT_MARGIN = 10;

  private static final Predicate<AgentVersion> NOTHING = v -> false;

  static final int SWEEP_MINIMUM = 256;

  private final AtomsClient client;
  private final Predicate<String> agentInUse;
  private final Map<String, Integer> offsetHints = new ConcurrentHashMap<>();
  private final AtomicInteger sweepAbove = new AtomicInteger(SWEEP_MINIMUM);

  /** A finder that keeps its hints until their versions are gone (tests, one-off listings). */
  public VersionFinder(AtomsClient client) {
    this(client, agentId -> true);
  }

  /** A finder that forgets the hints of agents for which {@code agentInUse} is false. */
  public VersionFinder(AtomsClient client, Predicate<String> agentInUse) {
    this.client = client;
    this.agentInUse = agentInUse;
  }

  /** Remembered offsets (for tests). */
  int offsetHints() {
    return offsetHints.size();
  }

  /** Pages until the wanted version is found. */
  public Result find(ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted) {
    return find(apiKey, agentId, wanted, false);
  }

  /**
   * Pages until the wanted version is found and, when {@code alsoActive}, the active one too (to
   * report what is live when the operator must not change it).
   *
   * @throws AtomsApiException when a call fails or an answer is not believed
   */
  public Result find(
      ApiKey apiKey, String agentId, Predicate<AgentVersion> wanted, boolean alsoActive) {
    int calls = 0;
    Integer hint = offsetHints.get(agentId);
    if (hint != null) {
      VersionPage page =
          client.listPublishedVersions(apiKey, agentId, AtomsClient.MAX_PAGE_SIZE, hint);
      calls++;
      List<AgentVersion> versions = page.versions();
      int position = indexOf(versions, wanted);
      Optional<AgentVersion> activeOnPage =
          versions.stream().filter(AgentVersion::active).findFirst();
      // When the live version must be reported too and it is not on this page, scan after all.
      if (position >= 0 && (!alsoActive || activeOnPage.isPresent())) {
        remember(agentId, hint + position);
        return new Result(Optional.of(versions.get(position)), activeOnPage, page.total(), calls);
      }
      // Moved off the page, gone, another version is wanted now, or the active one is elsewhere.
    }
    Scan scan = new Scan(apiKey, agentId, wanted, alsoActive, null, calls);
    try {
      return scan.run();
    } catch (AtomsApiException e) {
      if (e.problem().orElse(null) != ResponseProblem.LISTING_CHANGED) {
        throw e;
      }
      // Published or archived while we paged: one fresh look, then the error stands.
      return new Scan(apiKey, agentId, wanted, alsoActive, null, scan.calls).run();
    }
  }

  /**
   * Every published version of the agent, or with {@code pinned} only the pinned (or unpinned) ones
   * through the list endpoint's {@code isPinned} filter, read to the end of the listing under the
   * same checks as {@link #find}. For choosing among versions: the contract promises no order, so
   * the highest {@code versionNumber} can be on any page. At most {@link #MAX_PAGES} pages.
   *
   * @throws AtomsApiException when a call fails or an answer is not believed
   */
  public Listing list(ApiKey apiKey, String agentId, Boolean pinned) {
    Scan scan = new Scan(apiKey, agentId, NOTHING, false, pinned, 0);
    try {
      return scan.run().listing(scan);
    } catch (AtomsApiException e) {
      if (e.problem().orElse(null) != ResponseProblem.LISTING_CHANGED) {
        throw e;
      }
      Scan again = new Scan(apiKey, agentId, NOTHING, false, pinned, scan.calls);
      return again.run().listing(again);
    }
  }

  /** One pass over the listing from its start. */
  private final class Scan {
    private final ApiKey apiKey;
    private final String agentId;
    private final Predicate<AgentVersion> wanted;
    private final boolean alsoActive;
    private final Boolean pinned;

    /** Reading a whole listing, not looking for one version: remembered offsets stay. */
    private final boolean listing;

    private final Map<String, AgentVersion> seen = new java.util.LinkedHashMap<>();
    private int calls;
    private Optional<AgentVersion> match = Optional.empty();
    private Optional<AgentVersion> active = Optional.empty();

    Scan(
        ApiKey apiKey,
        String agentId,
        Predicate<AgentVersion> wanted,
        boolean alsoActive,
        Boolean pinned,
        int callsSoFar) {
      this.apiKey = apiKey;
      this.agentId = agentId;
      this.wanted = wanted;
      this.alsoActive = alsoActive;
      this.pinned = pinned;
      this.listing = wanted == NOTHING;
      this.calls = callsSoFar;
    }

    Result run() {
      PageRequest request = PageRequest.first(AtomsClient.MAX_PAGE_SIZE, 0, pinned);
      int total = -1;
      for (int pages = 0; pages < MAX_PAGES; pages++) {
        VersionPage page = list(request);
        total = request.isFirst() ? page.total() : total;
        look(page, request.skip());
        if (complete()) {
          return result(total);
        }
        boolean full = page.versions().size() >= request.limit();
        request = request.next(page);
        int end = request.totalCountsListing() ? total : -1;
        if (page.versions().isEmpty() || (end < 0 && !full)) {
          return result(total); // the end of the listing (the client checked it against total)
        }
        if (end >= 0 && request.skip() >= end) {
          if (full) {
            // total says this full page was the last; make sure before reporting anything missing
            // (the client refuses a non-empty page beyond total).
            look(list(request), request.skip());
          }
          return result(total);
        }
        // A short page while total says more follow: a server with smaller pages; go on.
      }
      throw AtomsApiException.malformed(
          ResponseProblem.LISTING_TOO_LONG,
          200,
          "the version list did not end within "
              + MAX_PAGES
              + " pages of "
              + AtomsClient.MAX_PAGE_SIZE
              + (total >= 0 ? " (total says " + total + ")" : ""));
    }

    /**
     * The first page without a pin filter goes out as a plain page request: it has nothing to be
     * checked against, and tests can stub it with the four-argument signature.
     */
    private VersionPage list(PageRequest request) {
      calls++;
      return request.isFirst() && request.pinned() == null
          ? client.listPublishedVersions(apiKey, agentId, request.limit(), request.skip())
          : client.listPublishedVersions(apiKey, agentId, request);
    }

    private void look(VersionPage page, int skip) {
      page.versions().forEach(v -> seen.putIfAbsent(v.id(), v));
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
    }

    private boolean complete() {
      return match.isPresent() && (!alsoActive || active.isPresent() || match.get().active());
    }

    private Result result(int total) {
      if (match.isEmpty() && pinned == null && !listing) {
        offsetHints.remove(agentId); // the remembered version is gone
      }
      Optional<AgentVersion> live = match.isPresent() && match.get().active() ? match : active;
      return new Result(match, live, total, calls);
    }
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
      if (offsetHints.size() > sweepAbove.get()) {
        offsetHints.keySet().removeIf(agentInUse.negate());
        sweepAbove.set(Math.max(SWEEP_MINIMUM, 2 * offsetHints.size()));
      }
    }
  }

  /**
   * The wanted version if published, the active version if it was seen, how many published versions
   * exist (-1 when the API did not say), and the list calls made.
   */
  public record Result(
      Optional<AgentVersion> version,
      Optional<AgentVersion> active,
      int totalPublished,
      int listCalls) {

    private Listing listing(Scan scan) {
      return new Listing(List.copyOf(scan.seen.values()), active, totalPublished, listCalls);
    }
  }

  /**
   * Every version the listing held, in the order the API gave them (each once), the active one if
   * listed, the count of all published versions (-1 when the API did not say; under a pin filter it
   * still counts all of them), and the list calls made.
   */
  public record Listing(
      List<AgentVersion> versions,
      Optional<AgentVersion> active,
      int totalPublished,
      int listCalls) {}
}
