package ai.smallest.atoms.bench;

import ai.smallest.atoms.apiserver.ApiRequest;
import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.apiserver.Fault;
import ai.smallest.atoms.apiserver.Faults;
import ai.smallest.atoms.apiserver.RequestFilter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The embedded Kubernetes API server as the benchmark and chaos suites use it: the AgentRelease CRD
 * installed from {@code crds/}, a client for the harness, and the operator's writes counted by kind
 * and per AgentRelease, with 409 Conflict on a share of its status writes on request, as a real API
 * server answers when another writer got there first.
 *
 * <p>The operator and the harness are told apart by User-Agent: the operator runs with {@link
 * #OPERATOR_USER_AGENT} ({@link #operatorEnvironment}), the harness's client sends {@link
 * #HARNESS_USER_AGENT}. Only the operator's requests are counted and sabotaged.
 */
final class BenchApiServer implements AutoCloseable {

  static final String HARNESS_USER_AGENT = "atoms-bench-harness";
  static final String OPERATOR_USER_AGENT = "atoms-operator";
  static final Path CRDS = Path.of("crds");
  static final String AGENT_RELEASES = "agentreleases.atoms.smallest.ai";

  /** What an operator write was about. */
  enum WriteKind {
    /** a write to agentreleases/{name}/status */
    STATUS,
    /** any other write to an AgentRelease (metadata, finalizers): the operator should make none */
    RELEASE,
    /** the creation of an Event */
    EVENT,
    /** coordination.k8s.io Leases (leader election) */
    LEASE,
    OTHER
  }

  private static final RequestFilter OPERATOR = RequestFilter.any().client(OPERATOR_USER_AGENT);
  private static final RequestFilter WRITES = OPERATOR.writes();
  private static final RequestFilter STATUS_WRITES =
      WRITES.resource(AGENT_RELEASES).subresource("status");
  private static final RequestFilter RELEASE_WRITES =
      WRITES.resource(AGENT_RELEASES).noSubresource();
  private static final RequestFilter EVENT_WRITES = OPERATOR.verbs("create").resource("events");
  private static final RequestFilter LEASE_WRITES = WRITES.resource("leases.coordination.k8s.io");

  private final EmbeddedApiServer server;
  private final KubernetesClient client;
  private volatile Faults.Rule conflicts;

  private BenchApiServer(EmbeddedApiServer server) {
    this.server = server;
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url())
            .withNamespace("default")
            .withUserAgent(HARNESS_USER_AGENT)
            .withRequestTimeout(60_000)
            .build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Starts on a free port with the CRD installed and the given namespaces created (the API server,
   * like a real one, refuses objects in namespaces that do not exist).
   */
  static BenchApiServer start(Iterable<String> namespaces) {
    EmbeddedApiServer server = EmbeddedApiServer.start(0);
    try {
      server.installCrds(CRDS);
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException(
          "could not install " + CRDS + " (run from the repository root)", e);
    }
    namespaces.forEach(server::createNamespace);
    return new BenchApiServer(server);
  }

  String url() {
    return server.url();
  }

  EmbeddedApiServer server() {
    return server;
  }

  /** A client for the harness (its requests are neither counted nor sabotaged). */
  KubernetesClient client() {
    return client;
  }

  /** What the operator process needs to be recognised: its User-Agent. */
  static void operatorEnvironment(Map<String, String> env) {
    // Fabric8 reads it when the operator builds its client (Config.KUBERNETES_USER_AGENT).
    env.put("KUBERNETES_USER_AGENT", OPERATOR_USER_AGENT);
  }

  /**
   * Creates AgentReleases the current CRD would refuse, as a cluster with an older or laxer CRD
   * holds them: the API server's admission is off for AgentReleases while {@code planting} runs.
   */
  void withoutAdmission(Runnable planting) {
    server.admission().disable(AGENT_RELEASES);
    try {
      planting.run();
    } finally {
      server.admission().enable(AGENT_RELEASES);
    }
  }

  /** Answers this share of the operator's AgentRelease status writes with 409 Conflict (seeded). */
  synchronized void injectStatusConflicts(double probability, long seed) {
    if (conflicts != null) {
      server.faults().remove(conflicts.id());
      conflicts = null;
    }
    if (probability > 0) {
      conflicts =
          server
              .faults()
              .add(
                  Fault.respond(409)
                      .on(STATUS_WRITES.verbs("patch", "update"))
                      .ratio(probability, seed));
    }
  }

  long injectedConflicts() {
    return server.requests().injected(STATUS_WRITES);
  }

  /** 409s injected on one AgentRelease's status writes. */
  long injectedConflicts(String namespace, String name) {
    return server.requests().injected(STATUS_WRITES.namespace(namespace).name(name));
  }

  /** Operator writes of this kind, whatever the answer. */
  long writes(WriteKind kind) {
    return switch (kind) {
      case STATUS -> server.requests().count(STATUS_WRITES);
      case RELEASE -> server.requests().count(RELEASE_WRITES);
      case EVENT -> server.requests().count(EVENT_WRITES);
      case LEASE -> server.requests().count(LEASE_WRITES);
      case OTHER ->
          server
              .requests()
              .count(
                  WRITES.and(
                      r ->
                          !STATUS_WRITES.test(r)
                              && !RELEASE_WRITES.test(r)
                              && !EVENT_WRITES.test(r)
                              && !LEASE_WRITES.test(r)));
    };
  }

  long totalWrites() {
    return server.requests().count(WRITES);
  }

  /** Operator writes concerning one AgentRelease: to it, and Events about it. */
  long writesFor(String namespace, String name) {
    return server
        .requests()
        .count(concerningReleases().and(WRITES.namespace(namespace).name(name)));
  }

  /** Operator writes concerning each AgentRelease ({@code namespace/name}). */
  Map<String, Long> writesPerRelease() {
    return server
        .requests()
        .countBy(
            concerningReleases(),
            r ->
                r.namespace() + "/" + (r.involvedObject() != null ? r.involvedObject() : r.name()));
  }

  private static Predicate<ApiRequest> concerningReleases() {
    Predicate<ApiRequest> writes = WRITES;
    return writes.and(r -> RELEASE_WRITES.test(r) || STATUS_WRITES.test(r) || EVENT_WRITES.test(r));
  }

  void resetCounters() {
    server.requests().reset();
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }
}
