package ai.smallest.atoms.operator.atoms;

/**
 * Counts every Atoms call against its account's rate ({@link AccountRateLimiter#reserveRequest}).
 * It never waits: the sync making the call was admitted by {@link AccountRateLimiter#tryStart}.
 */
public class RateLimitedAtomsClient implements AtomsClient {

  private final AtomsClient delegate;
  private final AccountRateLimiter limiter;

  public RateLimitedAtomsClient(AtomsClient delegate, AccountRateLimiter limiter) {
    this.delegate = delegate;
    this.limiter = limiter;
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
    limiter.reserveRequest(apiKey.account());
    return delegate.listPublishedVersions(apiKey, agentId, request);
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    limiter.reserveRequest(apiKey.account());
    return delegate.activateVersion(apiKey, agentId, versionId);
  }
}
