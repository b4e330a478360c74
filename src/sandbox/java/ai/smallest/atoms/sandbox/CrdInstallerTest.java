package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.apiserver.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pre-installed CRD looks as if kubectl had applied it, so re-applying it changes nothing. */
class CrdInstallerTest {

  @Test
  void lastAppliedIsTheManifestAsKubectlEncodesIt() throws Exception {
    ObjectNode manifest =
        (ObjectNode)
            Json.YAML.readTree(
                """
        apiVersion: atoms.smallest.ai/v1alpha1
        kind: AgentRelease
        metadata:
          name: support-agent
          namespace: default
        spec:
          versionNumber: 3
          agentId: agent-support
          note: "a <b> & 1.0"
          ratio: 1.0
        """);
    String lastApplied =
        CrdInstaller.withLastApplied(manifest)
            .at("/metadata/annotations")
            .get(CrdInstaller.LAST_APPLIED)
            .asText();
    // Byte for byte what kubectl v1.32 writes: sorted keys, HTML-escaped, integral floats as
    // integers.
    assertThat(lastApplied)
        .isEqualTo(
            "{\"apiVersion\":\"atoms.smallest.ai/v1alpha1\",\"kind\":\"AgentRelease\","
                + "\"metadata\":{\"annotations\":{},\"name\":\"support-agent\",\"namespace\":\"default\"},"
                + "\"spec\":{\"agentId\":\"agent-support\",\"note\":\"a \\u003cb\\u003e \\u0026 1.0\",\"ratio\":1,\"versionNumber\":3}}\n");
  }

  @Test
  void installsTheProjectCrdsAndSkipsOtherManifestsInTheDirectory() {
    try (EmbeddedApiServer server = EmbeddedApiServer.start(0)) {
      assertThat(CrdInstaller.install(Path.of("crds"), server.operations()))
          .containsExactly("agentreleases.atoms.smallest.ai");
      ObjectNode crd =
          server
              .operations()
              .get(
                  server.operations().registry().crdType(),
                  null,
                  "agentreleases.atoms.smallest.ai");
      assertThat(crd.at("/status/conditions/1/type").asText()).isEqualTo("Established");
      assertThat(
              server
                  .operations()
                  .registry()
                  .lookup("atoms.smallest.ai", "v1alpha1", "agentreleases"))
          .isPresent();
    }
  }
}
