package ai.smallest.atoms.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator exactly as shipped ({@code java -jar target/quarkus-app/quarkus-run.jar}), run as a
 * child process configured by environment variables, as in a Deployment: pointed at the embedded
 * API server and the simulator, isolated from the user's own kubeconfig and in-cluster settings.
 * Its output goes to a log file and, optionally, to the console.
 */
final class OperatorProcess implements AutoCloseable {

  private static final int LOG_TAIL_LINES = 40;

  private final Process process;
  private final int httpPort;
  private final Deque<String> tail = new ArrayDeque<>();
  private final Thread pump;

  private OperatorProcess(Process process, int httpPort, Path logFile, PrintStream echo) throws IOException {
    this.process = process;
    this.httpPort = httpPort;
    Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
    this.pump = new Thread(() -> pump(log, echo), "operator-log");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * @param environment the operator's configuration (ATOMS_*, QUARKUS_*), added to a cleaned copy of ours
   * @param echo where to copy the operator's log lines, or null
   */
  static OperatorProcess start(Path jar, Map<String, String> environment, Path logFile, PrintStream echo) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator not built: " + jar.toAbsolutePath() + " is missing (run ./mvnw -DskipTests package)");
    }
    int httpPort = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString()))
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    // Nothing of the user's real cluster may leak in: Fabric8 reads KUBERNETES_* variables and in-cluster settings.
    env.keySet().removeIf(key -> key.startsWith("KUBERNETES_") || key.startsWith("QUARKUS_") || key.startsWith("ATOMS_"));
    env.putAll(environment);
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      return new OperatorProcess(builder.start(), httpPort, logFile, echo);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the operator", e);
    }
  }

  /** Waits until the operator reports ready (its informers are synced), or fails with its last log lines. */
  void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with code " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the operator", e);
      }
      try {
        process.waitFor(250, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the operator", e);
      }
    }
    throw new IllegalStateException("the operator was not ready within " + timeout.toSeconds() + "s:\n" + tail());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines the operator logged, for failure messages. */
  synchronized String tail() {
    return String.join("\n", tail);
  }

  private void pump(Writer log, PrintStream echo) {
    try (log; BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        log.write(line);
        log.write('\n');
        log.flush();
        if (echo != null) {
          echo.println("[operator] " + line);
        }
        synchronized (this) {
          tail.addLast(line);
          if (tail.size() > LOG_TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process ended; nothing more to copy.
    }
  }

  /** SIGTERM, as Kubernetes stops a pod: the operator finishes in-flight reconciles and exits. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      pump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
