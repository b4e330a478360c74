package ai.smallest.atoms.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl binary against a kubeconfig, with a private discovery cache and bounded
 * time, and returns what it printed. Found as: {@code -Dkubectl=PATH}, {@code $KUBECTL}, {@code
 * target/tools/kubectl/kubectl} (where .ci/run installs it), then {@code PATH}.
 */
final class Kubectl {

  record Result(int exitCode, String stdout, String stderr) {
    /** Both streams, for assertions that do not care where kubectl printed. */
    String output() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  private static final long TIMEOUT_SECONDS = 120;

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;
  private final Path workDir;

  Kubectl(Path binary, Path kubeconfig, Path cacheDir, Path workDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
    this.workDir = workDir;
  }

  static Optional<Path> find(Path projectDir) {
    List<String> candidates = new ArrayList<>();
    candidates.add(System.getProperty("kubectl"));
    candidates.add(System.getenv("KUBECTL"));
    candidates.add(projectDir.resolve("target/tools/kubectl/kubectl").toString());
    for (String dir : String.valueOf(System.getenv("PATH")).split(java.io.File.pathSeparator)) {
      candidates.add(Path.of(dir, "kubectl").toString());
    }
    return candidates.stream()
        .filter(c -> c != null && !c.isBlank())
        .map(Path::of)
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }

  Result run(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                cacheDir.toString(),
                "--request-timeout=30s"));
    command.addAll(List.of(args));
    return execute(command, Map.of(), String.join(" ", args));
  }

  private Result execute(List<String> command, Map<String, String> env, String description) {
    try {
      Path out = Files.createTempFile(cacheDir, "kubectl", ".out");
      Path err = Files.createTempFile(cacheDir, "kubectl", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      // kubectl must not pick up anything of the user's own cluster.
      builder.environment().keySet().removeIf(key -> key.startsWith("KUBE"));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "kubectl " + description + " did not finish within " + TIMEOUT_SECONDS + "s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs kubectl the way a user runs a kubectl plugin: {@code kubectl agr ...} with {@code
   * pluginDir} and kubectl's own directory first on the PATH, and the kubeconfig and cache
   * directory given through the environment (kubectl refuses flags before a plugin's name).
   */
  Result plugin(Path pluginDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("KUBECACHEDIR", cacheDir.toString());
    env.put(
        "PATH",
        pluginDir.toAbsolutePath()
            + java.io.File.pathSeparator
            + binary.toAbsolutePath().getParent()
            + java.io.File.pathSeparator
            + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    return execute(command, env, String.join(" ", args));
  }

  /** Runs and requires exit code 0. */
  String ok(String... args) {
    Result result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result);
    }
    return result.stdout();
  }
}
