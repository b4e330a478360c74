package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.RequestRecord;
import ai.smallest.atoms.simulator.SimVersion;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One benchmark scenario, end to end: seed the simulator, start the Kubernetes API and the packaged
 * operator, apply N AgentReleases, time them to Ready, count Atoms calls against the ideal and
 * Kubernetes writes, then watch a few resync periods of steady state, and finally time the naive
 * sequential script on the same workload.
 */
public final class BenchmarkRunner {

  static final String API_KEY =
      "bench-key-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  static final String USER = "user_operator";
  static final String SECRET_NAMESPACE = "atoms-system";
  static final String SECRET_NAME = "atoms-api-key";

  /** What to run. */
  public record Scenario(
      int n,
      Duration latency,
      int concurrency,
      double requestsPerSecond,
      Integer reconcileThreads,
      Duration resync,
      int resyncPeriods,
      int namespaces,
      long seed,
      int naiveMaxAgents,
      List<String> jvmOptions,
      Duration convergeTimeout,
      Path workDir,
      int warmup) {

    /**
     * Ideal convergence time for the configured concurrency and latency: required calls x L / C.
     */
    double physicalLimitSeconds(long idealCalls) {
      return idealCalls * latency.toNanos() / 1e9 / concurrency;
    }

    String label() {
      return "N=" + n + ", L=" + latency.toMillis() + "ms";
    }
  }

  private final Consumer<String> progress;

  public BenchmarkRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  public BenchmarkResult run(Scenario s) throws Exception {
    Workload workload = Workload.generate(s.n(), s.namespaces(), s.seed());
    BenchmarkResult r = new BenchmarkResult();
    r.n = s.n();
    r.latencyMs = s.latency().toMillis();
    r.concurrency = s.concurrency();
    r.requestsPerSecond = s.requestsPerSecond();
    r.reconcileThreads =
        s.reconcileThreads() == null ? "default (50)" : String.valueOf(s.reconcileThreads());
    r.resyncSeconds = s.resync().toSeconds();
    r.jvmOptions = String.join(" ", s.jvmOptions());
    r.idealCalls = workload.idealCalls();
    r.idealListCalls = workload.idealListCalls();
    r.idealActivations = workload.idealActivations();
    r.physicalLimitSeconds = s.physicalLimitSeconds(r.idealCalls);
    r.bigAgents =
        (int) workload.agents().stream().filter(a -> a.versions() == Workload.BIG_VERSIONS).count();

    Set<String> namespaces = new TreeSet<>();
    namespaces.add(SECRET_NAMESPACE);
    workload.agents().forEach(agent -> namespaces.add(agent.namespace()));
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
        BenchApiServer kube = BenchApiServer.start(namespaces)) {
      sim.addApiKey(API_KEY, USER);
      long seedStart = System.nanoTime();
      workload.seed(sim);
      progress.accept(
          s.label() + ": seeded " + s.n() + " agents in " + millisSince(seedStart) + " ms");
      sim.setLatency(s.latency());
      kube.client()
          .secrets()
          .inNamespace(SECRET_NAMESPACE)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(SECRET_NAME)
                  .withNamespace(SECRET_NAMESPACE)
                  .endMetadata()
                  .withData(
                      Map.of(
                          "apiKey",
                          Base64.getEncoder()
                              .encodeToString(API_KEY.getBytes(StandardCharsets.UTF_8))))
                  .build())
          .create();

      Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
      BenchApiServer.operatorEnvironment(env);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAME", SECRET_NAME);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE", SECRET_NAMESPACE);
      env.put("ATOMS_RESYNC_INTERVAL", s.resync().toMillis() + "ms");
      env.put("ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND", String.valueOf(s.requestsPerSecond()));
      env.put("ATOMS_RATE_LIMIT_CONCURRENCY", String.valueOf(s.concurrency()));
      if (s.reconcileThreads() != null) {
        env.put(
            "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS",
            String.valueOf(s.reconcileThreads()));
      }
      Path log = s.workDir().resolve("operator-n" + s.n() + "-l" + s.latency().toMillis() + ".log");
      long startCpuWall = System.nanoTime();
      try (OperatorProcess operator =
              OperatorProcess.start(OperatorProcess.JAR, s.jvmOptions(), env, log, null)
                  // Generous: on a shared machine a start with 50,000 releases to list can take
                  // minutes of wall time for seconds of CPU.
                  .awaitReady(Duration.ofSeconds(300));
          ReadyTracker tracker = new ReadyTracker(kube.client())) {
        r.startupMillis = millisSince(startCpuWall);
        OperatorProbe probe = new OperatorProbe(operator);
        r.startupCpuMillis = probe.cpuMillis();
        r.idleRssMiB = probe.rssKiB() / 1024.0;
        r.warmup = s.warmup();
        if (s.warmup() > 0) {
          warmUp(s, sim, kube, tracker);
        }
        sim.resetCounters();
        sim.clearLogs();
        sim.recordRequests(true);
        kube.resetCounters();

        converge(s, workload, sim, kube, probe, tracker, r);
        steadyState(s, workload, sim, kube, probe, r);

        r.rssSteadyMiB = probe.rssKiB() / 1024.0;
        r.peakRssMiB = probe.peakRssKiB() / 1024.0;
        r.heapAfterGcMiB = probe.liveHeapBytes() / 1024.0 / 1024.0;
        long[] scrape = probe.metricsScrapeSize();
        r.metricsScrapeBytes = scrape[0];
        r.metricsSeries = scrape[1];
        r.metricsScrapeMillis = scrape[2];
        Map<String, Double> metrics = probe.metrics();
        r.heapCommittedMiB =
            OperatorProbe.sum(
                    metrics, "jvm_memory_committed_bytes", l -> l.contains("area=\"heap\""))
                / 1024
                / 1024;
        r.nonHeapUsedMiB =
            OperatorProbe.sum(metrics, "jvm_memory_used_bytes", l -> l.contains("area=\"nonheap\""))
                / 1024
                / 1024;
        r.liveThreads = OperatorProbe.sum(metrics, "jvm_threads_live_threads", l -> true);
        r.reconcilesByOutcome = new LinkedHashMap<>();
        metrics.forEach(
            (k, v) -> {
              if (k.startsWith("atoms_operator_reconciles_total{")) {
                r.reconcilesByOutcome.put(
                    k.replaceAll(".*outcome=\"([^\"]*)\".*", "$1"), v.longValue());
              }
            });
        r.operatorApiRequestsMetric =
            (long) OperatorProbe.sum(metrics, "atoms_api_requests_total", l -> true);
        operator.stop();
        r.apiKeyInLog = Files.readString(log).contains(API_KEY);
      }
    }
    naive(s, workload, r);
    r.evaluate();
    return r;
  }

  /**
   * Lets the operator's JIT and heap warm up on a separate set of releases, then deletes them: the
   * measured burst then meets an operator that has been running, not one that just started.
   */
  private void warmUp(Scenario s, AtomsSimulator sim, BenchApiServer kube, ReadyTracker tracker)
      throws InterruptedException {
    Workload warm = Workload.generate(s.warmup(), s.namespaces(), s.seed() + 1, "warm-");
    warm.seed(sim);
    for (Workload.Agent agent : warm.agents()) {
      kube.client().resource(Workload.release(agent)).create();
    }
    long deadline = System.nanoTime() + s.convergeTimeout().toNanos();
    while (tracker.readyCount() < s.warmup() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    for (Workload.Agent agent : warm.agents()) {
      kube.client().resource(Workload.release(agent)).delete();
    }
    while (tracker.readyCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(2000);
    progress.accept(s.label() + ": warmed up on " + s.warmup() + " releases (deleted again)");
  }

  private void converge(
      Scenario s,
      Workload workload,
      AtomsSimulator sim,
      BenchApiServer kube,
      OperatorProbe probe,
      ReadyTracker tracker,
      BenchmarkResult r)
      throws InterruptedException {
    long cpuBefore = probe.cpuMillis();
    long harnessCpuBefore = harnessCpuMillis();
    Map<String, Long> createdAt = new ConcurrentHashMap<>();
    ExecutorService appliers = Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    for (Workload.Agent agent : workload.agents()) {
      appliers.submit(
          () -> {
            kube.client().resource(Workload.release(agent)).create();
            createdAt.put(agent.namespace() + "/" + agent.releaseName(), System.nanoTime());
          });
    }
    appliers.shutdown();
    long peakRss = 0;
    long deadline = t0 + s.convergeTimeout().toNanos();
    while (tracker.readyCount() < s.n() && System.nanoTime() < deadline) {
      peakRss = Math.max(peakRss, probe.rssKiB());
      Thread.sleep(200);
    }
    appliers.awaitTermination(1, TimeUnit.MINUTES);
    r.applyMillis = createdAt.values().stream().mapToLong(t -> t).max().orElse(t0) - t0;
    r.applyMillis /= 1_000_000;
    r.convergenceCpuMillis = probe.cpuMillis() - cpuBefore;
    r.harnessConvergenceCpuMillis = harnessCpuMillis() - harnessCpuBefore;
    r.ready = tracker.readyCount();
    List<Double> latencies = new ArrayList<>();
    long lastReady = t0;
    for (Workload.Agent agent : workload.agents()) {
      Long ready = tracker.readyAt(agent.namespace(), agent.releaseName());
      Long created = createdAt.get(agent.namespace() + "/" + agent.releaseName());
      if (ready != null && created != null) {
        latencies.add(Math.max(0, ready - created) / 1e6);
        lastReady = Math.max(lastReady, ready);
      }
    }
    r.totalSeconds = (lastReady - t0) / 1e9;
    r.p50Millis = Stats.percentile(latencies, 50);
    r.p99Millis = Stats.percentile(latencies, 99);
    r.maxMillis = Stats.max(latencies);
    r.convergencePeakRssMiB = peakRss / 1024.0;
    progress.accept(
        s.label()
            + ": "
            + r.ready
            + "/"
            + s.n()
            + " Ready in "
            + Stats.fmt(r.totalSeconds, 2)
            + " s (apply took "
            + r.applyMillis
            + " ms)");

    // Atoms calls against the ideal, overall and per agent. A call counts towards convergence when
    // it reached the simulator before its release was seen Ready: when convergence takes longer
    // than a resync interval, early releases resync meanwhile, and that is steady-state work.
    Map<String, Long> readyAtByAgent = new HashMap<>();
    for (Workload.Agent agent : workload.agents()) {
      Long ready = tracker.readyAt(agent.namespace(), agent.releaseName());
      readyAtByAgent.put(agent.agentId(), ready == null ? Long.MAX_VALUE : ready);
    }
    Map<String, Integer> callsBeforeReady = new HashMap<>();
    long lists = 0;
    long activations = 0;
    for (RequestRecord request : sim.requestLog()) {
      if (request.nanoTime() <= readyAtByAgent.getOrDefault(request.agentId(), Long.MAX_VALUE)) {
        callsBeforeReady.merge(request.agentId(), 1, Integer::sum);
        if (request.endpoint() == Endpoint.LIST_VERSIONS) {
          lists++;
        } else {
          activations++;
        }
      }
    }
    r.listCalls = lists;
    r.activateCalls = activations;
    r.callsInConvergenceWindow =
        sim.calls(Endpoint.LIST_VERSIONS) + sim.calls(Endpoint.ACTIVATE_VERSION);
    r.maxInFlight = sim.maxInFlight();
    int wrongVersion = 0;
    int extraCallAgents = 0;
    for (Workload.Agent agent : workload.agents()) {
      if (callsBeforeReady.getOrDefault(agent.agentId(), 0) != agent.idealCalls()) {
        extraCallAgents++;
      }
      Integer live = sim.activeVersion(agent.agentId()).map(SimVersion::versionNumber).orElse(null);
      if (live == null || live != agent.desired()) {
        wrongVersion++;
      }
    }
    r.agentsOffIdeal = extraCallAgents;
    r.agentsOnWrongVersion = wrongVersion;

    // Kubernetes writes by the operator during convergence.
    r.statusWrites = kube.writes(BenchApiServer.WriteKind.STATUS);
    r.eventWrites = kube.writes(BenchApiServer.WriteKind.EVENT);
    r.otherWrites =
        kube.writes(BenchApiServer.WriteKind.RELEASE)
            + kube.writes(BenchApiServer.WriteKind.OTHER)
            + kube.writes(BenchApiServer.WriteKind.LEASE);
    r.maxWritesPerRelease =
        (int) kube.writesPerRelease().values().stream().mapToLong(i -> i).max().orElse(0);
  }

  private void steadyState(
      Scenario s,
      Workload workload,
      AtomsSimulator sim,
      BenchApiServer kube,
      OperatorProbe probe,
      BenchmarkResult r)
      throws InterruptedException {
    // Let the convergence burst settle (the last status patches), then count from a clean slate.
    Thread.sleep(1000);
    sim.resetCounters();
    sim.clearLogs();
    kube.resetCounters();
    long cpuBefore = probe.cpuMillis();
    long started = System.nanoTime();
    long windowNanos = s.resync().toNanos() * s.resyncPeriods();
    long peakRss = 0;
    while (System.nanoTime() - started < windowNanos) {
      peakRss = Math.max(peakRss, probe.rssKiB());
      Thread.sleep(500);
    }
    double periods = (System.nanoTime() - started) / (double) s.resync().toNanos();
    r.steadyWindowSeconds = (System.nanoTime() - started) / 1e9;
    r.steadyCpuMillis = probe.cpuMillis() - cpuBefore;
    r.steadyPeakRssMiB = peakRss / 1024.0;
    List<RequestRecord> requests = sim.requestLog();
    // A resync is a burst of list calls for one agent: its pages follow each other within
    // milliseconds, while resyncs of the same agent are at least 0.9 intervals apart (jitter).
    // Counting bursts, not skip=0 calls, stays right when the operator starts at a remembered page.
    Map<String, List<Long>> listTimes = new HashMap<>();
    for (RequestRecord request : requests) {
      if (request.endpoint() == Endpoint.LIST_VERSIONS) {
        listTimes
            .computeIfAbsent(request.agentId(), k -> new ArrayList<>())
            .add(request.nanoTime());
      }
    }
    long burstGap = s.resync().toNanos() / 2;
    Map<String, Integer> firstPages = new HashMap<>();
    Map<String, Integer> lists = new HashMap<>();
    Map<String, List<Long>> firstPageTimes = new HashMap<>();
    listTimes.forEach(
        (agentId, times) -> {
          times.sort(null);
          lists.put(agentId, times.size());
          List<Long> starts = new ArrayList<>();
          for (long t : times) {
            if (starts.isEmpty() || t - starts.get(starts.size() - 1) > burstGap) {
              starts.add(t);
            }
          }
          firstPages.put(agentId, starts.size());
          firstPageTimes.put(agentId, starts);
        });
    long resyncs = firstPages.values().stream().mapToLong(i -> i).sum();
    long listTotal = lists.values().stream().mapToLong(i -> i).sum();
    r.steadyResyncs = resyncs;
    r.steadyListCalls = listTotal;
    r.steadyActivations = sim.calls(Endpoint.ACTIVATE_VERSION);
    r.steadyListsPerResync = resyncs == 0 ? Double.NaN : listTotal / (double) resyncs;
    long smallResyncs = 0;
    long smallLists = 0;
    long bigResyncs = 0;
    long bigLists = 0;
    for (Workload.Agent agent : workload.agents()) {
      int first = firstPages.getOrDefault(agent.agentId(), 0);
      int all = lists.getOrDefault(agent.agentId(), 0);
      if (agent.versions() == Workload.BIG_VERSIONS) {
        bigResyncs += first;
        bigLists += all;
      } else {
        smallResyncs += first;
        smallLists += all;
      }
    }
    r.steadyListsPerResyncPage1 =
        smallResyncs == 0 ? Double.NaN : smallLists / (double) smallResyncs;
    r.steadyListsPerResyncPage3 = bigResyncs == 0 ? Double.NaN : bigLists / (double) bigResyncs;
    r.steadyResyncsPerReleasePerPeriod = resyncs / (double) s.n() / periods;
    r.steadyListCallsPerReleasePerPeriod = listTotal / (double) s.n() / periods;
    List<Double> gaps = new ArrayList<>();
    for (List<Long> times : firstPageTimes.values()) {
      for (int i = 1; i < times.size(); i++) {
        gaps.add((times.get(i) - times.get(i - 1)) / (double) s.resync().toNanos());
      }
    }
    r.steadyMeanGapOverInterval = Stats.mean(gaps);
    r.steadyWrites = kube.totalWrites();
    r.steadyStatusWrites = kube.writes(BenchApiServer.WriteKind.STATUS);
    r.steadyEventWrites = kube.writes(BenchApiServer.WriteKind.EVENT);
    r.steadyCpuMillisPerPeriod = r.steadyCpuMillis / periods;
    progress.accept(
        s.label()
            + ": steady state over "
            + Stats.fmt(periods, 1)
            + " resync periods: "
            + listTotal
            + " list calls, "
            + resyncs
            + " resyncs, "
            + r.steadyActivations
            + " activations");
  }

  private void naive(Scenario s, Workload workload, BenchmarkResult r) {
    int count = Math.min(s.n(), s.naiveMaxAgents());
    List<Workload.Agent> subset = workload.agents().subList(0, count);
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC())) {
      sim.addApiKey(API_KEY, USER);
      for (Workload.Agent agent : subset) {
        sim.agent(agent.agentId())
            .publishedVersions(agent.versions())
            .activeVersion(agent.activeBefore());
      }
      sim.setLatency(s.latency());
      NaiveScript.Result result = new NaiveScript(sim.baseUrl(), API_KEY).run(subset);
      double scale = s.n() / (double) count;
      r.naiveMeasuredAgents = count;
      r.naiveCalls = Math.round(result.calls() * scale);
      r.naiveActivations = Math.round(result.activateCalls() * scale);
      r.naiveSeconds = result.wallMillis() / 1000.0 * scale;
      progress.accept(
          s.label()
              + ": naive script on "
              + count
              + " agents: "
              + result.calls()
              + " calls in "
              + result.wallMillis()
              + " ms"
              + (count < s.n() ? " (scaled x" + Stats.fmt(scale, 1) + ")" : ""));
    }
  }

  /** CPU time of this JVM (simulator, Kubernetes API, informer, appliers). */
  private static long harnessCpuMillis() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1_000_000
        : -1;
  }

  private static long millisSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }

  /** Exposed for smoke tests: the releases as applied. */
  static List<AgentRelease> releases(Workload workload) {
    return workload.agents().stream().map(Workload::release).toList();
  }
}
