package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer caches Secret metadata only; the resolver reads a Secret once per revision and keeps
 * no key longer than the revision it came from.
 */
class ApiKeyResolverTest {

  private final KubernetesClient kubernetes = mock(KubernetesClient.class);
  private final Map<String, Secret> cluster = new HashMap<>();
  private final SecretMetadataStore informer = new SecretMetadataStore(this::forget);
  private ApiKeyResolver resolver;
  private Resource<Secret> atomsSecret;

  @BeforeEach
  void setUp() {
    OperatorConfig config = mock(OperatorConfig.class, RETURNS_DEEP_STUBS);
    when(config.defaultApiKeySecret().name()).thenReturn(Optional.empty());
    resolver = new ApiKeyResolver(kubernetes, config);
    resolver.useInformerCache(
        id ->
            Optional.ofNullable(
                informer.get(id.getNamespace().orElseThrow() + "/" + id.getName())));
    @SuppressWarnings("unchecked")
    Resource<Secret> resource = mock(Resource.class);
    atomsSecret = resource;
    when(atomsSecret.get()).thenAnswer(call -> cluster.get("team/atoms"));
    @SuppressWarnings("unchecked")
    MixedOperation<Secret, SecretList, Resource<Secret>> secrets = mock(MixedOperation.class);
    @SuppressWarnings("unchecked")
    NonNamespaceOperation<Secret, SecretList, Resource<Secret>> inTeam =
        mock(NonNamespaceOperation.class);
    when(kubernetes.secrets()).thenReturn(secrets);
    when(secrets.inNamespace("team")).thenReturn(inTeam);
    when(inTeam.withName("atoms")).thenReturn(atomsSecret);
  }

  private void forget(ResourceID id) {
    resolver.forget(id);
  }

  /** The API server and the informer both see the new revision of team/atoms. */
  private void store(String resourceVersion, String apiKey) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("team")
            .withName("atoms")
            .withResourceVersion(resourceVersion)
            .endMetadata()
            .withData(
                Map.of(
                    "apiKey",
                    Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8))))
            .build();
    cluster.put("team/atoms", secret);
    informer.put("team/atoms", secret);
  }

  private AgentRelease release() {
    return TestReleases.byNumber("team", "support", "agent-1", 2, "atoms");
  }

  @Test
  void aSecretIsReadOncePerRevision() {
    store("1", "key-one");

    assertThat(resolver.resolve(release()).apiKey().bearerHeader()).isEqualTo("Bearer key-one");
    assertThat(resolver.resolve(release()).apiKey().bearerHeader()).isEqualTo("Bearer key-one");
    verify(atomsSecret, times(1)).get();

    store("2", "key-two");
    assertThat(resolver.resolve(release()).apiKey().bearerHeader()).isEqualTo("Bearer key-two");
    verify(atomsSecret, times(2)).get();
  }

  @Test
  void aRotatedOrDeletedSecretTakesItsDecodedKeyWithIt() {
    for (int revision = 1; revision <= 1000; revision++) {
      store(String.valueOf(revision), "key-" + revision);
      resolver.resolve(release());
      assertThat(resolver.decodedKeys()).isEqualTo(1);
    }
    store("1001", "key-1001");
    assertThat(resolver.decodedKeys()).as("the rotation alone drops the old key").isZero();

    resolver.resolve(release());
    cluster.remove("team/atoms");
    informer.remove("team/atoms");
    assertThat(resolver.decodedKeys()).isZero();
    assertThatThrownBy(() -> resolver.resolve(release()))
        .isInstanceOf(ApiKeyResolver.MissingApiKeyException.class)
        .hasMessageContaining("Secret team/atoms, key apiKey: Secret not found");
  }
}
