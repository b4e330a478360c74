package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretMetadataStoreTest {

  private final List<ResourceID> changed = new ArrayList<>();
  private final SecretMetadataStore store = new SecretMetadataStore(changed::add);

  private static Secret secret(String namespace, String name, String rv, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withResourceVersion(rv)
        .withLabels(Map.of("owner", "helm"))
        .endMetadata()
        .withType("helm.sh/release.v1")
        .withData(data)
        .build();
  }

  private static Secret helmRelease(int i, Random random) {
    byte[] payload = new byte[100 * 1024];
    random.nextBytes(payload);
    return secret(
        "apps-" + (i % 6),
        "sh.helm.release.v1.app-" + i + ".v1",
        String.valueOf(1000 + i),
        Map.of("release", Base64.getEncoder().encodeToString(payload)));
  }

  @Test
  void theStoreKeepsNameRevisionAndADigestButNeverTheData() {
    Secret whole = secret("team", "atoms", "7", Map.of("apiKey", "c2VjcmV0"));

    store.put(store.getKey(whole), whole);

    Secret kept = store.get("team/atoms");
    assertThat(kept.getData()).isNullOrEmpty();
    assertThat(kept.getStringData()).isNullOrEmpty();
    assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(kept.getMetadata().getName()).isEqualTo("atoms");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(SecretMetadataStore.dataDigest(kept))
        .isEqualTo(SecretMetadataStore.dataDigest(whole));
    // The informer hands the whole object on to event handlers: the store must not strip it.
    assertThat(whole.getData()).containsKey("apiKey");
  }

  @Test
  void sixHundredHelmReleaseSecretsOf100KiBKeepUnderOneKiBEach() throws Exception {
    Random random = new Random(12);
    long wholeBytes = 0;
    for (int i = 0; i < 600; i++) {
      Secret whole = helmRelease(i, random);
      wholeBytes += whole.getData().get("release").length();
      store.put(store.getKey(whole), whole);
    }

    // What the store retains, measured as its JSON form (strings dominate both).
    ObjectMapper json = new ObjectMapper();
    long keptBytes = 0;
    for (Secret kept : store.values().toList()) {
      keptBytes += json.writeValueAsBytes(kept).length;
    }
    assertThat(store.size()).isEqualTo(600);
    assertThat(wholeBytes).isGreaterThan(600L * 100 * 1024);
    assertThat(keptBytes).isLessThan(600L * 1024);
  }

  @Test
  void digestsTellContentChangesFromMetadataChanges() {
    Secret v1 = secret("team", "atoms", "1", Map.of("apiKey", "a2V5LTE="));
    Secret relabelled = secret("team", "atoms", "2", Map.of("apiKey", "a2V5LTE="));
    Secret rotated = secret("team", "atoms", "3", Map.of("apiKey", "a2V5LTI="));
    Secret withStringData = new SecretBuilder(v1).withStringData(Map.of("apiKey", "x")).build();

    String stored = SecretMetadataStore.dataDigest(SecretMetadataStore.metadataOnly(v1));
    assertThat(SecretMetadataStore.dataDigest(relabelled)).isEqualTo(stored);
    assertThat(SecretMetadataStore.dataDigest(rotated)).isNotEqualTo(stored);
    assertThat(SecretMetadataStore.dataDigest(withStringData)).isNotEqualTo(stored);
  }

  @Test
  void everyNewRevisionAndEveryDeletionIsReportedButNotAResync() {
    Secret v1 = secret("team", "atoms", "1", Map.of("apiKey", "a2V5LTE="));
    Secret v2 = secret("team", "atoms", "2", Map.of("apiKey", "a2V5LTI="));
    ResourceID id = new ResourceID("atoms", "team");

    store.put(store.getKey(v1), v1);
    store.put(store.getKey(v1), v1); // a relist of the same revision
    store.put(store.getKey(v2), v2);
    store.remove("team/atoms");
    store.remove("team/atoms");

    assertThat(changed).containsExactly(id, id, id);
  }
}
