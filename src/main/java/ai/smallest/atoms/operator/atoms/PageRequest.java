package ai.smallest.atoms.operator.atoms;

import java.util.HashSet;
import java.util.Set;

/**
 * One page of a listing, and what the earlier pages of the same listing showed, so that the client
 * can check the answer against them before it is believed ({@link ResponseProblem#REPEATED_PAGE},
 * {@link ResponseProblem#LISTING_CHANGED}).
 *
 * @param pinned the list endpoint's {@code isPinned} filter; null for no filter. With a filter,
 *     {@code total} is still the count of all published versions (contract), so it cannot tell
 *     where the filtered listing ends.
 * @param seenIds the {@code _id}s of the earlier pages (empty for a first page)
 * @param expectedTotal the {@code total} the first page reported; -1 when unknown
 */
public record PageRequest(
    int limit, int skip, Boolean pinned, Set<String> seenIds, int expectedTotal) {

  public PageRequest {
    if (limit < 1 || limit > AtomsClient.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be within 1..100, was " + limit);
    }
    if (skip < 0) {
      throw new IllegalArgumentException("skip must not be negative, was " + skip);
    }
    seenIds = Set.copyOf(seenIds);
  }

  /** A page on its own, e.g. the first one of a listing. */
  public static PageRequest first(int limit, int skip, Boolean pinned) {
    return new PageRequest(limit, skip, pinned, Set.of(), -1);
  }

  /** The page after {@code page}, which answered this request. */
  public PageRequest next(VersionPage page) {
    Set<String> seen = new HashSet<>(seenIds);
    page.versions().forEach(v -> seen.add(v.id()));
    int total = expectedTotal >= 0 ? expectedTotal : page.total();
    return new PageRequest(limit, skip + page.versions().size(), pinned, seen, total);
  }

  /** True for the first page of a listing: there is nothing to check the answer against. */
  public boolean isFirst() {
    return seenIds.isEmpty();
  }

  /** {@code total} counts this listing (no pin filter), so it bounds the pages. */
  boolean totalCountsListing() {
    return pinned == null;
  }
}
