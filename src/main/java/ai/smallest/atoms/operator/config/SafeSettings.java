package ai.smallest.atoms.operator.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Settings the operator refuses to start with, rather than run unsafely: a plain-http Atoms base
 * URL (the API key travels in every request) unless atoms.allow-insecure-http says so; a shard that
 * is not a DNS label or has no label selector (it would reconcile every release, next to the shards
 * that own them). Checked at start-up, so a mistake shows as a failed rollout with this message,
 * not as a leaked key or two instances acting on one release.
 */
@ApplicationScoped
public class SafeSettings {

  /** quarkus-operator-sdk's label selector of the AgentRelease controller. */
  public static final String SELECTOR_PROPERTY =
      "quarkus.operator-sdk.controllers.agentrelease.selector";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** A Lease name is a DNS subdomain: at most 253 characters. */
  private static final int MAX_LEASE_NAME = 253;

  void onStart(@Observes StartupEvent start, OperatorConfig config) {
    Optional<String> selector =
        ConfigProvider.getConfig().getOptionalValue(SELECTOR_PROPERTY, String.class);
    problem(config.baseUrl(), config.allowInsecureHttp())
        .or(() -> shardProblem(config.shard(), selector, config.leaderElection().leaseName()))
        .ifPresent(
            message -> {
              throw new IllegalStateException(message);
            });
  }

  /**
   * A shard must be a DNS label (it is part of its Lease's name) and must come with a label
   * selector: without one the shard would reconcile every release, racing the instances that own
   * them, under a Lease of its own.
   */
  public static Optional<String> shardProblem(
      Optional<String> shard, Optional<String> selector, String leaseName) {
    if (shard.isEmpty()) {
      return Optional.empty();
    }
    String name = shard.get();
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of(
          "atoms.shard (ATOMS_SHARD) must be a DNS label (lowercase letters, digits and '-', at"
              + " most 63 characters, starting and ending with a letter or digit): it names the"
              + " shard's Lease. Got \""
              + name
              + "\".");
    }
    if (Leadership.leaseNameFor(leaseName, shard).length() > MAX_LEASE_NAME) {
      return Optional.of(
          "atoms.leader-election.lease-name plus \"-\" plus atoms.shard is longer than "
              + MAX_LEASE_NAME
              + " characters; shorten one of them.");
    }
    if (selector.filter(s -> !s.isBlank()).isEmpty()) {
      return Optional.of(
          "atoms.shard="
              + name
              + " needs a label selector: set "
              + SELECTOR_PROPERTY
              + " (QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR), e.g."
              + " atoms.smallest.ai/shard="
              + name
              + ". Without one this shard would reconcile every AgentRelease.");
    }
    return Optional.empty();
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
