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

  @Produces
  @Singleton
  AtomsClient atomsClient(OperatorConfig config, OperatorMetrics metrics, Clock clock) {
    AtomsHttpClient http =
        new AtomsHttpClient(
            config.baseUrl(),
            config.connectTimeout(),
            config.readTimeout(),
            config.requestDeadline(),
            config.backoff().max(),
            clock);
    // Metering sits inside the rate limiter so latency measures the HTTP call, not the queue.
    AccountRateLimiter limiter =
        new AccountRateLimiter(
            config.rateLimit().requestsPerSecond(), config.rateLimit().concurrency());
    return new RateLimitedAtomsClient(new MeteredAtomsClient(http, metrics), limiter);
  }
}
