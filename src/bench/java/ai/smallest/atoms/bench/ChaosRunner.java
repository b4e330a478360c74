package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
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
import io.fabric8.kubernetes.client.KubernetesClientException;
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
  static final Duration BACKOFF_INITIAL = Duration.ofMillis(500);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

  /** Large enough that no release's history drops an entry in a run: every record is counted. */
  static final int HISTORY_LIMIT = 100;

  /** The whole-request deadline: a trickling answer ends here, not at the idle read timeout. */
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

  /** The hostile section plants its second wave here (after the last restart). */
  static final double SECOND_WAVE_AT = 0.87;

  /** Good releases created after both poison waves, while faults go on. */
  static final double LATE_RELEASES_AT = 0.90;

  /** Condition and Event messages stay within 1 KiB (issue #11). */
  static final int MAX_MESSAGE_CHARS = 1024;

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
      Path workDir,
      int lateReleases,
      HostileCases.Selection hostile) {

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
    boolean late;
    long createdNanos;

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

  /** Drifts and spec edits with their time, to explain a failed invariant. */
  private final List<String> actions = java.util.Collections.synchronizedList(new ArrayList<>());

  public ChaosRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  public ChaosResult run(Config c) throws Exception {
    String apiKey = "atoms-chaos-key-" + Long.toHexString(new Random().nextLong());
    String tenantKey = "atoms-hostile-tenant-key-" + Long.toHexString(new Random().nextLong());
    Random random = new Random(c.seed());
    ChaosResult result = new ChaosResult();
    result.config =
        c.toString()
            .replaceAll("workDir=[^,)]*", "")
            .replace(apiKey, "***")
            .replace(tenantKey, "***");
    Files.createDirectories(c.workDir());
    List<Path> logs = new ArrayList<>();

    Set<String> namespaces =
        new TreeSet<>(
            List.of(DEFAULT_SECRET_NAMESPACE, BadInputs.NAMESPACE, HostileCases.NAMESPACE));
    for (int ns = 0; ns < c.namespaces(); ns++) {
      namespaces.add("chaos-" + ns);
    }
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
        BenchApiServer kube = BenchApiServer.start(namespaces)) {
      sim.addApiKey(apiKey, OPERATOR_USER);
      sim.addApiKey(tenantKey, HostileCases.USER);
      sim.setLatency(c.latency());
      sim.recordRequests(true);
      createSecret(kube, DEFAULT_SECRET_NAMESPACE, SECRET_NAME, apiKey);

      List<Good> goods = seedGood(c, sim, kube, apiKey, random);
      List<Good> late = new ArrayList<>(goods.subList(c.goodReleases(), goods.size()));
      goods = new ArrayList<>(goods.subList(0, c.goodReleases()));
      Good conflictTarget = goods.get(0);
      int unusedVersion = conflictTarget.desired == 1 ? 2 : 1;
      List<BadInput> bad =
          BadInputs.prepare(
              sim, kube.client(), apiKey, SECRET_NAME, conflictTarget.agentId, unusedVersion);
      result.badInputKinds = bad.size();
      List<HostileCase> hostile = HostileCases.prepare(sim, kube.client(), tenantKey, c.hostile());
      result.hostileKinds = hostile.size();
      List<Good> everyGood = new ArrayList<>(goods);
      everyGood.addAll(late);
      Map<String, Set<String>> allowedIds = allowedActivations(sim, everyGood, bad, hostile);

      Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
      BenchApiServer.operatorEnvironment(env);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAME", SECRET_NAME);
      env.put("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE", DEFAULT_SECRET_NAMESPACE);
      env.put("ATOMS_RESYNC_INTERVAL", c.resync().toMillis() + "ms");
      env.put("ATOMS_BACKOFF_INITIAL", BACKOFF_INITIAL.toMillis() + "ms");
      env.put("ATOMS_BACKOFF_MAX", BACKOFF_MAX.toMillis() + "ms");
      env.put("ATOMS_READ_TIMEOUT", c.readTimeout().toMillis() + "ms");
      env.put("ATOMS_REQUEST_DEADLINE", REQUEST_DEADLINE.toMillis() + "ms");
      env.put("ATOMS_ERROR_RETRY_INTERVAL", "10m");
      env.put("ATOMS_CONFLICT_RECHECK_INTERVAL", "5s");
      env.put("ATOMS_HISTORY_LIMIT", String.valueOf(HISTORY_LIMIT));
      env.put("ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND", "200");
      env.put("ATOMS_RATE_LIMIT_CONCURRENCY", "8");
      // Our own decisions at DEBUG: more log lines in which a key could leak.
      env.put("QUARKUS_LOG_CATEGORY__AI_SMALLEST__LEVEL", "DEBUG");

      // Watching from before anything is stored, so every status the operator writes is seen.
      ReadyTracker tracker = new ReadyTracker(kube.client());
      // Hostile wave 1 is stored before the operator starts: its initial list must read it.
      Map<String, Long> plantedAt = new HashMap<>();
      plantHostile(kube, hostile, 1, plantedAt);
      List<Long> restartNanos = new ArrayList<>();

      sim.setFaultMix(c.faults());
      kube.injectStatusConflicts(c.conflictRate(), c.seed());
      Path firstLog = c.workDir().resolve("chaos-operator-0.log");
      logs.add(firstLog);
      OperatorProcess operator = startOperator(env, firstLog);
      try (tracker) {
        // Apply everything at once, good and bad, as a GitOps sync would.
        long runStart = System.nanoTime();
        for (Good g : goods) {
          kube.client().resource(goodRelease(g)).create();
        }
        // The CRD refuses most bad inputs; a cluster with an older or laxer CRD holds them.
        kube.withoutAdmission(() -> bad.forEach(b -> createRaw(kube, b)));
        progress.accept(
            "applied "
                + goods.size()
                + " good releases and "
                + bad.size()
                + " bad inputs; "
                + hostile.stream().filter(h -> h.wave() == 1).count()
                + " hostile cases stored before the operator started");

        // Chaos: drift, spec edits and kill -9 restarts spread over the window.
        long start = System.nanoTime();
        long window = c.chaosDuration().toNanos();
        List<Long> restartAt = spread(c.restarts(), window, random);
        List<Long> driftAt = spread(c.drifts(), window, random);
        List<Long> editAt = spread(c.specEdits(), window, random);
        boolean secondWave = false;
        boolean lateCreated = false;
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
            restartNanos.add(System.nanoTime());
            actions.add(java.time.Instant.now() + " kill -9 (every agent)");
            result.restarts++;
            result.inFlightAtKill.add(inFlight);
            restarts++;
            Path log = c.workDir().resolve("chaos-operator-" + restarts + ".log");
            logs.add(log);
            operator = startOperator(env, log);
            progress.accept("kill -9 with " + inFlight + " Atoms requests in flight; restarted");
          }
          if (!secondWave && restartAt.isEmpty() && now >= window * SECOND_WAVE_AT) {
            secondWave = true;
            plantHostile(kube, hostile, 2, plantedAt);
            progress.accept(
                hostile.stream().filter(h -> h.wave() == 2).count()
                    + " poison objects stored while the operator runs");
          }
          if (!lateCreated && secondWave && now >= window * LATE_RELEASES_AT) {
            lateCreated = true;
            for (Good g : late) {
              g.createdNanos = System.nanoTime();
              kube.client().resource(goodRelease(g)).create();
            }
            goods.addAll(late);
            progress.accept(late.size() + " good releases created after the poison");
          }
          Thread.sleep(50);
        }
        if (!secondWave) {
          plantHostile(kube, hostile, 2, plantedAt);
        }
        if (!lateCreated) {
          for (Good g : late) {
            g.createdNanos = System.nanoTime();
            kube.client().resource(goodRelease(g)).create();
          }
          goods.addAll(late);
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
        List<Good> all = goods;
        while (!all.stream().allMatch(g -> liveIsDesired(g, sim)) && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        result.liveConvergedUnderFaults =
            (int) all.stream().filter(g -> liveIsDesired(g, sim)).count();
        result.liveConvergedUnderFaultsSeconds = (System.nanoTime() - convergeStart) / 1e9;
        progress.accept(
            result.liveConvergedUnderFaults
                + "/"
                + all.size()
                + " agents serve their declared version "
                + Stats.fmt(result.liveConvergedUnderFaultsSeconds, 1)
                + " s after the chaos window, faults still on");

        // Phase B: the storm is over (no more random Atoms faults or 409s; the hostile tenant's
        // API keeps misbehaving); every release must settle.
        sim.clearFaultMix();
        kube.injectStatusConflicts(0, 0);
        result.readyFlapsUnderFaults = tracker.flapsByReason();
        long settleStart = System.nanoTime();
        deadline = settleStart + c.convergeTimeout().toNanos();
        Map<String, AgentRelease> byKey = new HashMap<>();
        while (true) {
          byKey.clear();
          for (AgentRelease r : tracker.releases()) {
            byKey.put(ReadyTracker.key(r), r);
          }
          boolean done =
              all.stream()
                      .allMatch(g -> goodConverged(g, byKey.get(g.namespace + "/" + g.name), sim))
                  && bad.stream()
                      .allMatch(b -> settled(b, byKey.get(BadInputs.NAMESPACE + "/" + b.name())))
                  && hostile.stream()
                      .allMatch(
                          h -> settled(h, byKey.get(HostileCases.NAMESPACE + "/" + h.name())));
          if (done || System.nanoTime() > deadline) {
            result.convergedAfterChaosSeconds = (System.nanoTime() - settleStart) / 1e9;
            result.convergedInTime = done;
            break;
          }
          Thread.sleep(500);
        }
        lateReadiness(late, tracker, result);
        progress.accept(
            (result.convergedInTime ? "all releases settled " : "NOT all releases settled ")
                + Stats.fmt(result.convergedAfterChaosSeconds, 1)
                + " s after the faults stopped");
        result.runSeconds = (System.nanoTime() - runStart) / 1e9;
        result.lastOperatorMetrics = reconcileOutcomes(new OperatorProbe(operator).metrics());
        // The end state is what the running operator left; a graceful stop must not change it.
        byKey.clear();
        for (AgentRelease r :
            kube.client().resources(AgentRelease.class).inAnyNamespace().list().getItems()) {
          byKey.put(ReadyTracker.key(r), r);
        }
        long evaluatedAt = System.nanoTime();
        operator.stop();
        for (AgentRelease r :
            kube.client().resources(AgentRelease.class).inAnyNamespace().list().getItems()) {
          AgentRelease before = byKey.get(ReadyTracker.key(r));
          String was = readyText(before);
          String now = readyText(r);
          if (!was.equals(now)) {
            result.changedByGracefulStop.add(ReadyTracker.key(r) + ": " + was + " -> " + now);
          }
        }
        evaluate(c, sim, kube, all, bad, byKey, allowedIds, result);
        Map<String, Integer> reconciles = reconcilesLogged(logs);
        Set<String> knownAgents = new HashSet<>();
        all.forEach(g -> knownAgents.add(g.agentId));
        bad.stream().map(BadInput::agentId).filter(Objects::nonNull).forEach(knownAgents::add);
        hostile.stream()
            .map(HostileCase::agentId)
            .filter(Objects::nonNull)
            .forEach(knownAgents::add);
        evaluateHostile(
            hostile,
            sim,
            kube,
            tracker,
            byKey,
            plantedAt,
            restartNanos,
            evaluatedAt,
            reconciles,
            knownAgents,
            c,
            result);
        evaluateActivationRecords(sim, kube, tracker, all, byKey, c.workDir(), result);
        List<String> keys = List.of(apiKey, tenantKey);
        findKeyLeaks(keys, kube, byKey, logs, result);
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

  /** The good releases, then {@link Config#lateReleases} more created later (flagged late). */
  private List<Good> seedGood(
      Config c, AtomsSimulator sim, BenchApiServer kube, String apiKey, Random random) {
    List<Good> goods = new ArrayList<>();
    for (int ns = 0; ns < c.namespaces(); ns++) {
      createSecret(kube, "chaos-" + ns, TEAM_SECRET, apiKey);
    }
    for (int i = 0; i < c.goodReleases() + c.lateReleases(); i++) {
      boolean late = i >= c.goodReleases();
      String agent =
          late
              ? String.format("chaos-late-agent-%04d", i - c.goodReleases())
              : String.format("chaos-agent-%04d", i);
      int versions = i % 10 == 9 ? 250 : 30;
      int desired = versions == 250 ? 1 + random.nextInt(50) : 1 + random.nextInt(versions);
      int active = random.nextBoolean() ? desired : 1 + random.nextInt(versions);
      sim.agent(agent).publishedVersions(versions).activeVersion(active);
      Good g =
          new Good(
              "chaos-" + (i % c.namespaces()),
              late
                  ? String.format("late-%04d", i - c.goodReleases())
                  : String.format("release-%04d", i),
              agent,
              i % 5 == 4,
              versions,
              desired);
      g.late = late;
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
      AtomsSimulator sim, List<Good> goods, List<BadInput> bad, List<HostileCase> hostile) {
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
    for (HostileCase h : hostile) {
      if (h.desiredVersionNumber() != null) {
        allowed
            .computeIfAbsent(h.agentId(), k -> ConcurrentHashMap.newKeySet())
            .add(sim.agent(h.agentId()).versionNumber(h.desiredVersionNumber()).id());
      }
    }
    return allowed;
  }

  /**
   * Stores the hostile cases of one wave: poison objects and status with the API server's admission
   * off (as an older or laxer CRD would have let them in), the valid releases of the hostile-answer
   * cases with it on.
   */
  private static void plantHostile(
      BenchApiServer kube, List<HostileCase> cases, int wave, Map<String, Long> plantedAt) {
    for (HostileCase h : cases) {
      if (h.wave() != wave) {
        continue;
      }
      GenericKubernetesResource resource = new GenericKubernetesResource();
      resource.setApiVersion("atoms.smallest.ai/v1alpha1");
      resource.setKind("AgentRelease");
      resource.setMetadata(
          new ObjectMetaBuilder()
              .withNamespace(HostileCases.NAMESPACE)
              .withName(h.name())
              .withAnnotations(h.annotations().isEmpty() ? null : h.annotations())
              .build());
      if (h.spec() != null) {
        resource.setAdditionalProperty("spec", h.spec());
      }
      var releases =
          kube.client()
              .genericKubernetesResources(AGENT_RELEASES)
              .inNamespace(HostileCases.NAMESPACE);
      if (h.group() == HostileCase.Group.ANSWER) {
        releases.resource(resource).create();
      } else {
        kube.withoutAdmission(
            () -> {
              GenericKubernetesResource created = releases.resource(resource).create();
              if (h.status() != null) {
                created.setAdditionalProperty("status", h.status());
                releases.resource(created).updateStatus();
              }
            });
      }
      plantedAt.put(h.name(), System.nanoTime());
    }
  }

  // ---- chaos actions --------------------------------------------------------------------------

  private void drift(AtomsSimulator sim, List<Good> goods, Random random, ChaosResult result) {
    Good g = goods.get(1 + random.nextInt(goods.size() - 1));
    int other = 1 + random.nextInt(g.versions);
    if (other == g.desired) {
      other = other == g.versions ? 1 : other + 1;
    }
    sim.consoleActivate(g.agentId, sim.agent(g.agentId).versionNumber(other).id(), CONSOLE_USER);
    actions.add(java.time.Instant.now() + " drift " + g.agentId + " console activates v" + other);
    result.drifts++;
  }

  private void edit(
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
    // As kubectl edit would: read, change, write with the resourceVersion read; when the
    // operator's status write got in between (409), read again.
    for (int attempt = 1; ; attempt++) {
      try {
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
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
    actions.add(java.time.Instant.now() + " edit " + g.agentId + " spec now v" + next);
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
      ChaosResult result) {
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
        // What made it: the operator's previous activation of that version, and the faults on
        // the agent's requests shortly before, for the report.
        SimActivation previous = null;
        for (SimActivation p : activations) {
          if (p == a) {
            break;
          }
          if (p.agentId().equals(a.agentId()) && p.versionId().equals(a.versionId())) {
            previous = p;
          }
        }
        List<String> faultsBefore = new ArrayList<>();
        for (RequestRecord r : sim.requestLog()) {
          if (a.agentId().equals(r.agentId())
              && (r.fault() != null || r.hostile() != null)
              && r.at() != null
              && !r.at().isAfter(a.at())
              && r.at().isAfter(a.at().minusSeconds(10))) {
            faultsBefore.add(
                r.endpoint() + " " + (r.fault() != null ? r.fault() : r.hostile()) + " " + r.at());
          }
        }
        result.duplicateActivationDetails.add(
            a.agentId()
                + " v"
                + a.versionNumber()
                + " at "
                + a.at()
                + (previous == null
                    ? ""
                    : "; made live before at "
                        + previous.at()
                        + (previous.viaConsole() ? " via the console" : " by the operator"))
                + "; faults on its requests in the 10 s before: "
                + faultsBefore);
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
  }

  private static String readyText(AgentRelease r) {
    Condition c = r == null ? null : ReadyTracker.ready(r).orElse(null);
    return c == null ? "(none)" : c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
  }

  private static boolean settled(HostileCase h, AgentRelease r) {
    String reason = r == null ? null : ReadyTracker.ready(r).map(Condition::getReason).orElse(null);
    return reason != null
        && h.accepts(reason)
        && Objects.equals(r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration());
  }

  /** How soon the releases created after the poison became Ready (faults were on). */
  private static void lateReadiness(List<Good> late, ReadyTracker tracker, ChaosResult result) {
    List<Double> seconds = new ArrayList<>();
    for (Good g : late) {
      Long readyAt = tracker.readyAt(g.namespace, g.name);
      if (readyAt != null) {
        seconds.add(Math.max(0, readyAt - g.createdNanos) / 1e9);
      }
    }
    result.lateReleases = late.size();
    result.lateReady = seconds.size();
    result.lateReadySecondsMax = seconds.stream().mapToDouble(d -> d).max().orElse(0);
    result.lateReadySecondsMedian =
        seconds.isEmpty() ? 0 : seconds.stream().sorted().toList().get(seconds.size() / 2);
  }

  /**
   * Reconciles that ended in a non-Ready outcome, per release: the operator logs each at DEBUG
   * ("AgentRelease ns/name: Reason: message", ReleaseEvents).
   */
  static Map<String, Integer> reconcilesLogged(List<Path> logs) throws java.io.IOException {
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile(
            "DEBUG \\[ai\\.smallest\\.atoms\\.operator\\.reconciler\\.ReleaseEvents\\] \\([^)]*\\)"
                + " AgentRelease ([^ :]+/[^ :]+): [A-Za-z]+: ");
    Map<String, Integer> counts = new HashMap<>();
    for (Path log : logs) {
      try (var lines = Files.lines(log)) {
        lines.forEach(
            l -> {
              java.util.regex.Matcher m = line.matcher(l);
              if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
              }
            });
      }
    }
    return counts;
  }

  private void evaluateHostile(
      List<HostileCase> hostile,
      AtomsSimulator sim,
      BenchApiServer kube,
      ReadyTracker tracker,
      Map<String, AgentRelease> byKey,
      Map<String, Long> plantedAt,
      List<Long> restartNanos,
      long evaluatedAt,
      Map<String, Integer> reconciles,
      Set<String> knownAgents,
      Config c,
      ChaosResult result) {
    Map<String, Integer> intentWrites = tracker.intentWrites();
    Map<String, Integer> callsByAgent = new HashMap<>();
    Map<String, Integer> faultedByAgent = new HashMap<>();
    for (RequestRecord r : sim.requestLog()) {
      callsByAgent.merge(r.agentId(), 1, Integer::sum);
      if (r.fault() != null && r.fault() != FaultKind.LATENCY_SPIKE) {
        faultedByAgent.merge(r.agentId(), 1, Integer::sum);
      }
    }
    for (HostileCase h : hostile) {
      String key = HostileCases.NAMESPACE + "/" + h.name();
      AgentRelease r = byKey.get(key);
      ChaosResult.HostileOutcome o = new ChaosResult.HostileOutcome();
      o.name = h.name();
      o.group = h.group().name();
      o.where = h.where();
      o.description = h.description();
      o.expected = h.expectedReason();
      Condition ready = r == null ? null : ReadyTracker.ready(r).orElse(null);
      o.actual =
          ready == null ? "(no Ready condition)" : ready.getStatus() + "/" + ready.getReason();
      o.message = ready == null || ready.getMessage() == null ? "" : ready.getMessage();
      o.reasonsSeen = new TreeSet<>(tracker.reasonsSeen(key));

      long planted = plantedAt.getOrDefault(h.name(), evaluatedAt);
      HostileBudget.Disturbances d =
          new HostileBudget.Disturbances(
              (evaluatedAt - planted) / 1e9,
              (int) restartNanos.stream().filter(t -> t > planted).count(),
              (int) kube.injectedConflicts(HostileCases.NAMESPACE, h.name()),
              h.agentId() == null ? 0 : faultedByAgent.getOrDefault(h.agentId(), 0));
      HostileBudget budget = HostileBudget.of(h, d, c.resync(), BACKOFF_MAX);
      o.seconds = d.seconds();
      o.atomsCalls = h.agentId() == null ? 0 : callsByAgent.getOrDefault(h.agentId(), 0);
      o.callBudget = budget.atomsCalls();
      o.minCalls = budget.minAtomsCalls();
      o.kubeWrites = (int) kube.writesFor(HostileCases.NAMESPACE, h.name());
      o.writeBudget = budget.kubeWrites();
      o.intentWrites = intentWrites.getOrDefault(key, 0);
      o.intentBudget = budget.intents();
      o.reconciles = reconciles.getOrDefault(key, 0);
      o.reconcileBudget = budget.reconciles();
      List<String> problems =
          budget.problems(
              h,
              d,
              new HostileBudget.Observed(
                  ready == null ? null : ready.getReason(),
                  r != null
                      && r.getStatus() != null
                      && Objects.equals(
                          r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration()),
                  o.message,
                  o.reasonsSeen,
                  o.atomsCalls,
                  o.kubeWrites,
                  o.intentWrites,
                  o.reconciles),
              MAX_MESSAGE_CHARS);
      o.problems = problems;
      o.passed = problems.isEmpty();
      if (!o.passed) {
        result.hostileFailures.add(h.name() + ": " + String.join("; ", problems));
      }
      result.hostileOutcomes.add(o);
    }
    // A poison object whose agentId is not a string has no agent to count calls against: any call
    // for an agent that no release names (e.g. "12345" read from a number) is such a call.
    callsByAgent.forEach(
        (agent, calls) -> {
          if (!knownAgents.contains(agent)) {
            result.callsForUnnamedAgents.add(agent + " (" + calls + " calls)");
          }
        });
  }

  /** Landed activations against status.history and Events; what the intent costs in writes. */
  private void evaluateActivationRecords(
      AtomsSimulator sim,
      BenchApiServer kube,
      ReadyTracker tracker,
      List<Good> goods,
      Map<String, AgentRelease> byKey,
      Path workDir,
      ChaosResult result)
      throws java.io.IOException {
    List<Event> events = kube.client().v1().events().inAnyNamespace().list().getItems();
    ActivationRecords.Result records =
        ActivationRecords.compare(
            sim.activationLog(),
            Set.of(OPERATOR_USER, HostileCases.USER),
            byKey.values(),
            events,
            HISTORY_LIMIT);
    result.activationsLanded = records.landed;
    result.activationsRecorded = records.recorded;
    result.activationsMissingFromHistory = records.missing;
    result.activationRecordPhantoms = records.phantom;
    result.activationsPrunedByHistoryLimit = records.prunedByHistoryLimit;
    result.activationsWithoutEvent = records.withoutEvent;
    if (!records.agentsWithProblems.isEmpty()) {
      Path file = workDir.resolve("activation-records.txt");
      Files.writeString(file, explain(records.agentsWithProblems, sim, tracker, byKey));
      progress.accept("activation records that do not match: see " + file);
    }

    Map<String, Integer> intents = tracker.intentWrites();
    Set<String> goodKeys = new HashSet<>();
    Set<String> goodAgents = new HashSet<>();
    for (Good g : goods) {
      goodKeys.add(g.namespace + "/" + g.name);
      goodAgents.add(g.agentId);
    }
    result.intentWrites = intents.values().stream().mapToInt(Integer::intValue).sum();
    result.intentWritesGood =
        intents.entrySet().stream()
            .filter(e -> goodKeys.contains(e.getKey()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    result.activateCallsGood =
        (int)
            sim.requestLog().stream()
                .filter(
                    r ->
                        r.endpoint() == Endpoint.ACTIVATE_VERSION
                            && goodAgents.contains(r.agentId()))
                .count();
    result.activationsLandedGood =
        (int)
            sim.activationLog().stream()
                .filter(
                    a ->
                        !a.viaConsole()
                            && a.outcome() == SimActivation.Outcome.ACTIVATED
                            && goodAgents.contains(a.agentId()))
                .count();
  }

  /** Everything the run knows about these agents, in time order per source. */
  private String explain(
      Set<String> agents,
      AtomsSimulator sim,
      ReadyTracker tracker,
      Map<String, AgentRelease> byKey) {
    StringBuilder out = new StringBuilder();
    for (String agent : agents) {
      out.append("== agent ").append(agent).append('\n');
      out.append("-- chaos actions\n");
      synchronized (actions) {
        actions.stream()
            .filter(a -> a.contains(" " + agent + " ") || a.contains("kill -9"))
            .forEach(a -> out.append(a).append('\n'));
      }
      out.append("-- Atoms requests\n");
      sim.requestLog().stream()
          .filter(r -> agent.equals(r.agentId()))
          .forEach(
              r ->
                  out.append(r.at())
                      .append(' ')
                      .append(r.endpoint())
                      .append(r.versionId() == null ? "" : " " + r.versionId())
                      .append(r.skip() >= 0 ? " skip=" + r.skip() : "")
                      .append(" -> ")
                      .append(r.status())
                      .append(r.fault() == null ? "" : " fault " + r.fault())
                      .append(r.hostile() == null ? "" : " hostile " + r.hostile())
                      .append('\n'));
      out.append("-- activations\n");
      sim.activationLog().stream()
          .filter(a -> agent.equals(a.agentId()))
          .forEach(a -> out.append(a).append('\n'));
      for (AgentRelease r : byKey.values()) {
        if (r.getSpec() != null && agent.equals(r.getSpec().getAgentId())) {
          out.append("-- release ").append(ReadyTracker.key(r)).append(" as watched\n");
          tracker.timeline(ReadyTracker.key(r)).forEach(l -> out.append(l).append('\n'));
        }
      }
    }
    return out.toString();
  }

  /**
   * A log line saying an informer gave up: Fabric8's reflector ("... failed for ..., will stop") or
   * JOSDK stopping the operator on an informer error. After it, the operator no longer sees changes
   * of that kind, whatever else it logs.
   */
  static boolean stopsAWatch(String line) {
    return WATCH_STOPPED.matcher(line).find();
  }

  private static final java.util.regex.Pattern WATCH_STOPPED =
      java.util.regex.Pattern.compile("failed for .*, will stop|Operator will be stopped");

  /** The API keys: in no log line, Event or status. Bounded messages and Event names. */
  private static void findKeyLeaks(
      List<String> keys,
      BenchApiServer kube,
      Map<String, AgentRelease> byKey,
      List<Path> logs,
      ChaosResult result)
      throws java.io.IOException {
    Set<String> secrets = new HashSet<>(keys);
    secrets.add("not-a-valid-atoms-key-0000");
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
        if (line.contains(" WARN ")) {
          result.warnLogLines++;
        }
        if (stopsAWatch(line)) {
          result.watchStops.add(log.getFileName() + ": " + line);
        }
      }
    }
    List<Event> events = kube.client().v1().events().inAnyNamespace().list().getItems();
    for (Event e : events) {
      String text = e.getMessage() + " " + e.getReason() + " " + e.getAction();
      secrets.stream()
          .filter(text::contains)
          .forEach(s -> result.keyLeaks.add("event " + e.getMetadata().getName()));
      if (e.getMessage() != null && e.getMessage().length() > MAX_MESSAGE_CHARS) {
        result.unboundedTexts.add(
            "Event " + e.getMetadata().getName() + " message of " + e.getMessage().length());
      }
      if (e.getMetadata().getName().length() > 253) {
        result.unboundedTexts.add(
            "Event name of " + e.getMetadata().getName().length() + " characters");
      }
    }
    for (AgentRelease r : byKey.values()) {
      String text = String.valueOf(r.getStatus());
      secrets.stream()
          .filter(text::contains)
          .forEach(s -> result.keyLeaks.add("status of " + ReadyTracker.key(r)));
      if (r.getStatus() != null) {
        for (Condition condition : r.getStatus().getConditions()) {
          if (condition.getMessage() != null
              && condition.getMessage().length() > MAX_MESSAGE_CHARS) {
            result.unboundedTexts.add(
                ReadyTracker.key(r)
                    + " condition "
                    + condition.getType()
                    + " message of "
                    + condition.getMessage().length());
          }
        }
      }
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
