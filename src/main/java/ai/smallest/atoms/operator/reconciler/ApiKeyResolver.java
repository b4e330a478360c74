package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds the API key for a release: its own {@code spec.apiKeySecretRef}, else the operator-wide
 * default Secret. Reads Secrets from the controller's Secret informer (which also triggers
 * reconciles when a Secret appears or rotates), falling back to a direct read for Secrets outside
 * the watched namespaces. Decoded keys are cached per Secret resourceVersion. Problems become
 * {@link MissingApiKeyException}s whose messages name the Secret, never its content.
 */
@ApplicationScoped
public class ApiKeyResolver {

  private final KubernetesClient kubernetes;
  private final OperatorConfig.DefaultApiKeySecret defaults;
  private final Map<String, CachedKey> decodedKeys = new ConcurrentHashMap<>();
  private volatile Function<ResourceID, Optional<Secret>> informerCache = id -> Optional.empty();

  public ApiKeyResolver(KubernetesClient kubernetes, OperatorConfig config) {
    this.kubernetes = kubernetes;
    this.defaults = config.defaultApiKeySecret();
  }

  /** Reads Secrets from the controller's informer cache from now on. */
  void useInformerCache(Function<ResourceID, Optional<Secret>> lookup) {
    this.informerCache = lookup;
  }

  /** The key and where it came from ("Secret ns/name, key k"), for actionable messages. */
  public record ResolvedApiKey(ApiKey apiKey, String source) {}

  public ResolvedApiKey resolve(AgentRelease release) {
    String namespace = release.getMetadata().getNamespace();
    SecretKeyReference ref = release.getSpec().getApiKeySecretRef();
    if (ref != null) {
      return read(namespace, ref.getName(), ref.keyOrDefault());
    }
    String name =
        defaults
            .name()
            .filter(n -> !n.isBlank())
            .orElseThrow(
                () ->
                    new MissingApiKeyException(
                        "spec.apiKeySecretRef is not set and the operator has no default API key Secret"
                            + " (configure atoms.default-api-key-secret.name)"));
    return read(
        defaults.namespace().filter(n -> !n.isBlank()).orElse(namespace), name, defaults.key());
  }

  private ResolvedApiKey read(String namespace, String name, String key) {
    String source = "Secret " + namespace + "/" + name + ", key " + key;
    Secret secret =
        informerCache
            .apply(new ResourceID(name, namespace))
            .orElseGet(() -> kubernetes.secrets().inNamespace(namespace).withName(name).get());
    if (secret == null) {
      throw new MissingApiKeyException(
          source + ": Secret not found. Create it with the Atoms API key.");
    }
    String cacheKey = namespace + "/" + name + "/" + key;
    String resourceVersion = secret.getMetadata().getResourceVersion();
    CachedKey cached = decodedKeys.get(cacheKey);
    if (cached != null
        && resourceVersion != null
        && resourceVersion.equals(cached.resourceVersion())) {
      return new ResolvedApiKey(cached.apiKey(), source);
    }
    String value = decoded(secret.getData(), key);
    if (value == null && secret.getStringData() != null) {
      value = secret.getStringData().get(key);
    }
    if (value == null || value.isBlank()) {
      decodedKeys.remove(cacheKey);
      throw new MissingApiKeyException(source + ": the Secret has no such key, or it is empty.");
    }
    ApiKey apiKey = ApiKey.of(value);
    decodedKeys.put(cacheKey, new CachedKey(resourceVersion, apiKey));
    return new ResolvedApiKey(apiKey, source);
  }

  private record CachedKey(String resourceVersion, ApiKey apiKey) {}

  private static String decoded(Map<String, String> data, String key) {
    if (data == null || data.get(key) == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(data.get(key).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /** The release cannot get an API key until a person creates or fixes a Secret. */
  public static class MissingApiKeyException extends RuntimeException {
    public MissingApiKeyException(String message) {
      super(message);
    }
  }
}
