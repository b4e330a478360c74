package ai.smallest.atoms.bench;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process Kubernetes API for benchmarks and chaos runs: Fabric8's mock server in CRUD mode
 * (plain HTTP on 127.0.0.1) with the AgentRelease CRD installed, behind a dispatcher that counts
 * every write the operator makes (per kind and per AgentRelease) and can answer a share of the
 * operator's status writes with 409 Conflict, as a real API server does when another writer got
 * there first.
 *
 * <p>The harness's own requests carry the user agent {@link #HARNESS_USER_AGENT} and are neither
 * counted nor sabotaged. The mock server does not enforce the CRD's OpenAPI schema or CEL rules, so
 * malformed manifests reach the operator, which must reject them itself.
 */
public final class KubeApiServer implements AutoCloseable {

  public static final String HARNESS_USER_AGENT = "atoms-bench-harness";
  public static final Path CRD = Path.of("crds", "agentreleases.atoms.smallest.ai-v1.yml");

  /** What an operator write was about. */
  public enum WriteKind {
    /** PATCH/PUT of agentreleases/{name}/status */
    STATUS,
    /** any other write to an AgentRelease (metadata, finalizers): the operator should make none */
    RELEASE,
    /** POST of a core/v1 or events.k8s.io Event */
    EVENT,
    /** coordination.k8s.io Leases (leader election) */
    LEASE,
    OTHER
  }

  private static final Pattern RELEASE_PATH =
      Pattern.compile(
          "^/apis/atoms\\.smallest\\.ai/[^/]+/namespaces/([^/]+)/agentreleases/([^/?]+)(/status)?(\\?.*)?$");
  private static final Pattern EVENT_PATH =
      Pattern.compile("^/apis?/(?:v1|events\\.k8s\\.io/v1)/namespaces/([^/]+)/events.*");
  private static final Pattern INVOLVED_NAME =
      Pattern.compile(
          "\"(?:involvedObject|regarding)\"\\s*:\\s*\\{[^}]*?\"name\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * Held so the level sticks: the mock web server logs every request at INFO through
   * java.util.logging.
   */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_WEB_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final CountingDispatcher dispatcher;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Thread drain;
  private volatile boolean closed;

  private KubeApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    // KubernetesMixedDispatcher's logic (expectations first, then CRUD), with the indexed CRUD
    // store.
    MockDispatcher expectations = new MockDispatcher(responses);
    IndexedCrudDispatcher crud = new IndexedCrudDispatcher();
    Dispatcher mixed =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            Queue<ServerResponse> queue =
                responses.get(
                    new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
            return queue != null && !queue.isEmpty()
                ? expectations.dispatch(request)
                : crud.dispatch(request);
          }
        };
    this.dispatcher = new CountingDispatcher(mixed);
    this.server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            dispatcher,
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // The mock web server keeps every request it saw; drain them so long runs do not hoard memory.
    this.drain =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  server.takeRequest(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "kube-api-request-drain");
    drain.setDaemon(true);
    drain.start();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withTrustCerts(true)
            .withNamespace("default")
            .withUserAgent(HARNESS_USER_AGENT)
            .withRequestTimeout(60_000)
            .build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Starts on a free port and installs the AgentRelease CRD from {@code crds/}. */
  public static KubeApiServer start() {
    KubeApiServer api = new KubeApiServer();
    try (InputStream crd = Files.newInputStream(CRD)) {
      CustomResourceDefinition definition =
          api.client.apiextensions().v1().customResourceDefinitions().load(crd).item();
      api.client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
    } catch (Exception e) {
      api.close();
      throw new IllegalStateException(
          "could not install " + CRD + " (run from the repository root)", e);
    }
    return api;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** A client for the harness (its requests are not counted). */
  public KubernetesClient client() {
    return client;
  }

  /** Answers this share of the operator's AgentRelease status writes with 409 Conflict (seeded). */
  public void injectStatusConflicts(double probability, long seed) {
    dispatcher.setConflicts(probability, seed);
  }

  public int injectedConflicts() {
    return dispatcher.conflicts.get();
  }

  /** 409s injected on one AgentRelease's status writes. */
  public int injectedConflicts(String namespace, String name) {
    AtomicInteger count = dispatcher.conflictsPerRelease.get(namespace + "/" + name);
    return count == null ? 0 : count.get();
  }

  /** Operator writes of this kind, whatever the answer. */
  public int writes(WriteKind kind) {
    return dispatcher.writes.get(kind).get();
  }

  public int totalWrites() {
    return dispatcher.writes.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Operator writes (status patches and Events) concerning one AgentRelease. */
  public int writesFor(String namespace, String name) {
    AtomicInteger count = dispatcher.perRelease.get(namespace + "/" + name);
    return count == null ? 0 : count.get();
  }

  public Map<String, Integer> writesPerRelease() {
    Map<String, Integer> copy = new HashMap<>();
    dispatcher.perRelease.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Operator requests of any kind (reads, watches and writes). */
  public int operatorRequests() {
    return dispatcher.operatorRequests.get();
  }

  public void resetCounters() {
    dispatcher.writes.values().forEach(c -> c.set(0));
    dispatcher.perRelease.clear();
    dispatcher.conflicts.set(0);
    dispatcher.conflictsPerRelease.clear();
    dispatcher.operatorRequests.set(0);
  }

  @Override
  public void close() {
    closed = true;
    try {
      client.close();
    } finally {
      server.destroy();
    }
  }

  static final class CountingDispatcher extends Dispatcher {
    private final Dispatcher delegate;
    private final Map<WriteKind, AtomicInteger> writes = new EnumMap<>(WriteKind.class);
    private final Map<String, AtomicInteger> perRelease = new ConcurrentHashMap<>();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final Map<String, AtomicInteger> conflictsPerRelease = new ConcurrentHashMap<>();
    private final AtomicInteger operatorRequests = new AtomicInteger();
    private volatile double conflictProbability;
    private Random random = new Random(0);

    CountingDispatcher(Dispatcher delegate) {
      this.delegate = delegate;
      for (WriteKind kind : WriteKind.values()) {
        writes.put(kind, new AtomicInteger());
      }
    }

    synchronized void setConflicts(double probability, long seed) {
      this.conflictProbability = probability;
      this.random = new Random(seed);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String agent = request.getHeader("User-Agent");
      boolean fromOperator = agent == null || !agent.contains(HARNESS_USER_AGENT);
      if (fromOperator) {
        operatorRequests.incrementAndGet();
        String method = request.getMethod();
        if (!"GET".equals(method)) {
          MockResponse conflict = countWrite(method, request);
          if (conflict != null) {
            return conflict;
          }
        }
      }
      return delegate.dispatch(request);
    }

    private MockResponse countWrite(String method, RecordedRequest request) {
      String path = request.getPath();
      Matcher release = RELEASE_PATH.matcher(path);
      if (release.matches()) {
        boolean status = release.group(3) != null;
        writes.get(status ? WriteKind.STATUS : WriteKind.RELEASE).incrementAndGet();
        perRelease
            .computeIfAbsent(release.group(1) + "/" + release.group(2), k -> new AtomicInteger())
            .incrementAndGet();
        if (status && ("PATCH".equals(method) || "PUT".equals(method)) && drawConflict()) {
          conflicts.incrementAndGet();
          conflictsPerRelease
              .computeIfAbsent(release.group(1) + "/" + release.group(2), k -> new AtomicInteger())
              .incrementAndGet();
          return conflict(release.group(2));
        }
        return null;
      }
      Matcher event = EVENT_PATH.matcher(path);
      if (event.matches() && "POST".equals(method)) {
        writes.get(WriteKind.EVENT).incrementAndGet();
        // getBytes() does not consume the body (getUtf8Body() would, leaving nothing for the
        // store).
        String body =
            request.getBody() == null
                ? ""
                : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Matcher involved = INVOLVED_NAME.matcher(body);
        if (involved.find()) {
          perRelease
              .computeIfAbsent(event.group(1) + "/" + involved.group(1), k -> new AtomicInteger())
              .incrementAndGet();
        }
        return null;
      }
      writes
          .get(path.contains("/coordination.k8s.io/") ? WriteKind.LEASE : WriteKind.OTHER)
          .incrementAndGet();
      return null;
    }

    private boolean drawConflict() {
      double p = conflictProbability;
      if (p <= 0) {
        return false;
      }
      synchronized (this) {
        return random.nextDouble() < p;
      }
    }

    private static MockResponse conflict(String name) {
      String body =
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\"Operation cannot be fulfilled on agentreleases.atoms.smallest.ai \\\""
              + name
              + "\\\": the object has been modified; please apply your changes to the latest version and try again\","
              + "\"reason\":\"Conflict\",\"details\":{\"name\":\""
              + name
              + "\",\"group\":\"atoms.smallest.ai\",\"kind\":\"agentreleases\"},\"code\":409}";
      return new MockResponse()
          .setResponseCode(409)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }
}
