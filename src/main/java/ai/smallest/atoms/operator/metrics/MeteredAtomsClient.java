package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionPage;
import java.time.Duration;
import java.util.function.Supplier;

/** Counts and times every Atoms request by endpoint and status class. */
public class MeteredAtomsClient implements AtomsClient {

  static final String LIST = "list_versions";
  static final String ACTIVATE = "activate_version";

  private final AtomsClient delegate;
  private final OperatorMetrics metrics;

  public MeteredAtomsClient(AtomsClient delegate, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, int limit, int skip) {
    return timed(LIST, () -> delegate.listPublishedVersions(apiKey, agentId, limit, skip));
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    return timed(ACTIVATE, () -> delegate.activateVersion(apiKey, agentId, versionId));
  }

  private <T> T timed(String endpoint, Supplier<T> request) {
    long start = System.nanoTime();
    String statusClass = "2xx";
    try {
      return request.get();
    } catch (AtomsApiException e) {
      statusClass = e.httpStatus() == 0 ? "network" : (e.httpStatus() / 100) + "xx";
      throw e;
    } finally {
      metrics.apiRequest(endpoint, statusClass, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
