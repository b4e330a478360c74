package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.atoms.AccountRateLimiter;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.AtomsHttpClient;
import ai.smallest.atoms.operator.atoms.RateLimitedAtomsClient;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.MeteredAtomsClient;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the Atoms client from {@link OperatorConfig}, so users configure one namespace of settings
 * ({@code atoms.*}) and timeouts can never be left unset. It lives here, at the top of the one-way
 * imports (api, config → atoms → status → metrics → reconciler), because it wires the Atoms client
 * together with metering, which the atoms package must not see.
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
