package ai.smallest.atoms.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way the test code runs the operator as it ships: {@code java -jar
 * target/quarkus-app/quarkus-run.jar} in a child process, configured only by environment variables,
 * as in a Deployment. The sandbox ({@code ./sandbox}) and the benchmark and chaos suites all start
 * it here, so they exercise the same artifact the same way.
 *
 * <p>The child is isolated from the machine it runs on: nothing of the user's real cluster,
 * kubeconfig, proxies, JVM option variables or a {@code .env} in the checkout may reach it, so it
 * talks only to what the caller points it at. Its output (stdout and stderr) is copied to a log
 * file, optionally echoed to a console, and its last lines are kept for failure messages.
 *
 * <p>Stopping is as Kubernetes stops a pod: SIGTERM, a grace period for in-flight reconciles, then
 * SIGKILL. A shutdown hook does the same when the harness JVM exits (normally, on Ctrl-C or
 * SIGTERM), so a dying harness does not leave the operator running.
 */
public final class OperatorProcess implements AutoCloseable {

  /**
   * The packaged operator, relative to the project directory ({@code ./mvnw package} builds it).
   */
  public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  /**
   * JVM options of the production image inside its 512Mi limit: the JVM sizes itself as in that
   * container (MaxRAM=512m: a 256 MiB heap cap from the Dockerfile's MaxRAMPercentage=50, and an
   * initial heap of 1/64 of 512 MiB rather than of this machine's RAM), with run-java.sh's defaults
   * for the UBI OpenJDK image (ParallelGC tuned to give memory back), and the image's C1-only JIT.
   * DockerfileTest holds these to the Dockerfile.
   */
  public static final List<String> PRODUCTION_JVM_OPTIONS =
      List.of(
          "-XX:MaxRAM=512m",
          "-XX:MaxRAMPercentage=50.0",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseParallelGC",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=20",
          "-XX:GCTimeRatio=4",
          "-XX:AdaptiveSizePolicyWeight=90",
          "-XX:+ExitOnOutOfMemoryError");

  /**
   * The production image's environment that is not operator configuration (glibc's malloc arenas,
   * see the Dockerfile); every operator started here gets it. DockerfileTest holds it to the
   * Dockerfile.
   */
  public static final Map<String, String> PRODUCTION_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /**
   * Longer than the operator's own quarkus.shutdown.timeout (35s), so a graceful stop can finish.
   */
  private static final Duration STOP_GRACE = Duration.ofSeconds(45);

  private static final Duration KILL_WAIT = Duration.ofSeconds(20);
  private static final int LOG_TAIL_LINES = 40;

  /** Inherited variables the operator (Quarkus, SmallRye Config, Fabric8, the JVM) would read. */
  private static final List<String> INHERITED_PREFIXES_REMOVED =
      List.of("KUBERNETES_", "QUARKUS_", "ATOMS_", "SMALLRYE_");

  private static final List<String> INHERITED_REMOVED =
      List.of(
          "KUBECONFIG",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "ALL_PROXY",
          "NO_PROXY",
          "JAVA_TOOL_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "_JAVA_OPTIONS");

  private final Process process;
  private final String baseUrl;
  private final Path log;
  private final Deque<String> tail = new ArrayDeque<>();
  private final Thread pump;
  private final Thread shutdownHook;

  private OperatorProcess(
      Process process, int httpPort, Path log, Writer logWriter, PrintStream echo) {
    this.process = process;
    this.baseUrl = "http://127.0.0.1:" + httpPort;
    this.log = log;
    this.pump = new Thread(() -> pump(logWriter, echo), "operator-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    this.shutdownHook = new Thread(this::stop, "stop-operator-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the operator; it listens on a free loopback port ({@link #baseUrl()}).
   *
   * @param jar the packaged operator, usually {@link #JAR}
   * @param jvmOptions the operator JVM's options, and the only ones (JAVA_TOOL_OPTIONS and the like
   *     are not inherited)
   * @param environment the operator's configuration (ATOMS_*, QUARKUS_*, KUBECONFIG), added to a
   *     cleaned copy of ours
   * @param logFile where its output goes (truncated first); its directory is also the operator's
   *     working directory
   * @param echo where to copy its output lines, prefixed with "[operator] ", or null
   */
  public static OperatorProcess start(
      Path jar,
      List<String> jvmOptions,
      Map<String, String> environment,
      Path logFile,
      PrintStream echo) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "operator not built: "
              + jar.toAbsolutePath()
              + " is missing (run ./mvnw -DskipTests package)");
    }
    int httpPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    Path logDir = logFile.toAbsolutePath().getParent();
    // The working directory is the log's, not the checkout: Quarkus would read a .env or config/
    // there.
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(logDir.toFile()).redirectErrorStream(true);
    isolate(builder.environment());
    builder.environment().putAll(PRODUCTION_ENVIRONMENT);
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    Writer logWriter = null;
    try {
      Files.createDirectories(logDir);
      logWriter = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
      return new OperatorProcess(builder.start(), httpPort, logFile, logWriter, echo);
    } catch (IOException e) {
      closeQuietly(logWriter);
      throw new UncheckedIOException("could not start the operator", e);
    }
  }

  /**
   * The environment that points the operator at a test Kubernetes API server (trusting its
   * self-signed certificate, namespace "default") and at an Atoms API, such as the simulator.
   * Mutable: callers add their settings.
   */
  public static Map<String, String> baseEnvironment(String kubeApiUrl, String atomsBaseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", kubeApiUrl);
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
    env.put("ATOMS_BASE_URL", atomsBaseUrl);
    // The simulator speaks plain HTTP on loopback; the operator refuses http:// unless told.
    env.put("ATOMS_ALLOW_INSECURE_HTTP", "true");
    return env;
  }

  /**
   * Removes from an inherited environment what would point the operator elsewhere: Fabric8 reads
   * KUBERNETES_* (in-cluster settings), KUBECONFIG and the proxy variables; Quarkus and SmallRye
   * Config read QUARKUS_*, ATOMS_*, SMALLRYE_*; the JVM reads JAVA_TOOL_OPTIONS and the like.
   * KUBECONFIG becomes /dev/null, so only an explicit one (or none) is used.
   */
  static void isolate(Map<String, String> env) {
    env.keySet()
        .removeIf(
            key -> {
              String upper = key.toUpperCase(Locale.ROOT);
              return INHERITED_REMOVED.contains(upper)
                  || INHERITED_PREFIXES_REMOVED.stream().anyMatch(upper::startsWith);
            });
    env.put("KUBECONFIG", "/dev/null");
  }

  /**
   * Waits until /q/health/ready answers 200 (started, informers synced), or fails with the last log
   * lines. On failure the operator is stopped, so {@code start(...).awaitReady(...)} leaks nothing.
   */
  public OperatorProcess awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          released(); // its last lines are in the tail
          throw new IllegalStateException(
              "the operator exited with code " + process.exitValue() + failureDetails());
        }
        try {
          if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return this;
          }
        } catch (IOException notListeningYet) {
          // Starting.
        }
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while waiting for the operator", e);
    }
    stop();
    throw new IllegalStateException(
        "the operator was not ready within " + timeout.toSeconds() + "s" + failureDetails());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log file its output goes to. */
  public Path log() {
    return log;
  }

  /**
   * Where its HTTP endpoints (/q/health, /q/metrics) answer, e.g. {@code http://127.0.0.1:41234}.
   */
  public String baseUrl() {
    return baseUrl;
  }

  /** The last lines the operator logged, for failure messages. */
  public String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /**
   * kill -9: no shutdown hook, no graceful end of in-flight reconciles (what a node failure does).
   */
  public void kill() {
    process.destroyForcibly();
    awaitExit(KILL_WAIT);
    released();
  }

  /**
   * SIGTERM, as Kubernetes stops a pod: the operator finishes in-flight reconciles and exits; if it
   * has not within the grace period, kill -9. Returns once its whole log is written: true when the
   * operator ended on its own (or had already), false when it had to be killed.
   */
  public boolean stop() {
    boolean onItsOwn = true;
    if (process.isAlive()) {
      process.destroy();
      if (!awaitExit(STOP_GRACE)) {
        onItsOwn = false;
        process.destroyForcibly();
        awaitExit(KILL_WAIT);
      }
    }
    released();
    return onItsOwn;
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private String failureDetails() {
    return " (log: " + log.toAbsolutePath() + "):\n" + tail();
  }

  private void pump(Writer logWriter, PrintStream echo) {
    try (logWriter;
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        logWriter.write(line);
        logWriter.write('\n');
        logWriter.flush();
        if (echo != null) {
          echo.println("[operator] " + line);
        }
        synchronized (tail) {
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

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  /**
   * Once the process is gone: lets the log be read in full, and drops the shutdown hook (restarts
   * add new ones).
   */
  private void released() {
    if (process.isAlive()) {
      return;
    }
    try {
      pump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to; it finds the process gone.
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(Writer writer) {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // Already failing.
      }
    }
  }
}
