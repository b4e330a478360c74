package ai.smallest.atoms.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The operator as it ships: {@code java -jar target/quarkus-app/quarkus-run.jar} in a child
 * process, configured only through environment variables, with stdout and stderr captured to a
 * log file. Reads RSS and CPU time from {@code /proc}, metrics from {@code /q/metrics}.
 */
public final class OperatorProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  /**
   * JVM options of the production image inside its 512Mi limit: the JVM sizes itself as in that
   * container (MaxRAM=512m: a 256 MiB heap cap from the Dockerfile's MaxRAMPercentage=50, and an
   * initial heap of 1/64 of 512 MiB rather than of this machine's RAM), with run-java.sh's defaults
   * for the UBI OpenJDK image (ParallelGC tuned to give memory back).
   */
  public static final List<String> PRODUCTION_JVM_OPTIONS = List.of(
      "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50.0", "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
      "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

  private static final long CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64 and arm64

  private final Process process;
  private final int httpPort;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /**
   * Starts the packaged operator.
   *
   * @param env operator settings (ATOMS_*, QUARKUS_*); the HTTP port is chosen here
   */
  public static OperatorProcess start(Map<String, String> env, List<String> jvmOptions, Path log) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run ./mvnw -B package -DskipTests first");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    // No kubeconfig of the machine may leak in: the API server URL is given explicitly.
    builder.environment().put("KUBECONFIG", "/dev/null");
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = builder.start();
      // If the harness dies or is interrupted, the operator must not outlive it.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-operator-" + process.pid()));
      return new OperatorProcess(process, port, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the operator", e);
    }
  }

  /** Waits for /q/health/ready (operator started, informers synced). */
  public OperatorProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("operator exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(base() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new IllegalStateException("operator not ready after " + timeout + "; see " + log.toAbsolutePath());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Resident set size now, in KiB (VmRSS). */
  public long rssKiB() {
    return procStatus("VmRSS:");
  }

  /** Peak resident set size, in KiB (VmHWM). */
  public long peakRssKiB() {
    return procStatus("VmHWM:");
  }

  /** User plus system CPU time consumed so far, in milliseconds. */
  public long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The Prometheus exposition at /q/metrics, one entry per series ("name{labels}" to value). */
  public Map<String, Double> metrics() {
    Map<String, Double> series = new LinkedHashMap<>();
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(base() + "/q/metrics")).timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        try {
          series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        } catch (NumberFormatException ignored) {
          // NaN and the like
        }
      }
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return series;
  }

  /** Sum of every series of {@code name} whose label text passes {@code labels}. */
  public static double sum(Map<String, Double> metrics, String name, Predicate<String> labels) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(e -> labels.test(e.getKey()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /**
   * Live heap: the total of {@code jcmd <pid> GC.class_histogram}, which runs a full GC first and
   * then counts only reachable objects. (Reading jvm_memory_used_bytes right after a GC is not
   * reliable: scraping /q/metrics itself allocates a lot when JOSDK's per-resource meters are on.)
   */
  public long liveHeapBytes() {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid()), "GC.class_histogram").redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      jcmd.waitFor(60, TimeUnit.SECONDS);
      for (String line : out.split("\n")) {
        if (line.startsWith("Total")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[parts.length - 1]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Size of one /q/metrics scrape in bytes, its number of series, and how long it took in ms. */
  public long[] metricsScrapeSize() {
    try {
      long started = System.nanoTime();
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(base() + "/q/metrics")).timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      long millis = (System.nanoTime() - started) / 1_000_000;
      long series = body.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
      return new long[] {body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, series, millis};
    } catch (IOException e) {
      return new long[] {-1, -1, -1};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {-1, -1, -1};
    }
  }

  /** kill -9: no shutdown hook, no graceful end of in-flight reconciles. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(20));
  }

  /** SIGTERM and wait (the operator lets in-flight reconciles finish). */
  public void stop() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitForExit(Duration.ofSeconds(45))) {
        kill();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The environment that points the operator at the harness's API server and simulator. */
  public static Map<String, String> baseEnvironment(String kubeApiUrl, String atomsBaseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", kubeApiUrl);
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
    env.put("ATOMS_BASE_URL", atomsBaseUrl);
    return env;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
