package ai.smallest.atoms.operator.atoms;

/**
 * The two Atoms API calls the operator makes. The reconciler depends on this interface only, so
 * tests can swap in a Mockito mock, and the HTTP details stay in {@link AtomsHttpClient}.
 *
 * <p>Every failure surfaces as an {@link AtomsApiException} whose {@link ErrorKind} says whether
 * retrying can help; every answer is checked before it is returned ({@link Answers}).
 */
public interface AtomsClient {

  /** Largest page the API accepts; the operator always asks for it to keep list calls minimal. */
  int MAX_PAGE_SIZE = 100;

  /**
   * {@code GET /agent/{id}/versions?limit=&skip=[&isPinned=]}: one page of the agent's published
   * versions, checked against the request and against what earlier pages of the same listing showed
   * ({@link PageRequest}).
   */
  VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request);

  /** One page on its own, without a pin filter: {@link PageRequest#first}. */
  default VersionPage listPublishedVersions(ApiKey apiKey, String agentId, int limit, int skip) {
    return listPublishedVersions(apiKey, agentId, PageRequest.first(limit, skip, null));
  }

  /**
   * {@code PATCH /agent/{id}/versions/{versionId}/activate}: idempotent; returns the now-active
   * version, checked to be {@code versionId} of {@code agentId} with {@code isActive: true}.
   */
  AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId);
}
