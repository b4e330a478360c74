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
 * default Secret. The controller's Secret informer caches metadata only ({@link
 * SecretMetadataStore}): it tells which revision of a Secret is current, and this reads the Secret
 * itself once per revision (or every time for a Secret outside the watched namespaces). Decoded
 * keys are kept per Secret revision and dropped when the Secret changes or goes. Problems become
 * {@link MissingApiKeyException}s whose messages name the Secret, never its content.
 */
@ApplicationScoped
public class ApiKeyResolver {

  private final KubernetesClient kubernetes;
  private final OperatorConfig.DefaultApiKeySecret defaults;
  private final Map<SecretKey, CachedKey> decodedKeys = new ConcurrentHashMap<>();
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
    SecretKey cacheKey = new SecretKey(namespace, name, key);
    // The informer keeps metadata only: it says which revision is current, not what it holds.
    Optional<String> currentRevision =
        informerCache
            .apply(new ResourceID(name, namespace))
            .map(secret -> secret.getMetadata().getResourceVersion());
    CachedKey cached = decodedKeys.get(cacheKey);
    if (cached != null
        && currentRevision.isPresent()
        && currentRevision.get().equals(cached.resourceVersion())) {
      return new ResolvedApiKey(cached.apiKey(), source);
    }
    // A revision not decoded yet (or a Secret outside the watched namespaces): read this one.
    Secret secret = kubernetes.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      decodedKeys.remove(cacheKey);
      throw new MissingApiKeyException(
          source + ": Secret not found. Create it with the Atoms API key.");
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
    String resourceVersion = secret.getMetadata().getResourceVersion();
    if (resourceVersion != null) {
      decodedKeys.put(cacheKey, new CachedKey(resourceVersion, apiKey));
    }
    return new ResolvedApiKey(apiKey, source);
  }

  /**
   * Drops what was decoded from Secret {@code id}: it has a new revision or is gone. So no key
   * outlives its Secret revision in memory, and entries never outnumber the Secrets in use.
   */
  void forget(ResourceID id) {
    String namespace = id.getNamespace().orElse("");
    decodedKeys
        .keySet()
        .removeIf(k -> k.name().equals(id.getName()) && k.namespace().equals(namespace));
  }

  /** Decoded keys in memory (for tests). */
  int decodedKeys() {
    return decodedKeys.size();
  }

  private record SecretKey(String namespace, String name, String key) {}

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
