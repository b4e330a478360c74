package ai.smallest.atoms.operator.atoms;

/** Puts every Atoms call behind the per-account {@link AccountRateLimiter}. */
public class RateLimitedAtomsClient implements AtomsClient {

  private final AtomsClient delegate;
  private final AccountRateLimiter limiter;

  public RateLimitedAtomsClient(AtomsClient delegate, AccountRateLimiter limiter) {
    this.delegate = delegate;
    this.limiter = limiter;
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
    return limiter.call(apiKey, () -> delegate.listPublishedVersions(apiKey, agentId, request));
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    return limiter.call(apiKey, () -> delegate.activateVersion(apiKey, agentId, versionId));
  }
}
