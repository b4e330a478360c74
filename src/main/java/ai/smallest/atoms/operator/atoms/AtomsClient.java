package ai.smallest.atoms.operator.atoms;

/**
 * The two Atoms API calls the operator makes. The reconciler depends on this interface only, so
 * tests can swap in a Mockito mock, and the REST details stay in {@link RestAtomsClient}.
 *
 * <p>Every failure surfaces as an {@link AtomsApiException} whose {@link ErrorKind} says whether
 * retrying can help.
 */
public interface AtomsClient {

  /** Largest page the API accepts; the operator always asks for it to keep list calls minimal. */
  int MAX_PAGE_SIZE = 100;

  /** {@code GET /agent/{id}/versions?limit=&skip=}: one page of the agent's published versions. */
  VersionPage listPublishedVersions(ApiKey apiKey, String agentId, int limit, int skip);

  /**
   * {@code PATCH /agent/{id}/versions/{versionId}/activate}: idempotent; returns the now-active
   * version.
   */
  AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId);
}
