package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.SimActivation;
import ai.smallest.atoms.simulator.SimVersion;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Two shards side by side on one Kubernetes API and one Atoms API (issue #16): the default instance
 * takes the unlabelled releases (selector {@code atoms.smallest.ai/shard notin (b)}, Lease {@code
 * atoms-operator-leader}), shard b the releases labelled {@code atoms.smallest.ai/shard=b} (Lease
 * {@code atoms-operator-leader-b}). Each shard's releases use an Atoms account (API key) of their
 * own.
 *
 * <p>Workload: {@code perShard} agents per shard, each with one release that wants version 2 while
 * version 1 is live (ideal: one list, one activate), plus {@code conflicts} agents claimed from
 * both shards: an owner release in the default shard (wants version 2), created and converged
 * first, then a rival in shard b (wants version 3), which must lose to the older owner without
 * calling Atoms. Optionally the owner of one conflict agent is then deleted, and the rival must
 * take over at once (the conflict re-check interval is set far beyond the test, so only the
 * cross-shard watch can wake it).
 *
 * <p>Each shard's calls are read from its own /q/metrics; the simulator's per-agent counts give the
 * total. With the baseline on, the same first convergence is timed first on one replica that serves
 * every release (same two accounts, so the same per-account limits apply).
 */
public final class ShardedRunner {

  static final String SHARD_LABEL = "atoms.smallest.ai/shard";
  static final String SHARD = "b";
  static final String DEFAULT_SELECTOR = SHARD_LABEL + " notin (" + SHARD + ")";
  static final String SHARD_SELECTOR = SHARD_LABEL + "=" + SHARD;
  static final String LEASE = "atoms-operator-leader";
  static final String LEASE_NAMESPACE = "default";
  static final String KEY_DEFAULT =
      "shard-default-key-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  static final String KEY_B =
      "shard-b-key-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  static final String SECRET_DEFAULT = "atoms-key-default";
  static final String SECRET_B = "atoms-key-b";

  /** What to run. */
  public record Scenario(
      int perShard,
      int conflicts,
      Duration latency,
      int concurrency,
      int namespaces,
      List<String> jvmOptions,
      Duration convergeTimeout,
      Path workDir,
      boolean baseline,
      boolean takeover) {

    int total() {
      return 2 * perShard + conflicts;
    }

    /** Calls x L / C of the busier account: the fastest any operator could converge. */
    double physicalLimitSeconds() {
      long busier = 2L * (perShard + conflicts);
      return busier * latency.toNanos() / 1e9 / concurrency;
    }
  }

  private final Consumer<String> progress;

  public ShardedRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  public ShardedResult run(Scenario s) throws Exception {
    ShardedResult r = new ShardedResult();
    r.perShard = s.perShard();
    r.conflicts = s.conflicts();
    r.latencyMs = s.latency().toMillis();
    r.concurrency = s.concurrency();
    r.physicalLimitSeconds = s.physicalLimitSeconds();
    r.jvmOptions = String.join(" ", s.jvmOptions());
    Files.createDirectories(s.workDir());
    if (s.baseline()) {
      r.singleReplicaSeconds = singleReplica(s, r);
      progress.accept(
          "one replica: " + s.total() + " releases Ready in " + fmt(r.singleReplicaSeconds) + " s");
    }
    sharded(s, r);
    return r;
  }

  private double singleReplica(Scenario s, ShardedResult r) throws Exception {
    try (AtomsSimulator sim = simulator(s);
        BenchApiServer kube = kube(s)) {
      Map<String, String> env = environment(s, kube, sim, "operator-single");
      try (OperatorProcess operator =
              OperatorProcess.start(
                      OperatorProcess.JAR,
                      s.jvmOptions(),
                      env,
                      s.workDir().resolve("operator-single.log"),
                      null)
                  .awaitReady(Duration.ofSeconds(120));
          ReadyTracker tracker = new ReadyTracker(kube.client())) {
        OperatorProbe probe = new OperatorProbe(operator);
        long cpu = probe.cpuMillis();
        long t0 = System.nanoTime();
        apply(kube, firstWave(s));
        awaitOrFail(() -> tracker.readyCount() >= s.total(), s.convergeTimeout(), "one replica");
        r.cpuSecondsSingle = (probe.cpuMillis() - cpu) / 1000.0;
        return lastReadySeconds(tracker, t0);
      }
    }
  }

  private void sharded(Scenario s, ShardedResult r) throws Exception {
    try (AtomsSimulator sim = simulator(s);
        BenchApiServer kube = kube(s)) {
      Map<String, String> defaultEnv = environment(s, kube, sim, "operator-default");
      defaultEnv.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR", DEFAULT_SELECTOR);
      Map<String, String> shardEnv = environment(s, kube, sim, "operator-shard-b");
      shardEnv.put("ATOMS_SHARD", SHARD);
      shardEnv.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR", SHARD_SELECTOR);
      Path defaultLog = s.workDir().resolve("operator-default.log");
      Path shardLog = s.workDir().resolve("operator-shard-b.log");
      try (OperatorProcess defaultShard =
              OperatorProcess.start(
                  OperatorProcess.JAR, s.jvmOptions(), defaultEnv, defaultLog, null);
          OperatorProcess shardB =
              OperatorProcess.start(OperatorProcess.JAR, s.jvmOptions(), shardEnv, shardLog, null);
          ReadyTracker tracker = new ReadyTracker(kube.client())) {
        defaultShard.awaitReady(Duration.ofSeconds(120));
        shardB.awaitReady(Duration.ofSeconds(120));
        OperatorProbe defaultProbe = new OperatorProbe(defaultShard);
        OperatorProbe shardProbe = new OperatorProbe(shardB);

        // 1. Every shard's own releases and the owners of the contested agents, at once.
        long cpuDefault = defaultProbe.cpuMillis();
        long cpuShard = shardProbe.cpuMillis();
        long t0 = System.nanoTime();
        apply(kube, firstWave(s));
        awaitOrFail(() -> tracker.readyCount() >= s.total(), s.convergeTimeout(), "two shards");
        r.shardedSeconds = lastReadySeconds(tracker, t0);
        r.cpuSecondsDefault = (defaultProbe.cpuMillis() - cpuDefault) / 1000.0;
        r.cpuSecondsShard = (shardProbe.cpuMillis() - cpuShard) / 1000.0;
        progress.accept(
            "two shards: " + s.total() + " releases Ready in " + fmt(r.shardedSeconds) + " s");

        // 2. Rivals in shard b for the contested agents: they must lose, without an Atoms call.
        apply(kube, rivals(s));
        awaitOrFail(
            () -> rivalsInConflict(s, tracker) == s.conflicts(),
            s.convergeTimeout(),
            "rivals in Conflict");
        r.rivalsInConflict = rivalsInConflict(s, tracker);
        progress.accept(r.rivalsInConflict + " rivals in Conflict");
        r.rivalConflictMessage =
            tracker.releases().stream()
                .filter(x -> x.getMetadata().getName().equals(rivalName(0)))
                .findFirst()
                .flatMap(ReadyTracker::ready)
                .map(Condition::getMessage)
                .orElse("");
        // Quiet for a moment more: any late call from a rival would show in the counts below.
        Thread.sleep(2000);
        count(s, sim, r);
        r.callsDefault = apiCalls(defaultProbe);
        r.callsShard = apiCalls(shardProbe);
        r.releasesSeenDefault =
            OperatorProbe.sum(defaultProbe.metrics(), "atoms_operator_agentreleases", l -> true);
        r.releasesSeenShard =
            OperatorProbe.sum(shardProbe.metrics(), "atoms_operator_agentreleases", l -> true);
        for (Lease lease : kube.client().leases().inNamespace(LEASE_NAMESPACE).list().getItems()) {
          r.leaseHolders.put(lease.getMetadata().getName(), lease.getSpec().getHolderIdentity());
        }

        // 3. The owner of the first contested agent goes: its rival in shard b takes over.
        if (s.takeover() && s.conflicts() > 0) {
          String agent = conflictAgent(0);
          int listsBefore = sim.calls(Endpoint.LIST_VERSIONS, agent);
          int activationsBefore = sim.calls(Endpoint.ACTIVATE_VERSION, agent);
          long t1 = System.nanoTime();
          kube.client()
              .resources(AgentRelease.class)
              .inNamespace(namespace(s, 0))
              .withName(ownerName(0))
              .delete();
          awaitOrFail(
              () -> tracker.readyAt(namespace(s, 0), rivalName(0)) != null,
              Duration.ofSeconds(60),
              "rival takes over");
          r.takeoverSeconds = (tracker.readyAt(namespace(s, 0), rivalName(0)) - t1) / 1e9;
          Thread.sleep(1000);
          r.takeoverCalls =
              sim.calls(Endpoint.LIST_VERSIONS, agent)
                  - listsBefore
                  + sim.calls(Endpoint.ACTIVATE_VERSION, agent)
                  - activationsBefore;
          r.takeoverLiveVersion =
              sim.activeVersion(agent).map(SimVersion::versionNumber).orElse(-1);
          progress.accept("owner deleted: rival Ready after " + fmt(r.takeoverSeconds) + " s");
        }
        // SIGTERM, as a rolling update sends it: with leader election on, each must end on its own.
        r.stoppedWithinGrace = defaultShard.stop() & shardB.stop();
        r.apiKeyInLog =
            Files.readString(defaultLog).contains(KEY_DEFAULT)
                || Files.readString(defaultLog).contains(KEY_B)
                || Files.readString(shardLog).contains(KEY_DEFAULT)
                || Files.readString(shardLog).contains(KEY_B);
      }
    }
  }

  /** Simulator counts after the rivals settled: per agent, against the ideal. */
  private void count(Scenario s, AtomsSimulator sim, ShardedResult r) {
    for (String shard : List.of("default", SHARD)) {
      for (int i = 0; i < s.perShard(); i++) {
        String agent = shardAgent(shard, i);
        if (sim.calls(Endpoint.LIST_VERSIONS, agent) != 1
            || sim.calls(Endpoint.ACTIVATE_VERSION, agent) != 1) {
          r.agentsOffIdeal++;
        }
        if (sim.activeVersion(agent).map(SimVersion::versionNumber).orElse(-1) != 2) {
          r.agentsOnWrongVersion++;
        }
      }
    }
    Map<String, Integer> activationsByAgent = new HashMap<>();
    for (SimActivation activation : sim.activationLog()) {
      activationsByAgent.merge(activation.agentId(), 1, Integer::sum);
    }
    for (int j = 0; j < s.conflicts(); j++) {
      String agent = conflictAgent(j);
      if (sim.calls(Endpoint.LIST_VERSIONS, agent) != 1
          || sim.calls(Endpoint.ACTIVATE_VERSION, agent) != 1) {
        r.agentsOffIdeal++;
      }
      if (activationsByAgent.getOrDefault(agent, 0) != 1) {
        r.contestedAgentsActivatedMoreThanOnce++;
      }
      if (sim.activeVersion(agent).map(SimVersion::versionNumber).orElse(-1) != 2) {
        r.contestedAgentsNotOnOwnersVersion++;
      }
    }
    r.simulatorCalls = sim.calls(Endpoint.LIST_VERSIONS) + sim.calls(Endpoint.ACTIVATE_VERSION);
    r.idealCalls = 2L * (2L * s.perShard() + s.conflicts());
  }

  private static Map<String, Long> apiCalls(OperatorProbe probe) {
    Map<String, Double> metrics = probe.metrics();
    Map<String, Long> calls = new LinkedHashMap<>();
    Map<String, String> endpoints = Map.of("list", "list_versions", "activate", "activate_version");
    for (String endpoint : List.of("list", "activate")) {
      String label = "endpoint=\"" + endpoints.get(endpoint) + "\"";
      calls.put(
          endpoint,
          (long) OperatorProbe.sum(metrics, "atoms_api_requests_total", l -> l.contains(label)));
    }
    return calls;
  }

  private static int rivalsInConflict(Scenario s, ReadyTracker tracker) {
    Set<String> rivals = new TreeSet<>();
    for (int j = 0; j < s.conflicts(); j++) {
      rivals.add(namespace(s, j) + "/" + rivalName(j));
    }
    return (int)
        tracker.releases().stream()
            .filter(x -> rivals.contains(ReadyTracker.key(x)))
            .filter(
                x ->
                    ReadyTracker.ready(x)
                        .map(c -> "False".equals(c.getStatus()) && "Conflict".equals(c.getReason()))
                        .orElse(false))
            .count();
  }

  // ---- workload --------------------------------------------------------------------------------

  static String shardAgent(String shard, int i) {
    return String.format("%s-agent-%05d", shard, i);
  }

  static String conflictAgent(int j) {
    return String.format("contested-agent-%05d", j);
  }

  /** Owner and rival sort owner first: the older wins, and in a same-second tie, the name. */
  static String ownerName(int j) {
    return String.format("contested-%05d-a-owner", j);
  }

  static String rivalName(int j) {
    return String.format("contested-%05d-b-rival", j);
  }

  static String namespace(Scenario s, int i) {
    return "shard-ns-" + (i % s.namespaces());
  }

  private static AtomsSimulator simulator(Scenario s) {
    AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
    sim.addApiKey(KEY_DEFAULT, "user_default");
    sim.addApiKey(KEY_B, "user_b");
    for (String shard : List.of("default", SHARD)) {
      for (int i = 0; i < s.perShard(); i++) {
        sim.agent(shardAgent(shard, i)).publishedVersions(2).activeVersion(1);
      }
    }
    for (int j = 0; j < s.conflicts(); j++) {
      sim.agent(conflictAgent(j)).publishedVersions(3).activeVersion(1);
    }
    sim.setLatency(s.latency());
    return sim;
  }

  private static BenchApiServer kube(Scenario s) {
    Set<String> namespaces = new TreeSet<>();
    for (int i = 0; i < s.namespaces(); i++) {
      namespaces.add(namespace(s, i));
    }
    BenchApiServer kube = BenchApiServer.start(namespaces);
    for (String ns : namespaces) {
      secret(kube, ns, SECRET_DEFAULT, KEY_DEFAULT);
      secret(kube, ns, SECRET_B, KEY_B);
    }
    return kube;
  }

  private static void secret(BenchApiServer kube, String namespace, String name, String key) {
    kube.client()
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(
                    Map.of(
                        "apiKey",
                        Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
  }

  private static Map<String, String> environment(
      Scenario s, BenchApiServer kube, AtomsSimulator sim, String podName) {
    Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
    BenchApiServer.operatorEnvironment(env);
    env.put("POD_NAME", podName);
    env.put("ATOMS_LEADER_ELECTION_ENABLED", "true");
    env.put("ATOMS_LEADER_ELECTION_LEASE_NAMESPACE", LEASE_NAMESPACE);
    env.put("ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND", "10000");
    env.put("ATOMS_RATE_LIMIT_CONCURRENCY", String.valueOf(s.concurrency()));
    // Far beyond the run: a loser can only be woken by the cross-shard watch.
    env.put("ATOMS_CONFLICT_RECHECK_INTERVAL", "1h");
    env.put("ATOMS_RESYNC_INTERVAL", "1h");
    return env;
  }

  /** The releases of both shards and the owners of the contested agents. */
  static List<AgentRelease> firstWave(Scenario s) {
    List<AgentRelease> releases = new ArrayList<>();
    for (int i = 0; i < s.perShard(); i++) {
      releases.add(
          release(
              namespace(s, i), "default-" + i, shardAgent("default", i), 2, SECRET_DEFAULT, null));
      releases.add(release(namespace(s, i), "b-" + i, shardAgent(SHARD, i), 2, SECRET_B, SHARD));
    }
    for (int j = 0; j < s.conflicts(); j++) {
      releases.add(
          release(namespace(s, j), ownerName(j), conflictAgent(j), 2, SECRET_DEFAULT, null));
    }
    return releases;
  }

  static List<AgentRelease> rivals(Scenario s) {
    List<AgentRelease> releases = new ArrayList<>();
    for (int j = 0; j < s.conflicts(); j++) {
      releases.add(release(namespace(s, j), rivalName(j), conflictAgent(j), 3, SECRET_B, SHARD));
    }
    return releases;
  }

  private static AgentRelease release(
      String namespace, String name, String agent, int version, String secret, String shard) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agent);
    spec.setVersionNumber(version);
    spec.setApiKeySecretRef(new SecretKeyReference(secret, "apiKey"));
    AgentRelease release = new AgentRelease();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withNamespace(namespace).withName(name);
    if (shard != null) {
      meta.withLabels(Map.of(SHARD_LABEL, shard));
    }
    release.setMetadata(meta.build());
    release.setSpec(spec);
    return release;
  }

  private static void apply(BenchApiServer kube, List<AgentRelease> releases)
      throws InterruptedException {
    ExecutorService appliers = Executors.newFixedThreadPool(4);
    for (AgentRelease release : releases) {
      appliers.submit(() -> kube.client().resource(release).create());
    }
    appliers.shutdown();
    if (!appliers.awaitTermination(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("applying releases took more than 10 minutes");
    }
  }

  private static void awaitOrFail(BooleanSupplier done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not done within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static double lastReadySeconds(ReadyTracker tracker, long t0) {
    long last = t0;
    for (AgentRelease release : tracker.releases()) {
      Long at =
          tracker.readyAt(release.getMetadata().getNamespace(), release.getMetadata().getName());
      if (at != null) {
        last = Math.max(last, at);
      }
    }
    return (last - t0) / 1e9;
  }

  private static String fmt(double seconds) {
    return Stats.fmt(seconds, 2);
  }
}
