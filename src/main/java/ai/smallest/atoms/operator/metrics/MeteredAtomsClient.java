package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.PageRequest;
import ai.smallest.atoms.operator.atoms.VersionPage;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Counts and times every Atoms request by endpoint and status class: {@code 2xx}, {@code 4xx},
 * {@code 5xx}; {@code malformed} for an answer that was not believed (whatever its status: a 200
 * that is not the documented envelope, contradicts earlier pages, or is over the size cap; a
 * redirect); {@code timeout} for no complete answer in time; {@code network} for no answer at all.
 * An ID the client refused to send is not a request and is not counted.
 */
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
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
    return timed(LIST, () -> delegate.listPublishedVersions(apiKey, agentId, request));
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
      statusClass = statusClass(e);
      throw e;
    } finally {
      if (statusClass != null) {
        metrics.apiRequest(endpoint, statusClass, Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  /** Null for a request that was never sent. */
  static String statusClass(AtomsApiException e) {
    return switch (e.kind()) {
      case INVALID_ID -> null;
      case MALFORMED_RESPONSE -> "malformed";
      case TIMEOUT -> "timeout";
      case NETWORK -> "network";
      default -> e.httpStatus() / 100 + "xx";
    };
  }
}
