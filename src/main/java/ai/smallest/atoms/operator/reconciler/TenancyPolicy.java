package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.config.OperatorConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What cluster admins allow each tenant namespace (anchors: Flux's multi-tenancy lockdown, ACK's
 * namespace-to-account mapping, Argo CD project destinations): which namespaces may use the
 * operator-wide default API key, and which agents a namespace's releases may manage (the namespace
 * annotation {@value AgentRelease#ALLOWED_AGENTS_ANNOTATION}).
 *
 * <p>Namespace annotations are read on demand and cached briefly ({@code
 * atoms.namespace-policy-cache-ttl}, Caffeine, bounded): a reconcile that calls Atoms costs at most
 * one Namespace read per namespace and TTL, the quiet path none. A namespace that cannot be read
 * fails closed: its releases make no Atoms call until it can.
 */
@ApplicationScoped
public class TenancyPolicy {

  /** An unreadable namespace: refuse rather than let a restriction silently lapse. */
  private record Policy(Optional<List<String>> allowedAgents, String unreadable) {}

  private final List<String> defaultKeyNamespaces;
  private final Function<String, Policy> readPolicy;
  private final Cache<String, Policy> policies;

  @Inject
  public TenancyPolicy(OperatorConfig config, KubernetesClient kubernetes) {
    this(
        config.defaultApiKeySecret().allowedNamespaces(),
        config.namespacePolicyCacheTtl(),
        namespace -> read(kubernetes, namespace));
  }

  TenancyPolicy(
      List<String> defaultKeyNamespaces,
      Duration ttl,
      Function<String, Optional<Map<String, String>>> namespaceAnnotations) {
    this.defaultKeyNamespaces = defaultKeyNamespaces.stream().map(String::strip).toList();
    this.readPolicy = namespace -> policyOf(namespaceAnnotations, namespace);
    this.policies = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
  }

  /** Whether releases in {@code namespace} may use the operator-wide default API key. */
  public boolean mayUseDefaultKey(String namespace) {
    return defaultKeyNamespaces.contains("*") || defaultKeyNamespaces.contains(namespace);
  }

  /** Why {@code release} may not manage its agent, or empty when it may. */
  public Optional<String> refusal(AgentRelease release) {
    String namespace = release.getMetadata().getNamespace();
    String agentId = release.getSpec().getAgentId();
    Policy policy = policies.get(namespace, readPolicy);
    if (policy.unreadable() != null) {
      return Optional.of(
          "The operator could not read namespace "
              + namespace
              + " to check its "
              + AgentRelease.ALLOWED_AGENTS_ANNOTATION
              + " annotation ("
              + policy.unreadable()
              + "); no Atoms call is made until it can. Grant get on namespaces.");
    }
    if (policy.allowedAgents().isEmpty()
        || policy.allowedAgents().get().stream().anyMatch(p -> matches(p, agentId))) {
      return Optional.empty();
    }
    return Optional.of(
        "Namespace "
            + namespace
            + " may manage only the agents "
            + policy.allowedAgents().get()
            + " (annotation "
            + AgentRelease.ALLOWED_AGENTS_ANNOTATION
            + ", set by cluster admins); agent "
            + agentId
            + " is not among them. No Atoms call was made.");
  }

  /** {@code prefix*} matches by prefix; anything else matches exactly. */
  static boolean matches(String pattern, String agentId) {
    return pattern.endsWith("*")
        ? agentId.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(agentId);
  }

  private static Policy policyOf(
      Function<String, Optional<Map<String, String>>> namespaceAnnotations, String namespace) {
    try {
      Optional<String> annotation =
          namespaceAnnotations
              .apply(namespace)
              .map(annotations -> annotations.get(AgentRelease.ALLOWED_AGENTS_ANNOTATION));
      return new Policy(
          annotation.map(
              value ->
                  Arrays.stream(value.split(","))
                      .map(String::strip)
                      .filter(p -> !p.isEmpty())
                      .toList()),
          null);
    } catch (KubernetesClientException e) {
      return new Policy(Optional.empty(), "HTTP " + e.getCode());
    }
  }

  private static Optional<Map<String, String>> read(KubernetesClient kubernetes, String namespace) {
    Namespace found = kubernetes.namespaces().withName(namespace).get();
    return Optional.ofNullable(found)
        .map(ns -> ns.getMetadata().getAnnotations())
        .or(() -> Optional.of(Map.of()));
  }
}
