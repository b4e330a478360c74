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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suites' view of the embedded API server: CRD installed, the operator's writes counted per
 * kind and release (the harness's not), 409s injected on the operator's status writes only.
 */
class BenchApiServerTest {

  private static BenchApiServer api;
  private static KubernetesClient operatorLike;

  @BeforeAll
  static void start() {
    api = BenchApiServer.start(List.of("bench-0"));
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.url())
            .withNamespace("default")
            .withUserAgent(BenchApiServer.OPERATOR_USER_AGENT)
            .build();
    operatorLike = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    operatorLike.close();
    api.close();
  }

  private static AgentRelease fetch(Workload.Agent agent) {
    return operatorLike
        .resources(AgentRelease.class)
        .inNamespace(agent.namespace())
        .withName(agent.releaseName())
        .get();
  }

  @Test
  void countsTheOperatorsWritesByKindAndReleaseButNotTheHarnesss() {
    api.resetCounters();
    Workload.Agent agent = Workload.generate(1, 1, 1).agents().get(0);
    api.client().resource(Workload.release(agent)).create();
    assertThat(api.totalWrites()).isZero();

    AgentRelease release = fetch(agent);
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

    assertThat(api.writes(BenchApiServer.WriteKind.STATUS)).isEqualTo(1);
    assertThat(api.writes(BenchApiServer.WriteKind.EVENT)).isEqualTo(1);
    assertThat(api.writes(BenchApiServer.WriteKind.RELEASE)).isZero();
    assertThat(api.writes(BenchApiServer.WriteKind.OTHER)).isZero();
    assertThat(api.writesFor(agent.namespace(), agent.releaseName())).isEqualTo(2);
    assertThat(api.writesPerRelease())
        .isEqualTo(Map.of(agent.namespace() + "/" + agent.releaseName(), 2L));
    assertThat(
            api.client()
                .resources(AgentRelease.class)
                .inNamespace(agent.namespace())
                .withName(agent.releaseName())
                .get()
                .getStatus()
                .getVersionNumber())
        .isEqualTo(agent.desired());
  }

  @Test
  void answersTheOperatorsStatusWritesWith409AtTheConfiguredRate() {
    Workload.Agent agent = Workload.generate(2, 1, 2).agents().get(1);
    api.client().resource(Workload.release(agent)).create();
    api.resetCounters();
    api.injectStatusConflicts(1.0, 1);
    try {
      AgentRelease release = fetch(agent);
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
    AgentRelease again = fetch(agent);
    again.setStatus(new AgentReleaseStatus());
    operatorLike.resource(again).patchStatus();
    assertThat(api.injectedConflicts()).as("off again").isEqualTo(1);
  }
}
