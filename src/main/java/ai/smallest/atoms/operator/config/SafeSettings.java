package ai.smallest.atoms.operator.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;

/**
 * Settings the operator refuses to start with, rather than run unsafely: a plain-http Atoms base
 * URL (the API key travels in every request) unless atoms.allow-insecure-http says so. Checked at
 * start-up, so a mistake shows as a failed rollout with this message, not as a leaked key.
 */
@ApplicationScoped
public class SafeSettings {

  void onStart(@Observes StartupEvent start, OperatorConfig config) {
    problem(config.baseUrl(), config.allowInsecureHttp())
        .ifPresent(
            message -> {
              throw new IllegalStateException(message);
            });
  }

  static Optional<String> problem(URI baseUrl, boolean allowInsecureHttp) {
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase();
    if (scheme.equals("https")) {
      return Optional.empty();
    }
    if (scheme.equals("http") && allowInsecureHttp) {
      return Optional.empty();
    }
    return Optional.of(
        "atoms.base-url must be an https:// URL (the API key travels in every request), got "
            + baseUrl.getScheme()
            + "://...; set atoms.allow-insecure-http=true (ATOMS_ALLOW_INSECURE_HTTP) only for a"
            + " local simulator.");
  }
}
