package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the benchmark and chaos suites measure of a running operator, from outside it as a node or
 * Prometheus would: RSS and CPU time from {@code /proc/<pid>}, the live heap via {@code jcmd}, and
 * the operator's own counters from {@code /q/metrics}. Starting and stopping the process is {@link
 * OperatorProcess}'s job; this only reads. Every reading is -1 (or empty) once the process is gone.
 */
final class OperatorProbe {

  private static final long CLOCK_TICKS_PER_SECOND =
      100; // getconf CLK_TCK on Linux x86-64 and arm64

  private final long pid;
  private final URI metricsUri;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  OperatorProbe(OperatorProcess operator) {
    this.pid = operator.pid();
    this.metricsUri = URI.create(operator.baseUrl() + "/q/metrics");
  }

  /** Resident set size now, in KiB (VmRSS). */
  long rssKiB() {
    return procStatus("VmRSS:");
  }

  /** Peak resident set size, in KiB (VmHWM). */
  long peakRssKiB() {
    return procStatus("VmHWM:");
  }

  /** User plus system CPU time consumed so far, in milliseconds. */
  long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The Prometheus exposition at /q/metrics, one entry per series ("name{labels}" to value). */
  Map<String, Double> metrics() {
    Map<String, Double> series = new LinkedHashMap<>();
    try {
      for (String line : scrape().split("\n")) {
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
  static double sum(Map<String, Double> metrics, String name, Predicate<String> labels) {
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
  long liveHeapBytes() {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(pid),
                  "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
  long[] metricsScrapeSize() {
    try {
      long started = System.nanoTime();
      String body = scrape();
      long millis = (System.nanoTime() - started) / 1_000_000;
      long series = body.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
      return new long[] {body.getBytes(StandardCharsets.UTF_8).length, series, millis};
    } catch (IOException e) {
      return new long[] {-1, -1, -1};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {-1, -1, -1};
    }
  }

  private String scrape() throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(metricsUri).timeout(Duration.ofSeconds(120)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
