package ai.smallest.atoms.bench;

import static ai.smallest.atoms.bench.Stats.fmt;

import ai.smallest.atoms.harness.OperatorProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./bench/run-benchmark [--sizes 100,1000,5000] [--latencies 50,0] [--concurrency 8] ...}:
 * runs every scenario, writes {@code bench/results/benchmark.{json,md}} and regenerates
 * BENCHMARKS.md. See {@link Options} for every flag.
 */
public final class BenchmarkMain {

  /** Command-line options with the documented defaults. */
  static final class Options {
    List<Integer> sizes = List.of(100, 1000, 5000);
    List<Long> latenciesMs = List.of(50L, 0L);
    int concurrency = 8;
    double rps = 10_000;
    Integer threads;
    Duration resync; // null: chosen per scenario, see resyncFor
    int periods = 3;
    int namespaces = 10;
    long seed = 6;
    int naiveMax = 1000;
    Path out = Report.RESULTS;
    boolean regenerateDoc = true;
    boolean merge;
    boolean renderOnly;
    int warmup;
    String name; // null: benchmark, or benchmark-warm with a warm-up
    Duration convergeTimeout; // null: from N and L, see convergeTimeoutFor
    List<String> jvm = OperatorProcess.PRODUCTION_JVM_OPTIONS;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--sizes" ->
              o.sizes =
                  Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
          case "--latencies" ->
              o.latenciesMs =
                  Arrays.stream(value.split(",")).map(String::trim).map(Long::parseLong).toList();
          case "--concurrency" -> o.concurrency = Integer.parseInt(value);
          case "--rps" -> o.rps = Double.parseDouble(value);
          case "--threads" -> o.threads = Integer.parseInt(value);
          case "--resync" -> o.resync = Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
          case "--periods" -> o.periods = Integer.parseInt(value);
          case "--namespaces" -> o.namespaces = Integer.parseInt(value);
          case "--seed" -> o.seed = Long.parseLong(value);
          case "--naive-max" -> o.naiveMax = Integer.parseInt(value);
          case "--out" -> o.out = Path.of(value);
          case "--no-doc" -> {
            o.regenerateDoc = false;
            i--;
          }
          case "--merge" -> {
            o.merge = true;
            i--;
          }
          case "--render-only" -> {
            o.renderOnly = true;
            i--;
          }
          case "--warmup" -> o.warmup = Integer.parseInt(value);
          case "--name" -> o.name = value;
          case "--converge-timeout" ->
              o.convergeTimeout = Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
          case "--jvm" -> o.jvm = Arrays.stream(value.trim().split("\\s+")).toList();
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      return o;
    }

    /** --name, else benchmark, or benchmark-warm for runs with a warm-up set. */
    String fileName() {
      if (name != null) {
        return name;
      }
      return warmup > 0 ? "benchmark-warm" : "benchmark";
    }

    /**
     * --converge-timeout, else 2 min plus 5x the convergence time expected at L (at least 5 ms).
     */
    Duration convergeTimeoutFor(int n, long latencyMs) {
      if (convergeTimeout != null) {
        return convergeTimeout;
      }
      return Duration.ofSeconds(120)
          .plusMillis((long) (n * 1.7 * Math.max(latencyMs, 5) / concurrency * 5));
    }

    /**
     * Long enough that one resync of every release fits in a period with room to spare: 2.5x the
     * larger of the API time of a full resync (sized for 1.2 lists per release x L / C, above the
     * 1.0 measured) and the operator's CPU time for it (about 6 ms per release on one core,
     * measured), at least 15 s, rounded up to 10 s.
     */
    Duration resyncFor(int n, long latencyMs) {
      if (resync != null) {
        return resync;
      }
      double apiSeconds = n * 1.2 * latencyMs / 1000.0 / concurrency;
      double cpuSeconds = n * 0.006;
      double seconds = 2.5 * Math.max(apiSeconds, cpuSeconds);
      long rounded = (long) Math.ceil(seconds / 10.0) * 10;
      return Duration.ofSeconds(Math.max(15, rounded));
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Files.createDirectories(o.out);
    if (o.renderOnly) {
      // Rewrites the Markdown (and BENCHMARKS.md) from the JSON of earlier runs, without running
      // anything.
      write(o, previous(o), previousMachine(o));
      if (o.regenerateDoc) {
        Report.regenerate();
      }
      return;
    }
    BenchmarkRunner runner = new BenchmarkRunner(line -> System.out.println("[bench] " + line));
    List<BenchmarkResult> results = new ArrayList<>();
    List<BenchmarkResult> kept = o.merge ? previous(o) : List.of();
    for (int n : o.sizes) {
      for (long latency : o.latenciesMs) {
        Duration resync = o.resyncFor(n, latency);
        Duration timeout = o.convergeTimeoutFor(n, latency);
        results.add(
            runner.run(
                new BenchmarkRunner.Scenario(
                    n,
                    Duration.ofMillis(latency),
                    o.concurrency,
                    o.rps,
                    o.threads,
                    resync,
                    o.periods,
                    o.namespaces,
                    o.seed,
                    o.naiveMax,
                    o.jvm,
                    timeout,
                    Path.of("target", "bench-logs"),
                    o.warmup)));
        write(o, merged(kept, results));
      }
    }
    if (o.regenerateDoc) {
      Report.regenerate();
    }
    boolean allCorrect = results.stream().allMatch(BenchmarkResult::correct);
    System.out.println(
        "[bench] done: "
            + results.size()
            + " scenarios, "
            + (allCorrect ? "all correct" : "SOME INCORRECT")
            + "; results in "
            + o.out.resolve(o.fileName() + ".md"));
    System.exit(allCorrect ? 0 : 1);
  }

  /** With --merge: the results already in benchmark.json, which scenarios run now replace. */
  private static List<BenchmarkResult> previous(Options o) throws Exception {
    Path file = o.out.resolve(o.fileName() + ".json");
    if (!Files.exists(file)) {
      return List.of();
    }
    ObjectMapper json =
        new ObjectMapper()
            .configure(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                false);
    return List.of(
        json.treeToValue(json.readTree(file.toFile()).path("results"), BenchmarkResult[].class));
  }

  private static List<BenchmarkResult> merged(
      List<BenchmarkResult> kept, List<BenchmarkResult> fresh) {
    List<BenchmarkResult> all = new ArrayList<>(kept);
    all.removeIf(k -> fresh.stream().anyMatch(f -> f.n == k.n && f.latencyMs == k.latencyMs));
    all.addAll(fresh);
    all.sort(
        java.util.Comparator.comparingInt((BenchmarkResult r) -> r.n)
            .thenComparing(r -> -r.latencyMs));
    return all;
  }

  static void write(Options o, List<BenchmarkResult> results) throws Exception {
    write(o, results, Machine.describe());
  }

  /**
   * @param machine where and when the results were measured (kept from the JSON by --render-only)
   */
  static void write(Options o, List<BenchmarkResult> results, String machine) throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(
        o.out.resolve(o.fileName() + ".json"),
        json.writeValueAsString(Map.of("machine", machine, "results", results)));
    Files.writeString(o.out.resolve(o.fileName() + ".md"), markdown(o, results, machine));
  }

  private static String previousMachine(Options o) throws Exception {
    Path file = o.out.resolve(o.fileName() + ".json");
    String recorded =
        Files.exists(file)
            ? new ObjectMapper().readTree(file.toFile()).path("machine").asText("")
            : "";
    return recorded.isEmpty() ? Machine.describe() : recorded;
  }

  static String markdown(Options o, List<BenchmarkResult> results, String machine) {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(machine).append(".\n\n");
    md.append("Settings: `ATOMS_RATE_LIMIT_CONCURRENCY` C = ")
        .append(o.concurrency)
        .append(", `ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND` = ")
        .append(fmt(o.rps, 0))
        .append(" (not binding)")
        .append(", reconcile threads ")
        .append(o.threads == null ? "JOSDK default (50)" : o.threads)
        .append(", operator JVM `")
        .append(jvmOptions(o, results))
        .append("`, ")
        .append(o.namespaces)
        .append(" namespaces, one API key (the default Secret), workload seed ")
        .append(o.seed)
        .append(
            o.warmup > 0
                ? "; before each measurement the operator converged "
                    + o.warmup
                    + " other releases, which were then deleted (a warm JIT and heap)"
                : "; the operator is freshly started for each scenario")
        .append(".\n\n");

    md.append("### Targets\n\n| target | scenario | measured | met |\n|---|---|---|---|\n");
    for (BenchmarkResult r : results) {
      md.append("| API calls = ideal on first convergence | ")
          .append(label(r))
          .append(" | ")
          .append(r.listCalls + r.activateCalls)
          .append(" / ")
          .append(r.idealCalls)
          .append(" = ")
          .append(fmt(r.callsOverIdeal, 2))
          .append(" | ")
          .append(yes(r.callsOverIdeal == 1.0 && r.agentsOffIdeal == 0))
          .append(" |\n");
    }
    for (BenchmarkResult r : results) {
      md.append("| 1 list call per CR per resync, 0 activations | ")
          .append(label(r))
          .append(" | ")
          .append(fmt(r.steadyListsPerResync, 2))
          .append(" lists/resync (page-1 releases ")
          .append(fmt(r.steadyListsPerResyncPage1, 2))
          .append(", page-3 releases ")
          .append(fmt(r.steadyListsPerResyncPage3, 2))
          .append("), ")
          .append(r.steadyActivations)
          .append(" activations | ")
          .append(
              r.steadyActivations == 0 && r.steadyListsPerResyncPage1 == 1.0
                  ? (r.steadyListsPerResync == 1.0
                      ? "yes"
                      : "page-1 releases: yes; page-3 releases: no (one list per page, see below)")
                  : "**no**")
          .append(" |\n");
    }
    for (BenchmarkResult r : results) {
      if (r.steadyResyncs == 0) {
        continue;
      }
      // The steady period is shorter than atoms.status-heartbeat (1h): a resync that finds what
      // status says must write nothing (issue #16: no write when nothing changed).
      md.append("| 0 Kubernetes writes per resync that finds nothing changed | ")
          .append(label(r))
          .append(" | ")
          .append(r.steadyWrites)
          .append(" writes in ")
          .append(r.steadyResyncs)
          .append(" resyncs | ")
          .append(yes(r.steadyWrites == 0))
          .append(" |\n");
    }
    for (BenchmarkResult r : results) {
      if (r.n == 1000 && r.latencyMs > 0) {
        md.append("| total time <= 1.3x physical limit at 1,000 CRs | ")
            .append(label(r))
            .append(" | ")
            .append(fmt(r.totalSeconds, 2))
            .append(" s vs ")
            .append(fmt(r.physicalLimitSeconds, 2))
            .append(" s = ")
            .append(fmt(r.totalOverPhysicalLimit, 2))
            .append("x | ")
            .append(yes(r.totalOverPhysicalLimit <= 1.3))
            .append(" |\n");
      }
    }
    for (BenchmarkResult r : results) {
      if (r.n == 5000) {
        double peak = Math.max(r.peakRssMiB, Math.max(r.convergencePeakRssMiB, r.steadyPeakRssMiB));
        md.append("| RSS <= 256 MB at 5,000 CRs | ")
            .append(label(r))
            .append(" | peak ")
            .append(fmt(peak * 1.048576, 0))
            .append(" MB (")
            .append(fmt(peak, 0))
            .append(" MiB), steady ")
            .append(fmt(r.rssSteadyMiB * 1.048576, 0))
            .append(" MB | ")
            .append(yes(peak * 1.048576 <= 256))
            .append(" |\n");
      }
    }
    for (BenchmarkResult r : results) {
      if (r.n >= 10_000) {
        double peak = Math.max(r.peakRssMiB, Math.max(r.convergencePeakRssMiB, r.steadyPeakRssMiB));
        md.append("| RSS <= 400 MiB and live heap <= 256 MiB (inside the 512Mi limit) | ")
            .append(label(r))
            .append(" | peak RSS ")
            .append(fmt(peak, 0))
            .append(" MiB, steady ")
            .append(fmt(r.rssSteadyMiB, 0))
            .append(" MiB; live heap ")
            .append(fmt(r.heapAfterGcMiB, 1))
            .append(" MiB | ")
            .append(yes(peak <= 400 && r.heapAfterGcMiB <= 256))
            .append(" |\n");
        double coresAtDefault = steadyCoresAtDefaultResync(r);
        md.append("| steady-state CPU <= 0.2 core at the default 10-minute resync | ")
            .append(label(r))
            .append(" | ")
            .append(fmt(coresAtDefault, 3))
            .append(" core")
            .append(
                r.resyncSeconds == DEFAULT_RESYNC_SECONDS
                    ? " (measured at 600 s)"
                    : " ("
                        + fmt(r.steadyCpuMillisPerReleasePerResync, 2)
                        + " ms per CR resync x N / 600 s)")
            .append(" | ")
            .append(yes(coresAtDefault <= 0.2))
            .append(" |\n");
      }
    }
    md.append(linearity(results));

    md.append("\n### First convergence\n\n")
        .append(
            "| N | L | Ready | Atoms calls to Ready (list + activate) | ideal | ratio | total | physical limit | ratio | p50 per CR | p99 per CR | apply took | naive script | naive / operator time | naive calls |\n")
        .append("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BenchmarkResult r : results) {
      md.append("| ")
          .append(r.n)
          .append(" | ")
          .append(r.latencyMs)
          .append(" ms | ")
          .append(r.ready)
          .append(" | ")
          .append(r.listCalls)
          .append(" + ")
          .append(r.activateCalls)
          .append(" | ")
          .append(r.idealCalls)
          .append(" | ")
          .append(fmt(r.callsOverIdeal, 2))
          .append(" | ")
          .append(fmt(r.totalSeconds, 2))
          .append(" s | ")
          .append(r.latencyMs == 0 ? "0 (n/a)" : fmt(r.physicalLimitSeconds, 2) + " s")
          .append(" | ")
          .append(fmt(r.totalOverPhysicalLimit, 2))
          .append(" | ")
          .append(fmt(r.p50Millis, 0))
          .append(" ms | ")
          .append(fmt(r.p99Millis, 0))
          .append(" ms | ")
          .append(r.applyMillis)
          .append(" ms | ")
          .append(fmt(r.naiveSeconds, 1))
          .append(" s")
          .append(r.naiveMeasuredAgents < r.n ? "*" : "")
          .append(" | ")
          .append(fmt(r.naiveOverOperatorTime, 1))
          .append("x | ")
          .append(r.naiveCalls)
          .append(" |\n");
    }
    md.append("\n\\* measured on the first ")
        .append(o.naiveMax)
        .append(
            " agents and scaled linearly (the script is sequential: its time is calls x L plus client overhead).\n");

    md.append("\n### Steady state (")
        .append(o.periods)
        .append(" resync periods after convergence)\n\n")
        .append(
            "| N | L | resync interval | resyncs per CR per period | list calls per resync (all / page-1 / page-3 releases) | activations | K8s writes per resync | operator CPU per period | CPU per CR resync | measured gap / interval |\n")
        .append("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (BenchmarkResult r : results) {
      md.append("| ")
          .append(r.n)
          .append(" | ")
          .append(r.latencyMs)
          .append(" ms | ")
          .append(r.resyncSeconds)
          .append(" s | ")
          .append(fmt(r.steadyResyncsPerReleasePerPeriod, 2))
          .append(" | ")
          .append(fmt(r.steadyListsPerResync, 2))
          .append(" / ")
          .append(fmt(r.steadyListsPerResyncPage1, 2))
          .append(" / ")
          .append(fmt(r.steadyListsPerResyncPage3, 2))
          .append(" | ")
          .append(r.steadyActivations)
          .append(" | ")
          .append(fmt(r.steadyWritesPerResync, 2))
          .append(" | ")
          .append(fmt(r.steadyCpuMillisPerPeriod / 1000, 2))
          .append(" s | ")
          .append(fmt(r.steadyCpuMillisPerReleasePerResync, 2))
          .append(" ms | ")
          .append(fmt(r.steadyMeanGapOverInterval, 2))
          .append(" |\n");
    }

    md.append("\n### Kubernetes API writes by the operator during first convergence\n\n")
        .append(
            "| N | L | status patches | Events | other writes | writes per CR | max writes for one CR |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BenchmarkResult r : results) {
      md.append("| ")
          .append(r.n)
          .append(" | ")
          .append(r.latencyMs)
          .append(" ms | ")
          .append(r.statusWrites)
          .append(" | ")
          .append(r.eventWrites)
          .append(" | ")
          .append(r.otherWrites)
          .append(" | ")
          .append(fmt(r.writesPerRelease, 2))
          .append(" | ")
          .append(r.maxWritesPerRelease)
          .append(" |\n");
    }

    md.append("\n### Operator process: memory and CPU\n\n")
        .append(
            "| N | L | startup (wall / CPU) | idle RSS | CPU to converge (harness's CPU meanwhile) | per CR | live heap (after full GC) | heap committed | non-heap used | RSS at steady state | peak RSS | live threads | one /q/metrics scrape |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BenchmarkResult r : results) {
      double peak = Math.max(r.peakRssMiB, Math.max(r.convergencePeakRssMiB, r.steadyPeakRssMiB));
      boolean scraped = r.metricsScrapeBytes > 0;
      md.append("| ")
          .append(r.n)
          .append(" | ")
          .append(r.latencyMs)
          .append(" ms | ")
          .append(fmt(r.startupMillis / 1000.0, 1))
          .append(" s / ")
          .append(fmt(r.startupCpuMillis / 1000.0, 1))
          .append(" s | ")
          .append(fmt(r.idleRssMiB, 0))
          .append(" MiB | ")
          .append(fmt(r.convergenceCpuMillis / 1000.0, 1))
          .append(" s (")
          .append(fmt(r.harnessConvergenceCpuMillis / 1000.0, 1))
          .append(" s) | ")
          .append(fmt(r.convergenceCpuMillisPerRelease, 2))
          .append(" ms | ")
          .append(fmt(r.heapAfterGcMiB, 1))
          .append(" MiB | ")
          .append(scraped ? fmt(r.heapCommittedMiB, 0) + " MiB" : "n/a")
          .append(" | ")
          .append(scraped ? fmt(r.nonHeapUsedMiB, 0) + " MiB" : "n/a")
          .append(" | ")
          .append(fmt(r.rssSteadyMiB, 0))
          .append(" MiB | ")
          .append(fmt(peak, 0))
          .append(" MiB | ")
          .append(scraped ? fmt(r.liveThreads, 0) : "n/a")
          .append(" | ")
          .append(
              scraped
                  ? fmt(r.metricsScrapeBytes / 1024.0 / 1024.0, 1)
                      + " MiB, "
                      + String.format("%,d", r.metricsSeries)
                      + " series"
                      + (r.metricsScrapeMillis > 0
                          ? ", " + fmt(r.metricsScrapeMillis / 1000.0, 1) + " s"
                          : "")
                  : "**no answer** (finding 2)")
          .append(" |\n");
    }

    md.append("\n### Reconciles by outcome (whole run)\n\n| N | L | outcomes |\n|---:|---:|---|\n");
    for (BenchmarkResult r : results) {
      md.append("| ")
          .append(r.n)
          .append(" | ")
          .append(r.latencyMs)
          .append(" ms | ")
          .append(
              r.reconcilesByOutcome == null || r.reconcilesByOutcome.isEmpty()
                  ? "n/a (/q/metrics did not answer)"
                  : new TreeMap<>(r.reconcilesByOutcome))
          .append(" |\n");
    }
    md.append(
            "\nCorrectness in every scenario (all Ready on the declared version, calls exactly ideal per agent, no steady-state activation, API key in no log line): ")
        .append(
            results.stream().allMatch(BenchmarkResult::correct)
                ? "**yes**"
                : "**NO** (see the tables)")
        .append(".\n");
    return md.toString();
  }

  /** Per-CR costs by N at the same latency: linear growth means these stay flat. */
  private static String linearity(List<BenchmarkResult> results) {
    StringBuilder md = new StringBuilder();
    Map<Long, List<BenchmarkResult>> byLatency = new TreeMap<>();
    results.forEach(r -> byLatency.computeIfAbsent(r.latencyMs, k -> new ArrayList<>()).add(r));
    for (Map.Entry<Long, List<BenchmarkResult>> entry : byLatency.entrySet()) {
      List<BenchmarkResult> rs = entry.getValue();
      if (rs.size() < 2) {
        continue;
      }
      BenchmarkResult first = rs.get(0);
      BenchmarkResult last = rs.get(rs.size() - 1);
      double callsDrift =
          (last.listCalls + last.activateCalls)
              / (double) last.n
              / ((first.listCalls + first.activateCalls) / (double) first.n);
      double writesDrift = last.writesPerRelease / first.writesPerRelease;
      double cpuDrift =
          last.steadyCpuMillisPerReleasePerResync / first.steadyCpuMillisPerReleasePerResync;
      double heapPerThousand =
          (last.heapAfterGcMiB - first.heapAfterGcMiB) / (last.n - first.n) * 1000;
      boolean linear =
          Math.abs(callsDrift - 1) < 0.05 && Math.abs(writesDrift - 1) < 0.1 && cpuDrift < 1.5;
      md.append("| cost grows linearly with N | L=")
          .append(entry.getKey())
          .append(" ms, N=")
          .append(first.n)
          .append(" to ")
          .append(last.n)
          .append(" | per-CR calls x")
          .append(fmt(callsDrift, 2))
          .append(", writes x")
          .append(fmt(writesDrift, 2))
          .append(", steady CPU per resync x")
          .append(fmt(cpuDrift, 2))
          .append("; heap +")
          .append(fmt(heapPerThousand, 1))
          .append(" MiB per 1,000 CRs | ")
          .append(yes(linear))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * The operator JVM's options as the results recorded them (a re-render must not claim today's
   * options for an older run), paths relative to the checkout.
   */
  static String jvmOptions(Options o, List<BenchmarkResult> results) {
    String recorded =
        results.isEmpty() || results.get(0).jvmOptions == null
            ? String.join(" ", o.jvm)
            : results.get(0).jvmOptions;
    return recorded.replace(java.nio.file.Path.of("").toAbsolutePath() + "/", "");
  }

  /** The operator's default atoms.resync-interval. */
  static final long DEFAULT_RESYNC_SECONDS = 600;

  /**
   * Operator CPU (cores) in steady state at the default resync: measured directly when the run used
   * 600 s; otherwise the measured CPU per release resync times N, spread over 600 s (the idle cost
   * between resyncs is then counted once per shorter period, i.e. slightly over-counted).
   */
  static double steadyCoresAtDefaultResync(BenchmarkResult r) {
    if (r.resyncSeconds == DEFAULT_RESYNC_SECONDS) {
      return r.steadyCpuMillisPerPeriod / 1000.0 / DEFAULT_RESYNC_SECONDS;
    }
    return r.steadyCpuMillisPerReleasePerResync * r.n / 1000.0 / DEFAULT_RESYNC_SECONDS;
  }

  private static String label(BenchmarkResult r) {
    return "N=" + String.format("%,d", r.n) + ", L=" + r.latencyMs + " ms";
  }

  private static String yes(boolean met) {
    return met ? "yes" : "**no**";
  }
}
