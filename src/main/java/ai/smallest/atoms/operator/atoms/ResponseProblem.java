package ai.smallest.atoms.operator.atoms;

/**
 * Why an answer was not believed ({@link ErrorKind#MALFORMED_RESPONSE}). Every check happens before
 * any part of the answer is used, and each ends the call: the caller retries later with backoff.
 */
public enum ResponseProblem {
  /** The body is not JSON (an HTML error page, an empty 200, trailing garbage, duplicate keys). */
  NOT_JSON,
  /**
   * JSON, but not the documented {@code {status:true, data}} envelope: {@code data}, {@code
   * versions}, {@code _id} or {@code isActive} missing, a field of the wrong type, an ID that is
   * not a safe path segment, a page larger than the {@code limit} asked for, one ID or version
   * number twice on a page, two active versions on a page, a version of another agent.
   */
  WRONG_SHAPE,
  /** The body is larger than the cap ({@link AtomsHttpClient#MAX_BODY_BYTES}); reading stopped. */
  TOO_LARGE,
  /**
   * {@code total} contradicts the page it came with: more versions than {@code total} leaves room
   * for (too low), or a short or empty page although {@code total} says more follow (too high, or a
   * page that shrank).
   */
  TOTAL_MISMATCH,
  /**
   * A page holds only versions earlier pages of the same listing already showed: the server ignores
   * {@code skip} or repeats a page.
   */
  REPEATED_PAGE,
  /**
   * {@code total} changed between two pages of one listing: versions were published or archived
   * while the operator paged. {@link VersionFinder} starts over once before giving up.
   */
  LISTING_CHANGED,
  /** The listing did not end within {@link VersionFinder#MAX_PAGES} pages. */
  LISTING_TOO_LONG,
  /** Activate answered 2xx naming another version or another agent. */
  WRONG_VERSION,
  /** Activate answered 2xx with {@code isActive} false or missing. */
  NOT_ACTIVE,
  /** A redirect or another status outside 2xx/4xx/5xx (redirects are never followed). */
  UNEXPECTED_STATUS
}
