package ai.smallest.atoms.operator.e2e;

import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.apiserver.RequestFilter;
import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.simulator.AtomsSimulator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the end-to-end tests share: the embedded Kubernetes API server ({@link
 * EmbeddedApiServerResource}) and a client of the test's own on it (so the server tells the test's
 * requests from the operator's), the Atoms simulator, fresh namespaces and agents per test, and
 * bounded waits on status.
 */
abstract class OperatorTestSupport {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String SECRET = "atoms-credentials";

  /** The operator's own requests: its client sends Fabric8's default User-Agent. */
  static final RequestFilter OPERATOR = RequestFilter.any().client("fabric8-kubernetes-client");

  static final String AGENT_RELEASES = "agentreleases.atoms.smallest.ai";

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static KubernetesClient client;
  private static EmbeddedApiServer clientServer;

  @EmbeddedApiServerResource.Server EmbeddedApiServer apiServer;
  KubernetesClient kubernetes;

  @BeforeEach
  void connectToTheApiServer() {
    kubernetes = testClient(EmbeddedApiServerResource.server());
  }

  /** One test client per server (each test class has its own server). */
  private static synchronized KubernetesClient testClient(EmbeddedApiServer server) {
    if (server != clientServer) {
      if (client != null) {
        client.close();
      }
      client = EmbeddedApiServerResource.testClient(server);
      clientServer = server;
    }
    return client;
  }

  static AtomsSimulator sim() {
    return AtomsSimulatorResource.simulator();
  }

  /** A fresh namespace (the API server refuses objects in namespaces that do not exist). */
  String newNamespace() {
    String ns = "team-" + SEQUENCE.incrementAndGet();
    kubernetes
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  static String newAgent() {
    return "agent-" + SEQUENCE.incrementAndGet();
  }

  /** A fresh namespace holding the API key Secret. */
  String namespaceWithKey(String apiKey) {
    String ns = newNamespace();
    kubernetes.secrets().inNamespace(ns).resource(secret(ns, apiKey)).create();
    return ns;
  }

  static Secret secret(String ns, String apiKey) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(ns)
        .endMetadata()
        .withData(
            Map.of(
                "apiKey",
                Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  AgentRelease create(AgentRelease release) {
    return kubernetes.resource(release).create();
  }

  /**
   * Creates a release the current CRD would refuse, as an API server with an older CRD would have
   * stored it (admission off for AgentReleases while it is created).
   */
  AgentRelease createWithoutAdmission(AgentRelease release) {
    apiServer.admission().disable(AGENT_RELEASES);
    try {
      return create(release);
    } finally {
      apiServer.admission().enable(AGENT_RELEASES);
    }
  }

  AgentRelease get(String ns, String name) {
    return kubernetes.resources(AgentRelease.class).inNamespace(ns).withName(name).get();
  }

  static Condition condition(AgentRelease release, String type) {
    AgentReleaseStatus status = release.getStatus();
    return status == null ? null : status.condition(type).orElse(null);
  }

  AgentRelease awaitStatus(String ns, String name, Predicate<AgentRelease> done) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> get(ns, name), r -> r != null && r.getStatus() != null && done.test(r));
  }

  AgentRelease awaitReady(String ns, String name) {
    return awaitStatus(ns, name, AgentRelease::isReadyForCurrentGeneration);
  }

  AgentRelease awaitReason(String ns, String name, String reason) {
    return awaitStatus(
        ns,
        name,
        r -> {
          Condition ready = condition(r, Conditions.READY);
          return ready != null && reason.equals(ready.getReason());
        });
  }

  List<Event> eventsFor(String ns, String name) {
    return kubernetes.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<Event> awaitEvent(String ns, String name, String type, String reason) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> eventsFor(ns, name),
            events ->
                events.stream()
                    .anyMatch(e -> type.equals(e.getType()) && reason.equals(e.getReason())));
  }

  /** Asks for an immediate resync, as a user would with kubectl annotate. */
  void requestReconcile(String ns, String name, String value) {
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              Map<String, String> annotations = new java.util.HashMap<>();
              if (r.getMetadata().getAnnotations() != null) {
                annotations.putAll(r.getMetadata().getAnnotations());
              }
              annotations.put(AgentRelease.RECONCILE_REQUESTED_AT, value);
              r.getMetadata().setAnnotations(annotations);
              return r;
            });
  }
}
