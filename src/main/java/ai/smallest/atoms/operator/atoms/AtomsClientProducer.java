package ai.smallest.atoms.operator.atoms;

import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.MeteredAtomsClient;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Builds the REST client from {@link OperatorConfig} rather than {@code quarkus.rest-client.*}
 * properties, so users configure one namespace of settings ({@code atoms.*}) and timeouts can never
 * be left unset.
 */
@ApplicationScoped
public class AtomsClientProducer {

  @Produces
  @Singleton
  AtomsClient atomsClient(OperatorConfig config, OperatorMetrics metrics) {
    AtomsRestApi api =
        QuarkusRestClientBuilder.newBuilder()
            .baseUri(config.baseUrl())
            .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .register(AtomsErrorMapper.class)
            .build(AtomsRestApi.class);
    // Metering sits inside the rate limiter so latency measures the HTTP call, not the queue.
    AccountRateLimiter limiter =
        new AccountRateLimiter(
            config.rateLimit().requestsPerSecond(), config.rateLimit().concurrency());
    return new RateLimitedAtomsClient(
        new MeteredAtomsClient(new RestAtomsClient(api), metrics), limiter);
  }
}
