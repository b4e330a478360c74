package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness's Kubernetes API: CRD installed, operator writes counted per kind and release, 409s
 * injected.
 */
class KubeApiServerTest {

  private static KubeApiServer api;
  private static KubernetesClient operatorLike;

  @BeforeAll
  static void start() {
    api = KubeApiServer.start();
    Config config =
        new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withNamespace("default").build();
    operatorLike = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    operatorLike.close();
    api.close();
  }

  @Test
  void countsTheOperatorsWritesButNotTheHarnesss() {
    api.resetCounters();
    Workload.Agent agent = Workload.generate(1, 1, 1).agents().get(0);
    api.client().resource(Workload.release(agent)).create();
    assertThat(api.totalWrites()).isZero();

    AgentRelease release =
        operatorLike
            .resources(AgentRelease.class)
            .inNamespace(agent.namespace())
            .withName(agent.releaseName())
            .get();
    AgentReleaseStatus status = new AgentReleaseStatus();
    status.setVersionNumber(agent.desired());
    release.setStatus(status);
    operatorLike.resource(release).patchStatus();
    operatorLike
        .v1()
        .events()
        .inNamespace(agent.namespace())
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("e1")
                .withNamespace(agent.namespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withName(agent.releaseName())
                .withNamespace(agent.namespace())
                .withKind("AgentRelease")
                .endInvolvedObject()
                .withReason("Activated")
                .withMessage("m")
                .build())
        .create();

    assertThat(api.writes(KubeApiServer.WriteKind.STATUS)).isEqualTo(1);
    assertThat(api.writes(KubeApiServer.WriteKind.EVENT)).isEqualTo(1);
    assertThat(api.writesFor(agent.namespace(), agent.releaseName())).isEqualTo(2);
    // The status really was stored (the counting dispatcher passes requests through untouched).
    assertThat(
            api.client()
                .resources(AgentRelease.class)
                .inNamespace(agent.namespace())
                .withName(agent.releaseName())
                .get()
                .getStatus()
                .getVersionNumber())
        .isEqualTo(agent.desired());
    assertThat(
            api.client()
                .v1()
                .events()
                .inNamespace(agent.namespace())
                .withName("e1")
                .get()
                .getReason())
        .isEqualTo("Activated");
  }

  @Test
  void theIndexedStoreAnswersLikeTheOriginal() {
    String ns = "index-test";
    Workload.Agent agent = new Workload.Agent(0, "agent-x", ns, "same-name", 30, 3, 3);
    api.client().resource(Workload.release(agent)).create();
    // Same namespace and name, another kind: both live side by side.
    api.client()
        .secrets()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("same-name")
                .withNamespace(ns)
                .endMetadata()
                .build())
        .create();
    assertThat(api.client().secrets().inNamespace(ns).withName("same-name").get()).isNotNull();
    assertThatThrownBy(() -> api.client().resource(Workload.release(agent)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    api.client()
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName("same-name")
        .edit(
            r -> {
              r.getSpec().setVersionNumber(4);
              return r;
            });
    AgentRelease edited =
        api.client().resources(AgentRelease.class).inNamespace(ns).withName("same-name").get();
    assertThat(edited.getSpec().getVersionNumber()).isEqualTo(4);
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

    api.client().resources(AgentRelease.class).inNamespace(ns).withName("same-name").delete();
    org.awaitility.Awaitility.await()
        .until(
            () ->
                api.client()
                        .resources(AgentRelease.class)
                        .inNamespace(ns)
                        .withName("same-name")
                        .get()
                    == null);
    assertThat(api.client().secrets().inNamespace(ns).withName("same-name").get()).isNotNull();
    api.client().resource(Workload.release(agent)).create();
    assertThat(
            api.client()
                .resources(AgentRelease.class)
                .inNamespace(ns)
                .withName("same-name")
                .get()
                .getSpec()
                .getVersionNumber())
        .isEqualTo(3);
  }

  @Test
  void answersStatusWritesWith409AtTheConfiguredRate() {
    Workload.Agent agent = Workload.generate(2, 1, 2).agents().get(1);
    api.client().resource(Workload.release(agent)).create();
    api.resetCounters();
    api.injectStatusConflicts(1.0, 1);
    try {
      AgentRelease release =
          operatorLike
              .resources(AgentRelease.class)
              .inNamespace(agent.namespace())
              .withName(agent.releaseName())
              .get();
      release.setStatus(new AgentReleaseStatus());
      assertThatThrownBy(() -> operatorLike.resource(release).patchStatus())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(api.injectedConflicts()).isEqualTo(1);
      assertThat(api.injectedConflicts(agent.namespace(), agent.releaseName())).isEqualTo(1);
      // The harness itself is never sabotaged.
      api.client().resource(release).patchStatus();
    } finally {
      api.injectStatusConflicts(0, 0);
    }
  }
}
