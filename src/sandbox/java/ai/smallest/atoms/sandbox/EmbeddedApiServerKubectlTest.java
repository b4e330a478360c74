package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.apiserver.RequestFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded API server's paging and request counting, driven by the real kubectl: {@code
 * --chunk-size} pages through a list with continue tokens. (The operator and the walk-through are
 * {@link SandboxKubectlIT}'s.)
 */
class EmbeddedApiServerKubectlTest {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static EmbeddedApiServer server;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws IOException {
    Optional<Path> binary = Kubectl.find(PROJECT);
    if (binary.isEmpty()) {
      String hint =
          "kubectl not found (-Dkubectl=PATH, $KUBECTL, target/tools/kubectl/kubectl or PATH); .ci/run installs it";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(hint);
      }
      Assumptions.abort(hint);
    }
    server = EmbeddedApiServer.start(0);
    Path state = Files.createTempDirectory(PROJECT.resolve("target"), "apiserver-kubectl-");
    Path kubeconfig = Kubeconfig.write(state.resolve("kubeconfig"), server.url());
    Path cache = Files.createDirectories(state.resolve("kubectl-cache"));
    kubectl = new Kubectl(binary.get(), kubeconfig, cache, PROJECT);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void kubectlChunkSizePagesThroughAListWithContinueTokens() {
    kubectl.ok("create", "namespace", "chunks");
    for (int i = 0; i < 5; i++) {
      kubectl.ok("create", "configmap", "cm-" + i, "-n", "chunks", "--from-literal=k=v" + i);
    }
    server.requests().reset();

    Kubectl.Result result =
        kubectl.run("get", "configmaps", "-n", "chunks", "--chunk-size=2", "-o", "name", "-v=6");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout().lines())
        .containsExactly(
            "configmap/cm-0",
            "configmap/cm-1",
            "configmap/cm-2",
            "configmap/cm-3",
            "configmap/cm-4");
    assertThat(result.stderr()).contains("limit=2").contains("continue=");
    assertThat(server.requests().count(RequestFilter.any().client("kubectl").verbs("list")))
        .as("three pages of at most two")
        .isEqualTo(3);
  }
}
