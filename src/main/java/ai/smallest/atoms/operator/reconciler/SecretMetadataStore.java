package ai.smallest.atoms.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The Secret informer's store: it keeps each Secret's name, namespace, uid and resourceVersion and
 * a SHA-256 of its data, never the data. The watched namespaces hold Secrets the operator has no
 * business with (Helm keeps every release revision in one, up to 1 MiB each); caching them whole
 * made the heap grow with the cluster. cert-manager caches only Secret metadata for the same
 * reason; JOSDK's {@link TransformingItemStore} is its tool for it. The few Secrets releases use
 * are read when their revision changes ({@link ApiKeyResolver}); every change and deletion is
 * reported to {@code changed}, so a decoded key never outlives its Secret revision.
 */
final class SecretMetadataStore extends TransformingItemStore<Secret> {

  /** On the stored copy only (never written to the cluster): the digest of the data. */
  static final String DATA_SHA256 = "atoms.smallest.ai/cached-data-sha256";

  private final Consumer<ResourceID> changed;

  SecretMetadataStore(Consumer<ResourceID> changed) {
    super(SecretMetadataStore::metadataOnly);
    this.changed = changed;
  }

  @Override
  public Secret put(String key, Secret secret) {
    Secret previous = super.put(key, secret);
    if (previous == null
        || !Objects.equals(
            previous.getMetadata().getResourceVersion(),
            secret.getMetadata().getResourceVersion())) {
      changed.accept(ResourceID.fromResource(secret));
    }
    return previous;
  }

  @Override
  public Secret remove(String key) {
    Secret previous = super.remove(key);
    if (previous != null) {
      changed.accept(ResourceID.fromResource(previous));
    }
    return previous;
  }

  /** What the store keeps of {@code secret}: a new object, the informer's event keeps the whole. */
  static Secret metadataOnly(Secret secret) {
    if (isMetadataOnly(secret)) {
      return secret;
    }
    Secret kept = new Secret();
    kept.setMetadata(
        new ObjectMetaBuilder()
            .withName(secret.getMetadata().getName())
            .withNamespace(secret.getMetadata().getNamespace())
            .withUid(secret.getMetadata().getUid())
            .withResourceVersion(secret.getMetadata().getResourceVersion())
            .withAnnotations(Map.of(DATA_SHA256, dataDigest(secret)))
            .build());
    kept.setData(null);
    kept.setStringData(null);
    return kept;
  }

  /** The digest of a Secret's content, whether it is a whole Secret or a stored copy. */
  static String dataDigest(Secret secret) {
    if (isMetadataOnly(secret)) {
      return secret.getMetadata().getAnnotations().get(DATA_SHA256);
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      digest(sha256, "data", secret.getData());
      digest(sha256, "stringData", secret.getStringData());
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static boolean isMetadataOnly(Secret secret) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    return (secret.getData() == null || secret.getData().isEmpty())
        && (secret.getStringData() == null || secret.getStringData().isEmpty())
        && annotations != null
        && annotations.containsKey(DATA_SHA256);
  }

  private static void digest(MessageDigest sha256, String field, Map<String, String> entries) {
    if (entries == null) {
      return;
    }
    sha256.update((field + "\0").getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
      sha256.update((entry.getKey() + "\0").getBytes(StandardCharsets.UTF_8));
      sha256.update((String.valueOf(entry.getValue()) + "\0").getBytes(StandardCharsets.UTF_8));
    }
  }
}
