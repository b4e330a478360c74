package ai.smallest.atoms.bench;

import ai.smallest.atoms.apiserver.RequestFilter;
import ai.smallest.atoms.harness.OperatorProcess;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The tenant scenarios of issue #12 against the packaged operator: fairness between Atoms accounts
 * (one account saturated by slow releases, a release of another account created meanwhile), and the
 * heap cost of unrelated Secrets in watched namespaces (Helm keeps every release revision in one),
 * with the time a created or rotated key takes to be used under that load.
 */
public final class TenantsRunner {

  static final String KEY_A = "tenant-a-key-" + Long.toHexString(new Random().nextLong());
  static final String KEY_B = "tenant-b-key-" + Long.toHexString(new Random().nextLong());
  static final String SECRET = "atoms-api-key";
  static final String NS_A = "tenant-a";
  static final String NS_B = "tenant-b";
  private static final RequestFilter OPERATOR =
      RequestFilter.any().client(BenchApiServer.OPERATOR_USER_AGENT);

  /** Fairness: account A's releases, their Atoms latency, the per-account limits. */
  public record FairnessConfig(
      int aReleases,
      Duration aLatency,
      int concurrency,
      double requestsPerSecond,
      Integer reconcileThreads,
      Duration bAfter,
      List<String> jvmOptions,
      Path workDir) {

    /** Two calls per release of A (list, activate), C at a time. */
    double physicalLimitSeconds() {
      return aReleases * 2.0 * aLatency.toMillis() / 1000.0 / concurrency;
    }
  }

  /** Secret memory: how many Helm-like Secrets of what size, over how many namespaces. */
  public record SecretsConfig(
      int secrets, int secretKiB, int namespaces, List<String> jvmOptions, Path workDir) {}

  private final Consumer<String> progress;

  public TenantsRunner(Consumer<String> progress) {
    this.progress = progress;
  }

  public TenantsResult.Fairness fairness(FairnessConfig c) throws Exception {
    TenantsResult.Fairness r = new TenantsResult.Fairness();
    r.aReleases = c.aReleases();
    r.aLatencyMs = c.aLatency().toMillis();
    r.concurrency = c.concurrency();
    r.requestsPerSecond = c.requestsPerSecond();
    r.reconcileThreads =
        c.reconcileThreads() == null ? "default (50)" : String.valueOf(c.reconcileThreads());
    r.aPhysicalLimitSeconds = c.physicalLimitSeconds();
    List<String> aAgents = new ArrayList<>();
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
        BenchApiServer kube = BenchApiServer.start(List.of(NS_A, NS_B))) {
      sim.addApiKey(KEY_A, "user_a").addApiKey(KEY_B, "user_b");
      for (int i = 0; i < c.aReleases(); i++) {
        String agent = String.format("a-agent-%03d", i);
        sim.agent(agent).publishedVersions(3).activeVersion(1);
        sim.setLatency(agent, c.aLatency());
        aAgents.add(agent);
      }
      sim.agent("b-agent").publishedVersions(3).activeVersion(1);
      kube.client().resource(keySecret(NS_A, SECRET, KEY_A)).create();
      kube.client().resource(keySecret(NS_B, SECRET, KEY_B)).create();

      Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
      BenchApiServer.operatorEnvironment(env);
      env.put("ATOMS_RESYNC_INTERVAL", "1h");
      env.put("ATOMS_RATE_LIMIT_CONCURRENCY", String.valueOf(c.concurrency()));
      env.put("ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND", String.valueOf(c.requestsPerSecond()));
      if (c.reconcileThreads() != null) {
        env.put(
            "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS",
            String.valueOf(c.reconcileThreads()));
      }
      Path log = c.workDir().resolve("operator-fairness.log");
      try (OperatorProcess operator =
              OperatorProcess.start(OperatorProcess.JAR, c.jvmOptions(), env, log, null)
                  .awaitReady(Duration.ofSeconds(90));
          ReadyTracker tracker = new ReadyTracker(kube.client())) {
        sim.resetCounters();
        sim.clearLogs();
        kube.resetCounters();
        long t0 = System.nanoTime();
        for (int i = 0; i < c.aReleases(); i++) {
          kube.client()
              .resource(release(NS_A, String.format("a-%03d", i), aAgents.get(i), 2))
              .create();
        }
        progress.accept(
            "fairness: "
                + c.aReleases()
                + " releases of account A created; B's follows in "
                + c.bAfter().toSeconds()
                + " s");
        Thread.sleep(Math.max(0, c.bAfter().toMillis() - millisSince(t0)));
        r.inFlightWhenBCreated = sim.inFlight();
        long tB = System.nanoTime();
        r.bCreatedAfterSeconds = (tB - t0) / 1e9;
        kube.client().resource(release(NS_B, "b", "b-agent", 2)).create();
        Duration patience = Duration.ofSeconds((long) (c.physicalLimitSeconds() * 2) + 120);
        awaitUntil(() -> tracker.readyAt(NS_B, "b") != null, patience);
        Long bReady = tracker.readyAt(NS_B, "b");
        r.bReadySeconds = bReady == null ? -1 : (bReady - tB) / 1e9;
        progress.accept(
            "fairness: B Ready "
                + Stats.fmt(r.bReadySeconds, 2)
                + " s after it was created ("
                + r.inFlightWhenBCreated
                + " Atoms requests in flight then)");
        awaitUntil(() -> readyIn(tracker, NS_A) >= c.aReleases(), patience);
        r.aReady = readyIn(tracker, NS_A);
        long lastA = t0;
        for (int i = 0; i < c.aReleases(); i++) {
          Long ready = tracker.readyAt(NS_A, String.format("a-%03d", i));
          if (ready != null) {
            lastA = Math.max(lastA, ready);
          }
        }
        r.aTotalSeconds = (lastA - t0) / 1e9;
        r.aReleasesPerMinute = r.aReady / (r.aTotalSeconds / 60);
        progress.accept(
            "fairness: "
                + r.aReady
                + " of A Ready in "
                + Stats.fmt(r.aTotalSeconds, 1)
                + " s (physical limit "
                + Stats.fmt(r.aPhysicalLimitSeconds, 1)
                + " s)");
        r.bAtomsCalls =
            sim.calls(Endpoint.LIST_VERSIONS, "b-agent")
                + sim.calls(Endpoint.ACTIVATE_VERSION, "b-agent");
        r.aAtomsCalls = sim.totalCalls() - r.bAtomsCalls;
        r.maxInFlight = sim.maxInFlight();
        RequestFilter statusWrites =
            OPERATOR.writes().resource(BenchApiServer.AGENT_RELEASES).subresource("status");
        RequestFilter events = OPERATOR.verbs("create").resource("events");
        r.aStatusWrites = kube.server().requests().count(statusWrites.namespace(NS_A));
        r.aEvents = kube.server().requests().count(events.namespace(NS_A));
        r.bStatusWrites = kube.server().requests().count(statusWrites.namespace(NS_B));
        operator.stop();
        String text = Files.readString(log);
        r.apiKeyInLog = text.contains(KEY_A) || text.contains(KEY_B);
      }
    }
    return r;
  }

  public TenantsResult.Secrets secrets(SecretsConfig c) throws Exception {
    TenantsResult.Secrets r = new TenantsResult.Secrets();
    r.secrets = c.secrets();
    r.secretKiB = c.secretKiB();
    r.namespaces = c.namespaces();
    TreeSet<String> namespaces = new TreeSet<>(List.of(NS_A));
    for (int i = 0; i < c.namespaces(); i++) {
      namespaces.add("apps-" + i);
    }
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC());
        BenchApiServer kube = BenchApiServer.start(namespaces)) {
      sim.addApiKey(KEY_A, "user_a");
      for (String agent : List.of("warm-agent", "late-agent", "rotating-agent")) {
        sim.agent(agent).publishedVersions(3).activeVersion(1);
      }
      KubernetesClient client = kube.client();
      client.resource(keySecret(NS_A, SECRET, KEY_A)).create();
      Map<String, String> env = OperatorProcess.baseEnvironment(kube.url(), sim.baseUrl());
      BenchApiServer.operatorEnvironment(env);
      env.put("ATOMS_RESYNC_INTERVAL", "1h");
      env.put("ATOMS_ERROR_RETRY_INTERVAL", "1h"); // only the Secret watch can recover
      Path log = c.workDir().resolve("operator-secrets.log");
      try (OperatorProcess operator =
              OperatorProcess.start(OperatorProcess.JAR, c.jvmOptions(), env, log, null)
                  .awaitReady(Duration.ofSeconds(90));
          ReadyTracker tracker = new ReadyTracker(client)) {
        OperatorProbe probe = new OperatorProbe(operator);
        client.resource(release(NS_A, "warm", "warm-agent", 2)).create();
        awaitUntil(() -> tracker.readyAt(NS_A, "warm") != null, Duration.ofSeconds(60));
        // A release whose key is wrong, to rotate later: Unauthorized before the bulk arrives.
        client.resource(keySecret(NS_A, "rotating-key", "not-a-valid-key")).create();
        client.resource(release(NS_A, "rotating", "rotating-agent", 2, "rotating-key")).create();
        client.resource(release(NS_A, "late", "late-agent", 2, "late-key")).create();
        awaitUntil(
            () ->
                reason(client, NS_A, "rotating").equals("Unauthorized")
                    && reason(client, NS_A, "late").equals("SecretNotFound"),
            Duration.ofSeconds(60));
        Thread.sleep(3000);
        r.heapBeforeMiB = probe.liveHeapBytes() / 1024.0 / 1024.0;
        progress.accept("secrets: live heap before " + Stats.fmt(r.heapBeforeMiB, 1) + " MiB");

        long started = System.nanoTime();
        createHelmSecrets(client, c);
        r.createSeconds = (System.nanoTime() - started) / 1e9;
        progress.accept(
            "secrets: "
                + c.secrets()
                + " Secrets of "
                + c.secretKiB()
                + " KiB created in "
                + Stats.fmt(r.createSeconds, 1)
                + " s");

        // The missing key arrives after the bulk: once it is used, the operator has seen it all.
        long created = System.nanoTime();
        client.resource(keySecret(NS_A, "late-key", KEY_A)).create();
        awaitUntil(() -> tracker.readyAt(NS_A, "late") != null, Duration.ofSeconds(120));
        Long lateReady = tracker.readyAt(NS_A, "late");
        r.missingKeyPickupSeconds = lateReady == null ? -1 : (lateReady - created) / 1e9;

        long rotated = System.nanoTime();
        client.resource(keySecret(NS_A, "rotating-key", KEY_A)).update();
        awaitUntil(() -> tracker.readyAt(NS_A, "rotating") != null, Duration.ofSeconds(120));
        Long rotatingReady = tracker.readyAt(NS_A, "rotating");
        r.rotationPickupSeconds = rotatingReady == null ? -1 : (rotatingReady - rotated) / 1e9;
        progress.accept(
            "secrets: missing key used after "
                + Stats.fmt(r.missingKeyPickupSeconds, 2)
                + " s, rotated key after "
                + Stats.fmt(r.rotationPickupSeconds, 2)
                + " s");

        Thread.sleep(3000);
        r.heapAfterMiB = probe.liveHeapBytes() / 1024.0 / 1024.0;
        r.heapGrowthMiB = r.heapAfterMiB - r.heapBeforeMiB;
        r.rssAfterMiB = probe.rssKiB() / 1024.0;
        r.operatorSecretGets =
            kube.server().requests().count(OPERATOR.verbs("get").resource("secrets"));
        progress.accept(
            "secrets: live heap after "
                + Stats.fmt(r.heapAfterMiB, 1)
                + " MiB (+"
                + Stats.fmt(r.heapGrowthMiB, 1)
                + " MiB)");
        operator.stop();
        r.apiKeyInLog = Files.readString(log).contains(KEY_A);
      }
    }
    return r;
  }

  /** As Helm stores a release revision: type helm.sh/release.v1, gzip+base64 data (random). */
  private void createHelmSecrets(KubernetesClient client, SecretsConfig c)
      throws InterruptedException {
    Random random = new Random(12);
    byte[] payload = new byte[c.secretKiB() * 1024];
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < c.secrets(); i++) {
      random.nextBytes(payload);
      String data = Base64.getEncoder().encodeToString(payload);
      String namespace = "apps-" + (i % c.namespaces());
      String release = "app-" + (i / 10);
      int revision = i % 10 + 1;
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withNamespace(namespace)
              .withName("sh.helm.release.v1." + release + ".v" + revision)
              .withLabels(
                  Map.of(
                      "name",
                      release,
                      "owner",
                      "helm",
                      "status",
                      revision == 10 ? "deployed" : "superseded",
                      "version",
                      String.valueOf(revision),
                      "modifiedAt",
                      "1767225600"))
              .endMetadata()
              .withType("helm.sh/release.v1")
              .withData(Map.of("release", data))
              .build();
      pool.submit(() -> client.resource(secret).create());
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
  }

  static Secret keySecret(String namespace, String name, String apiKey) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withData(
            Map.of(
                "apiKey",
                Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  static AgentRelease release(String namespace, String name, String agentId, int version) {
    return release(namespace, name, agentId, version, SECRET);
  }

  static AgentRelease release(
      String namespace, String name, String agentId, int version, String secret) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agentId);
    spec.setVersionNumber(version);
    spec.setApiKeySecretRef(new SecretKeyReference(secret, "apiKey"));
    AgentRelease release = new AgentRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    release.setSpec(spec);
    return release;
  }

  private static String reason(KubernetesClient client, String namespace, String name) {
    AgentRelease release =
        client.resources(AgentRelease.class).inNamespace(namespace).withName(name).get();
    return release == null || release.getStatus() == null
        ? ""
        : release
            .getStatus()
            .condition(Conditions.READY)
            .map(io.fabric8.kubernetes.api.model.Condition::getReason)
            .orElse("");
  }

  private static int readyIn(ReadyTracker tracker, String namespace) {
    return (int)
        tracker.releases().stream()
            .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
            .filter(r -> tracker.readyAt(namespace, r.getMetadata().getName()) != null)
            .count();
  }

  private static void awaitUntil(BooleanSupplier done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static long millisSince(long nanoStart) {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }
}
