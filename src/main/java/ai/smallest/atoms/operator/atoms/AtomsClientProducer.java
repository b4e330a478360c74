package ai.smallest.atoms.operator.atoms;

import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.MeteredAtomsClient;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the Atoms client from {@link OperatorConfig}, so users configure one namespace of settings
 * ({@code atoms.*}) and timeouts can never be left unset.
 */
@ApplicationScoped
public class AtomsClientProducer {

  /** Per-account limits: the reconciler admits syncs through it, the client counts requests. */
  @Produces
  @Singleton
  AccountRateLimiter accountRateLimiter(OperatorConfig config, OperatorMetrics metrics) {
    AccountRateLimiter limiter =
        new AccountRateLimiter(
            config.rateLimit().requestsPerSecond(), config.rateLimit().concurrency());
    metrics.countWaitingReleasesFrom(limiter::waiting);
    return limiter;
  }

  @Produces
  @Singleton
  AtomsClient atomsClient(
      OperatorConfig config, OperatorMetrics metrics, Clock clock, AccountRateLimiter limiter) {
    AtomsHttpClient http =
        new AtomsHttpClient(
            config.baseUrl(),
            config.connectTimeout(),
            config.readTimeout(),
            config.requestDeadline(),
            config.backoff().max(),
            clock);
    return new RateLimitedAtomsClient(new MeteredAtomsClient(http, metrics), limiter);
  }
}
