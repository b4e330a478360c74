package ai.smallest.atoms.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorProcessTest {

  @Test
  void nothingOfTheMachinesClusterProxiesOrJvmOptionsIsInherited() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "PATH",
                "/usr/bin",
                "HOME",
                "/home/me",
                "KUBECONFIG",
                "/home/me/.kube/config",
                "KUBERNETES_SERVICE_HOST",
                "10.0.0.1",
                "QUARKUS_PROFILE",
                "dev",
                "ATOMS_BASE_URL",
                "https://api.smallest.ai",
                "SMALLRYE_CONFIG_LOCATIONS",
                "/etc/x",
                "https_proxy",
                "http://proxy:3128",
                "JAVA_TOOL_OPTIONS",
                "-Xmx8g"));

    OperatorProcess.isolate(env);

    assertThat(env)
        .containsOnly(
            Map.entry("PATH", "/usr/bin"),
            Map.entry("HOME", "/home/me"),
            Map.entry("KUBECONFIG", "/dev/null"));
  }

  @Test
  void anOperatorThatCannotStartFailsWithItsLastLogLines(@TempDir Path dir) throws Exception {
    Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
    Path log = dir.resolve("logs").resolve("operator.log");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    try (OperatorProcess operator =
        OperatorProcess.start(
            notAJar,
            List.of("-Xmx32m"),
            Map.of(),
            log,
            new PrintStream(console, true, StandardCharsets.UTF_8))) {
      assertThatThrownBy(() -> operator.awaitReady(Duration.ofSeconds(30)))
          .hasMessageContaining("the operator exited with code 1")
          .hasMessageContaining(log.toAbsolutePath().toString())
          .hasMessageContaining("Invalid or corrupt jarfile");
      operator.stop();
      assertThat(operator.isAlive()).isFalse();
      assertThat(Files.readString(log)).contains("Invalid or corrupt jarfile");
      assertThat(console.toString(StandardCharsets.UTF_8))
          .startsWith("[operator] ")
          .contains("Invalid or corrupt jarfile");
    }
  }

  @Test
  void aMissingJarSaysHowToBuildIt(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                OperatorProcess.start(
                    dir.resolve("quarkus-run.jar"), List.of(), Map.of(), dir.resolve("log"), null))
        .hasMessageContaining("operator not built")
        .hasMessageContaining("./mvnw -DskipTests package");
  }
}
