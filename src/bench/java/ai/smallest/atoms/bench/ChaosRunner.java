package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.FaultKind;
import ai.smallest.atoms.simulator.FaultMix;
import ai.smallest.atoms.simulator.RequestRecord;
import ai.smallest.atoms.simulator.SimActivation;
import ai.smallest.atoms.simulator.SimVersion;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The chaos suite: the packaged operator manages good releases and a catalogue of bad ones while
 * the Atoms simulator injects a seeded random fault mix, the Kubernetes API answers a share of
 * status writes with 409, people activate other versions in the console (drift) and edit specs, and
 * the operator is killed with kill -9 mid-reconcile and started again. Afterwards it checks the
 * invariants and reports what happened.
 */
public final class ChaosRunner {

  static final String OPERATOR_USER = "user_operator";
  static final String CONSOLE_USER = "user_console_chaos";
  static final String DEFAULT_SECRET_NAMESPACE = "atoms-system";
  static final String SECRET_NAME = "atoms-api-key";
  static final String TEAM_SECRET = "team-atoms-key";
  static final ResourceDefinitionContext AGENT_RELEASES =
      new ResourceDefinitionContext.Builder()
          .withGroup("atoms.smallest.ai")
          .withVersion("v1alpha1")
          .withPlural("agentreleases")
          .withKind("AgentRelease")
          .withNamespaced(true)
          .build();

  /** What to run. */
  public record Config(
      int goodReleases,
      int namespaces,
      Duration chaosDuration,
      Duration convergeTimeout,
      int restarts,
      int drifts,
      int specEdits,
      double conflictRate,
      FaultMix faults,
      Duration latency,
      Duration resync,
      Duration readTimeout,
      long seed,
      Path workDir) {

    /**
     * The issue's mix: 10% 500/503, 5% 429 with Retry-After, 2% timeouts and resets, 5% latency
     * spikes.
     */
    public static FaultMix issueMix(long seed, Duration readTimeout) {
      return FaultMix.seeded(seed)
          .probability(FaultKind.HTTP_500, 0.05)
          .probability(FaultKind.HTTP_503, 0.05)
          .probability(FaultKind.HTTP_429, 0.05)
          .retryAfterSeconds(1)
          .probability(FaultKind.TIMEOUT, 0.01)
          .timeoutDelay(readTimeout.plusSeconds(1))
          .probability(FaultKind.CONNECTION_RESET, 0.01)
          .probability(FaultKind.LATENCY_SPIKE, 0.05)
          .spikeDelay(Duration.ofMillis(400));
    }
  }

  /** One good release and every version it was ever asked to serve. */
  static final class Good {
    final String namespace;
    final String name;
    final String agentId;
    final boolean byId;
    final int versions;
    final Set<String> everDesiredIds = ConcurrentHashMap.newKeySet();
    volatile int desired;

    Good(String namespace, String name, String agentId, boolean byId, int versions, int desired) {
      this.namespace = namespace;
      this.name = name;
      this.agentId = agentId;
      this.byId = byId;
      this.versions = versions;
      this.desired = desired;
    }
  }

  private final Consumer<String> progress;

  public ChaosRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  public ChaosResult run(Config c) throws Exception {
    String apiKey = "atoms-chaos-key-" + Long.toHexString(new Random().nextLong());
    Random random = new Random(c.seed());
    ChaosResult result = new ChaosResult();
    result.config = c.toString().replaceAll("workDir=[^,)]*", "").replace(apiKey, "***");
    Files.createDirectories(c.workDir());
    List<Path> logs = new ArrayList<>();

    Set<String> namespaces = new TreeSet<>(List.of(DEFAULT_SECRET_NAMESPACE, BadInputs.NAMESPACE));
    for (int ns = 0; ns < c.namespaces(); ns++) {
      namespaces.add("chaos-" + ns);
    }
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
        BenchApiServer kube = BenchApiServer.start(namespaces)) {
      sim.addApiKey(apiKey, OPERATOR_USER);
      sim.setLatency(c.latency());
      sim.recordRequests(true);
      createSecret(kube, DEFAULT_SECRET_NAMESPACE, SECRET_NAME, apiKey);

      List<Good> goods = seedGood(c, sim, kube, apiKey, random);
      Good conflictTarget = goods.get(0);
      int unusedVersion = conflictTarget.desired == 1 ? 2 : 1;
      List<BadInput> bad =
          BadInputs.prepare(
              sim, kube.client(), apiKey, SECRET_NAME, conflictTarget.agentId, unusedVersion);
      result.badInputKinds = bad.size();
      Map<String, Set<String>> allowedIds = allowedActivations(sim, goods, bad);

      Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
      BenchApiServer.operatorEnvironment(env);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAME", SECRET_NAME);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE", DEFAULT_SECRET_NAMESPACE);
      env.put("ATOMS_RESYNC_INTERVAL", c.resync().toMillis() + "ms");
      env.put("ATOMS_BACKOFF_INITIAL", "500ms");
      env.put("ATOMS_BACKOFF_MAX", "5s");
      env.put("ATOMS_READ_TIMEOUT", c.readTimeout().toMillis() + "ms");
      env.put("ATOMS_ERROR_RETRY_INTERVAL", "10m");
      env.put("ATOMS_CONFLICT_RECHECK_INTERVAL", "5s");
      env.put("ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND", "200");
      env.put("ATOMS_RATE_LIMIT_CONCURRENCY", "8");
      // Our own decisions at DEBUG: more log lines in which a key could leak.
      env.put("QUARKUS_LOG_CATEGORY__AI_SMALLEST__LEVEL", "DEBUG");

      sim.setFaultMix(c.faults());
      kube.injectStatusConflicts(c.conflictRate(), c.seed());
      Path firstLog = c.workDir().resolve("chaos-operator-0.log");
      logs.add(firstLog);
      OperatorProcess operator = startOperator(env, firstLog);
      try (ReadyTracker tracker = new ReadyTracker(kube.client())) {
        // Apply everything at once, good and bad, as a GitOps sync would.
        long runStart = System.nanoTime();
        for (Good g : goods) {
          kube.client().resource(goodRelease(g)).create();
        }
        // The CRD refuses most bad inputs; a cluster with an older or laxer CRD holds them.
        kube.withoutAdmission(() -> bad.forEach(b -> createRaw(kube, b)));
        progress.accept(
            "applied " + goods.size() + " good releases and " + bad.size() + " bad inputs");

        // Chaos: drift, spec edits and kill -9 restarts spread over the window.
        long start = System.nanoTime();
        long window = c.chaosDuration().toNanos();
        List<Long> restartAt = spread(c.restarts(), window, random);
        List<Long> driftAt = spread(c.drifts(), window, random);
        List<Long> editAt = spread(c.specEdits(), window, random);
        int restarts = 0;
        while (System.nanoTime() - start < window) {
          long now = System.nanoTime() - start;
          while (!driftAt.isEmpty() && driftAt.get(0) <= now) {
            driftAt.remove(0);
            drift(sim, goods, random, result);
          }
          while (!editAt.isEmpty() && editAt.get(0) <= now) {
            editAt.remove(0);
            edit(sim, kube, goods, random, result);
          }
          if (!restartAt.isEmpty() && restartAt.get(0) <= now) {
            restartAt.remove(0);
            int inFlight = awaitInFlight(sim, Duration.ofSeconds(3));
            operator.kill();
            result.restarts++;
            result.inFlightAtKill.add(inFlight);
            restarts++;
            Path log = c.workDir().resolve("chaos-operator-" + restarts + ".log");
            logs.add(log);
            operator = startOperator(env, log);
            progress.accept("kill -9 with " + inFlight + " Atoms requests in flight; restarted");
          }
          Thread.sleep(50);
        }
        progress.accept(
            "chaos window over: "
                + result.drifts
                + " drifts, "
                + result.specEdits
                + " spec edits, "
                + result.restarts
                + " restarts; faults stay on while waiting for convergence");

        // Phase A, faults still on: the live versions on Atoms must reach the declared ones.
        long convergeStart = System.nanoTime();
        long deadline = convergeStart + c.convergeTimeout().toNanos() / 2;
        while (!goods.stream().allMatch(g -> liveIsDesired(g, sim))
            && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        result.liveConvergedUnderFaults =
            (int) goods.stream().filter(g -> liveIsDesired(g, sim)).count();
        result.liveConvergedUnderFaultsSeconds = (System.nanoTime() - convergeStart) / 1e9;
        progress.accept(
            result.liveConvergedUnderFaults
                + "/"
                + goods.size()
                + " agents serve their declared version "
                + Stats.fmt(result.liveConvergedUnderFaultsSeconds, 1)
                + " s after the chaos window, faults still on");

        // Phase B: the storm is over (no more Atoms faults or 409s); every release must settle.
        sim.clearFaultMix();
        kube.injectStatusConflicts(0, 0);
        result.readyFlapsUnderFaults = tracker.flapsByReason();
        long settleStart = System.nanoTime();
        deadline = settleStart + c.convergeTimeout().toNanos();
        Map<String, AgentRelease> byKey = new HashMap<>();
        while (true) {
          byKey.clear();
          for (AgentRelease r :
              kube.client().resources(AgentRelease.class).inAnyNamespace().list().getItems()) {
            byKey.put(ReadyTracker.key(r), r);
          }
          boolean done =
              goods.stream()
                      .allMatch(g -> goodConverged(g, byKey.get(g.namespace + "/" + g.name), sim))
                  && bad.stream()
                      .allMatch(b -> settled(b, byKey.get(BadInputs.NAMESPACE + "/" + b.name())));
          if (done || System.nanoTime() > deadline) {
            result.convergedAfterChaosSeconds = (System.nanoTime() - settleStart) / 1e9;
            result.convergedInTime = done;
            break;
          }
          Thread.sleep(500);
        }
        progress.accept(
            (result.convergedInTime ? "all releases settled " : "NOT all releases settled ")
                + Stats.fmt(result.convergedAfterChaosSeconds, 1)
                + " s after the faults stopped");
        result.runSeconds = (System.nanoTime() - runStart) / 1e9;
        result.lastOperatorMetrics = reconcileOutcomes(new OperatorProbe(operator).metrics());
        operator.stop();
        evaluate(c, sim, kube, goods, bad, byKey, allowedIds, apiKey, logs, result);
      } finally {
        operator.stop();
      }
    }
    return result;
  }

  // ---- setup ----------------------------------------------------------------------------------

  /** The packaged operator as in production, on a fresh log (each restart gets its own). */
  private static OperatorProcess startOperator(Map<String, String> env, Path log) {
    return OperatorProcess.start(
            OperatorProcess.JAR, OperatorProcess.PRODUCTION_JVM_OPTIONS, env, log, null)
        .awaitReady(Duration.ofSeconds(90));
  }

  private List<Good> seedGood(
      Config c, AtomsSimulator sim, BenchApiServer kube, String apiKey, Random random) {
    List<Good> goods = new ArrayList<>();
    for (int ns = 0; ns < c.namespaces(); ns++) {
      createSecret(kube, "chaos-" + ns, TEAM_SECRET, apiKey);
    }
    for (int i = 0; i < c.goodReleases(); i++) {
      String agent = String.format("chaos-agent-%04d", i);
      int versions = i % 10 == 9 ? 250 : 30;
      int desired = versions == 250 ? 1 + random.nextInt(50) : 1 + random.nextInt(versions);
      int active = random.nextBoolean() ? desired : 1 + random.nextInt(versions);
      sim.agent(agent).publishedVersions(versions).activeVersion(active);
      Good g =
          new Good(
              "chaos-" + (i % c.namespaces()),
              String.format("release-%04d", i),
              agent,
              i % 5 == 4,
              versions,
              desired);
      g.everDesiredIds.add(sim.agent(agent).versionNumber(desired).id());
      goods.add(g);
    }
    return goods;
  }

  private static AgentRelease goodRelease(Good g) {
    return goodRelease(g, null);
  }

  private static AgentRelease goodRelease(Good g, String versionId) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(g.agentId);
    if (g.byId) {
      spec.setVersionId(versionId == null ? g.everDesiredIds.iterator().next() : versionId);
    } else {
      spec.setVersionNumber(g.desired);
    }
    // Every third release names its team's Secret; the others use the operator's default Secret.
    if (g.name.hashCode() % 3 == 0) {
      spec.setApiKeySecretRef(new SecretKeyReference(TEAM_SECRET, "apiKey"));
    }
    AgentRelease release = new AgentRelease();
    release.setMetadata(
        new ObjectMetaBuilder().withNamespace(g.namespace).withName(g.name).build());
    release.setSpec(spec);
    return release;
  }

  private static void createRaw(BenchApiServer kube, BadInput b) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("atoms.smallest.ai/v1alpha1");
    resource.setKind("AgentRelease");
    resource.setMetadata(
        new ObjectMetaBuilder().withNamespace(BadInputs.NAMESPACE).withName(b.name()).build());
    resource.setAdditionalProperty("spec", b.spec());
    kube.client()
        .genericKubernetesResources(AGENT_RELEASES)
        .inNamespace(BadInputs.NAMESPACE)
        .resource(resource)
        .create();
  }

  private static void createSecret(
      BenchApiServer kube, String namespace, String name, String apiKey) {
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
                        Base64.getEncoder()
                            .encodeToString(apiKey.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
  }

  /** Version ids the operator may legitimately try to activate, per agent. */
  private static Map<String, Set<String>> allowedActivations(
      AtomsSimulator sim, List<Good> goods, List<BadInput> bad) {
    Map<String, Set<String>> allowed = new ConcurrentHashMap<>();
    for (Good g : goods) {
      allowed.put(g.agentId, g.everDesiredIds); // live view: spec edits add to it
    }
    for (BadInput b : bad) {
      if (b.agentId() == null
          || Set.of("Conflict", "ObserveOnly", "Suspended").contains(b.expectedReason())) {
        continue;
      }
      Object id = b.spec().get("versionId");
      Object number = b.spec().get("versionNumber");
      Set<String> ids = allowed.computeIfAbsent(b.agentId(), k -> ConcurrentHashMap.newKeySet());
      if (id instanceof String s) {
        ids.add(s);
      } else if (number instanceof Integer n) {
        try {
          // sim.versions, not sim.agent: the latter would create an unknown agent.
          sim.versions(b.agentId()).stream()
              .filter(
                  v ->
                      SimVersion.PUBLISHED.equals(v.status())
                          && Objects.equals(v.versionNumber(), n))
              .forEach(v -> ids.add(v.id()));
        } catch (java.util.NoSuchElementException unknownAgent) {
          // nothing may be activated for it
        }
      }
    }
    return allowed;
  }

  // ---- chaos actions --------------------------------------------------------------------------

  private static void drift(
      AtomsSimulator sim, List<Good> goods, Random random, ChaosResult result) {
    Good g = goods.get(1 + random.nextInt(goods.size() - 1));
    int other = 1 + random.nextInt(g.versions);
    if (other == g.desired) {
      other = other == g.versions ? 1 : other + 1;
    }
    sim.consoleActivate(g.agentId, sim.agent(g.agentId).versionNumber(other).id(), CONSOLE_USER);
    result.drifts++;
  }

  private static void edit(
      AtomsSimulator sim,
      BenchApiServer kube,
      List<Good> goods,
      Random random,
      ChaosResult result) {
    Good g = goods.get(1 + random.nextInt(goods.size() - 1));
    int next = g.versions == 250 ? 1 + random.nextInt(50) : 1 + random.nextInt(g.versions);
    String nextId = sim.agent(g.agentId).versionNumber(next).id();
    // Record first: the operator may act on the edit before edit() returns.
    g.everDesiredIds.add(nextId);
    g.desired = next;
    kube.client()
        .resources(AgentRelease.class)
        .inNamespace(g.namespace)
        .withName(g.name)
        .edit(
            r -> {
              if (g.byId) {
                r.getSpec().setVersionId(nextId);
              } else {
                r.getSpec().setVersionNumber(next);
              }
              return r;
            });
    result.specEdits++;
  }

  private static int awaitInFlight(AtomsSimulator sim, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (sim.inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    return sim.inFlight();
  }

  private static List<Long> spread(int count, long window, Random random) {
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Evenly spaced slots over the first 85% of the window, jittered within the slot.
      long slot = (long) (window * 0.85 / count);
      at.add(i * slot + (long) (random.nextDouble() * slot));
    }
    return at;
  }

  // ---- checks ---------------------------------------------------------------------------------

  private static boolean liveIsDesired(Good g, AtomsSimulator sim) {
    return Objects.equals(
        sim.activeVersion(g.agentId).map(SimVersion::versionNumber).orElse(null), g.desired);
  }

  private static boolean goodConverged(Good g, AgentRelease r, AtomsSimulator sim) {
    if (r == null || !ReadyTracker.isReady(r)) {
      return false;
    }
    Integer live = sim.activeVersion(g.agentId).map(SimVersion::versionNumber).orElse(null);
    return Objects.equals(live, g.desired)
        && Objects.equals(r.getStatus().getVersionNumber(), g.desired);
  }

  private static boolean settled(BadInput b, AgentRelease r) {
    String reason = r == null ? null : ReadyTracker.ready(r).map(Condition::getReason).orElse(null);
    return reason != null
        && b.accepts(reason)
        && Objects.equals(r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration());
  }

  private void evaluate(
      Config c,
      AtomsSimulator sim,
      BenchApiServer kube,
      List<Good> goods,
      List<BadInput> bad,
      Map<String, AgentRelease> byKey,
      Map<String, Set<String>> allowedIds,
      String apiKey,
      List<Path> logs,
      ChaosResult result)
      throws Exception {
    result.goodReleases = goods.size();
    for (Good g : goods) {
      AgentRelease r = byKey.get(g.namespace + "/" + g.name);
      if (goodConverged(g, r, sim)) {
        result.goodConverged++;
      } else {
        result.notConverged.add(
            g.namespace
                + "/"
                + g.name
                + " wants v"
                + g.desired
                + ", live "
                + sim.activeVersion(g.agentId).map(SimVersion::versionNumber).orElse(null)
                + ", status "
                + (r == null
                    ? "missing"
                    : ReadyTracker.ready(r)
                        .map(x -> x.getStatus() + "/" + x.getReason())
                        .orElse("no Ready")));
      }
    }
    // Stuck Unknown: no Ready condition at all, or Ready=Unknown.
    for (AgentRelease r : byKey.values()) {
      String status = ReadyTracker.ready(r).map(Condition::getStatus).orElse(null);
      if (status == null || "Unknown".equals(status)) {
        result.stuckUnknown.add(ReadyTracker.key(r));
      }
    }

    // Activations.
    List<SimActivation> activations = sim.activationLog();
    Map<String, Integer> lastByAgent = new HashMap<>();
    for (SimActivation a : activations) {
      if (a.viaConsole()) {
        continue;
      }
      result.operatorActivationCalls++;
      if (a.outcome() == SimActivation.Outcome.ACTIVATED) {
        result.operatorActivations++;
      }
      if (a.outcome() == SimActivation.Outcome.ALREADY_ACTIVE) {
        result.duplicateActivations++;
      }
      Set<String> allowed = allowedIds.getOrDefault(a.agentId(), Set.of());
      if (!allowed.contains(a.versionId())) {
        result.neverDesiredActivations.add(
            a.agentId()
                + " "
                + a.versionId()
                + " (v"
                + a.versionNumber()
                + ", "
                + a.outcome()
                + ")");
      }
    }
    result.consoleDriftActivations =
        (int) activations.stream().filter(SimActivation::viaConsole).count();

    // Faults.
    List<RequestRecord> requests = sim.requestLog();
    result.atomsRequests = requests.size();
    Map<String, Integer> faults = new LinkedHashMap<>();
    for (Map.Entry<FaultKind, Integer> e : sim.injectedFaults().entrySet()) {
      faults.put(e.getKey().name(), e.getValue());
    }
    result.faultsInjected = faults;
    result.activateTimeouts =
        (int)
            requests.stream()
                .filter(
                    r ->
                        r.endpoint() == Endpoint.ACTIVATE_VERSION && r.fault() == FaultKind.TIMEOUT)
                .count();
    result.statusConflictsInjected = (int) kube.injectedConflicts();
    result.statusWrites = (int) kube.writes(BenchApiServer.WriteKind.STATUS);
    result.eventWrites = (int) kube.writes(BenchApiServer.WriteKind.EVENT);

    // Bad inputs: final reason, calls, writes.
    Map<String, Integer> callsByAgent = new HashMap<>();
    Map<String, Integer> faultedByAgent = new HashMap<>();
    for (RequestRecord r : requests) {
      callsByAgent.merge(r.agentId(), 1, Integer::sum);
      if (r.fault() != null && r.fault() != FaultKind.LATENCY_SPIKE) {
        faultedByAgent.merge(r.agentId(), 1, Integer::sum);
      }
    }
    Map<String, Integer> badPerAgent = new HashMap<>();
    bad.forEach(
        b -> {
          if (b.agentId() != null) {
            badPerAgent.merge(b.agentId(), 1, Integer::sum);
          }
        });
    for (BadInput b : bad) {
      AgentRelease r = byKey.get(BadInputs.NAMESPACE + "/" + b.name());
      ChaosResult.BadOutcome o = new ChaosResult.BadOutcome();
      o.name = b.name();
      o.expected = b.expectedReason();
      Condition ready = r == null ? null : ReadyTracker.ready(r).orElse(null);
      o.actual =
          ready == null ? "(no Ready condition)" : ready.getStatus() + "/" + ready.getReason();
      o.message = ready == null || ready.getMessage() == null ? "" : ready.getMessage();
      boolean sharedAgent =
          b.agentId() != null
              && (badPerAgent.get(b.agentId()) > 1
                  || allowedIds.containsKey(b.agentId())
                      && goods.stream().anyMatch(g -> g.agentId.equals(b.agentId())));
      o.atomsCalls =
          b.agentId() == null || sharedAgent ? -1 : callsByAgent.getOrDefault(b.agentId(), 0);
      o.kubeWrites = (int) kube.writesFor(BadInputs.NAMESPACE, b.name());
      int faultsForAgent = b.agentId() == null ? 0 : faultedByAgent.getOrDefault(b.agentId(), 0);
      int conflicts = (int) kube.injectedConflicts(BadInputs.NAMESPACE, b.name());
      // Ready (and ObserveOnly) releases resync: one look per interval is expected, not a storm.
      boolean resyncs = b.expectsReady() || "ObserveOnly".equals(b.expectedReason());
      int periods =
          resyncs ? (int) Math.ceil(result.runSeconds / (c.resync().toSeconds() * 0.9)) + 1 : 0;
      // A restart may look twice: the release's own ADD event and its Secret's ADD event mapped to
      // it.
      int disturbances = 1 + 2 * result.restarts + conflicts + faultsForAgent + periods;
      o.callBudget = b.maxAtomsCalls() * disturbances + faultsForAgent;
      o.writeBudget = 2 * disturbances + 2;
      boolean reasonOk = ready != null && b.accepts(ready.getReason());
      boolean clearMessage = o.message.length() >= 20;
      boolean noStorm = o.atomsCalls <= o.callBudget && o.kubeWrites <= o.writeBudget;
      o.passed = reasonOk && clearMessage && noStorm;
      if (!o.passed) {
        result.badInputFailures.add(
            b.name()
                + ": expected "
                + b.expectedReason()
                + ", got "
                + o.actual
                + ", calls "
                + o.atomsCalls
                + " (budget "
                + o.callBudget
                + "), writes "
                + o.kubeWrites
                + " (budget "
                + o.writeBudget
                + ")");
      }
      result.badOutcomes.add(o);
    }

    // Nothing lost? Operator activations that no status.history and no Event recorded.
    List<Event> events = kube.client().v1().events().inAnyNamespace().list().getItems();
    Map<String, Long> activationEvents = new HashMap<>();
    for (Event e : events) {
      if ("Activated".equals(e.getReason()) || "DriftCorrected".equals(e.getReason())) {
        activationEvents.merge(
            e.getInvolvedObject().getNamespace() + "/" + e.getInvolvedObject().getName(),
            1L,
            Long::sum);
      }
    }
    Map<String, String> releaseOfAgent = new HashMap<>();
    goods.forEach(g -> releaseOfAgent.put(g.agentId, g.namespace + "/" + g.name));
    Map<String, Long> activatedPerRelease = new HashMap<>();
    for (SimActivation a : activations) {
      if (!a.viaConsole()
          && a.outcome() == SimActivation.Outcome.ACTIVATED
          && releaseOfAgent.containsKey(a.agentId())) {
        String key = releaseOfAgent.get(a.agentId());
        activatedPerRelease.merge(key, 1L, Long::sum);
        AgentRelease r = byKey.get(key);
        boolean inHistory =
            r != null
                && r.getStatus() != null
                && r.getStatus().getHistory().stream()
                    .map(ActivationRecord::getVersionId)
                    .anyMatch(a.versionId()::equals);
        if (!inHistory) {
          result.activationsMissingFromHistory++;
        }
      }
    }
    activatedPerRelease.forEach(
        (key, n) -> {
          long recorded = activationEvents.getOrDefault(key, 0L);
          if (recorded < n) {
            result.activationsWithoutEvent += (int) (n - recorded);
          }
        });

    // The API keys: in no log line, Event or status.
    Set<String> secrets = new HashSet<>(List.of(apiKey, "not-a-valid-atoms-key-0000"));
    for (Path log : logs) {
      String text = Files.readString(log);
      result.operatorLogLines += text.split("\n").length;
      for (String s : secrets) {
        if (text.contains(s)) {
          result.keyLeaks.add("log " + log.getFileName());
        }
      }
      for (String line : text.split("\n")) {
        if (line.contains(" ERROR ")) {
          result.errorLogLines++;
        }
      }
    }
    for (Event e : events) {
      String text = e.getMessage() + " " + e.getReason() + " " + e.getAction();
      secrets.stream()
          .filter(text::contains)
          .forEach(s -> result.keyLeaks.add("event " + e.getMetadata().getName()));
    }
    for (AgentRelease r : byKey.values()) {
      String text = String.valueOf(r.getStatus());
      secrets.stream()
          .filter(text::contains)
          .forEach(s -> result.keyLeaks.add("status of " + ReadyTracker.key(r)));
    }
    result.events = events.size();
  }

  private static Map<String, Long> reconcileOutcomes(Map<String, Double> metrics) {
    Map<String, Long> out = new java.util.TreeMap<>();
    metrics.forEach(
        (k, v) -> {
          if (k.startsWith("atoms_operator_reconciles_total{")) {
            out.put(k.replaceAll(".*outcome=\"([^\"]*)\".*", "$1"), v.longValue());
          }
        });
    return out;
  }
}
