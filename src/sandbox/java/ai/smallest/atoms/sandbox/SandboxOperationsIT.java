package ai.smallest.atoms.sandbox;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.SimVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Day-two operations against the sandbox, with the real kubectl: {@code kubectl wait
 * --for=condition=Ready} after a spec edit, and the {@code kubectl agr} plugin
 * (deploy/kubectl-plugin/kubectl-agr) run as kubectl runs plugins. The operator re-checks releases
 * only every 10 minutes here, so anything that happens sooner was asked for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxOperationsIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path PLUGIN_DIR = PROJECT.resolve("deploy/kubectl-plugin");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static Sandbox sandbox;
  private static Kubectl kubectl;
  private static Path manifests;

  @BeforeAll
  static void startSandbox() throws IOException {
    Optional<Path> binary = Kubectl.find(PROJECT);
    if (binary.isEmpty()) {
      String hint =
          "kubectl not found (-Dkubectl=PATH, $KUBECTL, target/tools/kubectl/kubectl or PATH); .ci/run installs it";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(hint);
      }
      Assumptions.abort(hint);
    }
    Path state = Files.createTempDirectory(PROJECT.resolve("target"), "sandbox-ops-it-");
    SandboxSettings settings =
        SandboxSettings.defaults(PROJECT)
            .withStateDir(state)
            .withPorts(0, 0, 0)
            .withResyncInterval(Duration.ofMinutes(10));
    sandbox = Sandbox.start(settings);
    kubectl =
        new Kubectl(
            binary.get(),
            sandbox.kubeconfig(),
            Files.createDirectories(state.resolve("kubectl-cache")),
            PROJECT);
    manifests = Files.createDirectories(state.resolve("manifests"));
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.simulator().setLatency(Duration.ZERO);
      sandbox.close();
    }
  }

  private static Path release(String name, String agentId, int versionNumber) {
    Path file = manifests.resolve(name + ".yaml");
    try {
      Files.writeString(
          file,
          """
          apiVersion: atoms.smallest.ai/v1alpha1
          kind: AgentRelease
          metadata:
            name: %s
          spec:
            agentId: %s
            versionNumber: %d
            apiKeySecretRef: {name: atoms-api-key}
          """
              .formatted(name, agentId, versionNumber));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static Optional<Integer> liveVersion(String agentId) {
    return sandbox.simulator().activeVersion(agentId).map(SimVersion::versionNumber);
  }

  private static int activations(String agentId) {
    return sandbox.simulator().calls(ACTIVATE_VERSION, agentId);
  }

  private static String jsonpath(String name, String path) {
    return kubectl.ok("get", "agr", name, "-o", "jsonpath=" + path);
  }

  private static Kubectl.Result agr(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "agr";
    System.arraycopy(args, 0, command, 1, args.length);
    return kubectl.plugin(PLUGIN_DIR, command);
  }

  private static String agrOk(String... args) {
    Kubectl.Result result = agr(args);
    assertThat(result.exitCode())
        .as(
            "kubectl agr %s: %s\noperator log:\n%s",
            String.join(" ", args), result, sandbox.operatorLogTail())
        .isZero();
    return result.stdout();
  }

  @Test
  @Order(1)
  void aReleaseBecomesReady() {
    kubectl.ok("apply", "-f", "examples/atoms-api-key-secret.yaml");
    kubectl.ok("apply", "-f", release("support", "agent-support", 3).toString());
    kubectl.ok(
        "wait", "agr/support", "--for=condition=Ready", "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(liveVersion("agent-support")).contains(3);
  }

  /**
   * kubectl 1.32 compares a condition's observedGeneration with metadata.generation: a Ready=True
   * left over from the previous spec does not satisfy the wait. With every Atoms call taking two
   * seconds, the new activation is certainly still under way when the wait starts.
   */
  @Test
  @Order(2)
  void waitForConditionReadyAfterASpecEditWaitsForTheNewGeneration() {
    sandbox.simulator().setLatency(Duration.ofSeconds(2));
    try {
      kubectl.ok(
          "patch", "agr", "support", "--type=merge", "-p", "{\"spec\":{\"versionNumber\":4}}");
      // The edit is not processed yet: Ready=True still describes generation 1.
      assertThat(jsonpath("support", "{.metadata.generation}")).isEqualTo("2");
      assertThat(jsonpath("support", "{.status.conditions[?(@.type==\"Ready\")].status}"))
          .isEqualTo("True");
      assertThat(
              jsonpath("support", "{.status.conditions[?(@.type==\"Ready\")].observedGeneration}"))
          .isEqualTo("1");

      kubectl.ok(
          "wait", "agr/support", "--for=condition=Ready", "--timeout=" + WAIT.toSeconds() + "s");

      assertThat(
              jsonpath("support", "{.status.conditions[?(@.type==\"Ready\")].observedGeneration}"))
          .isEqualTo("2");
      assertThat(jsonpath("support", "{.status.versionNumber}")).isEqualTo("4");
      assertThat(liveVersion("agent-support")).contains(4);
    } finally {
      sandbox.simulator().setLatency(Duration.ZERO);
    }
  }

  @Test
  @Order(3)
  void pluginPrintsItsUsageAndRejectsWrongUsage() {
    assertThat(agrOk("--help")).contains("Usage: kubectl agr COMMAND NAME", "reconcile NAME");

    Kubectl.Result unknown = agr("deploy", "support");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown command deploy");
    Kubectl.Result noName = agr("wait");
    assertThat(noName.exitCode()).isEqualTo(2);
    assertThat(noName.stderr()).contains("wait needs the name of an AgentRelease");
    Kubectl.Result badTimeout = agr("wait", "support", "--timeout", "soon");
    assertThat(badTimeout.exitCode()).isEqualTo(2);

    Kubectl.Result missing = agr("wait", "no-such-release", "-n", "default");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("NotFound");
  }

  @Test
  @Order(4)
  void reconcileCorrectsDriftNowInsteadOfAtTheNextResync() throws Exception {
    int before = activations("agent-support");
    sandbox
        .simulator()
        .consoleActivate("agent-support", versionId("agent-support", 2), "user_console");
    assertThat(liveVersion("agent-support")).contains(2);

    String out = agrOk("reconcile", "support", "--timeout", "90s");

    assertThat(out).contains("agentrelease/support: reconcile requested at ");
    assertThat(out).contains("agentrelease/support is ready: Activated:");
    assertThat(liveVersion("agent-support")).contains(4);
    assertThat(activations("agent-support")).isEqualTo(before + 1);
    String requested =
        jsonpath("support", "{.metadata.annotations.atoms\\.smallest\\.ai/reconcile-requested-at}");
    assertThat(jsonpath("support", "{.status.lastHandledReconcileAt}")).isEqualTo(requested);
    assertThat(out).contains(requested);
  }

  @Test
  @Order(5)
  void historyListsTheActivationsNewestFirst() {
    List<String> lines = agrOk("history", "support", "--namespace=default").lines().toList();

    assertThat(columns(lines.get(0)))
        .containsExactly("VERSION", "VERSION-ID", "ACTIVATED-AT", "BY");
    assertThat(lines).hasSize(4);
    assertThat(columns(lines.get(1)))
        .startsWith("4", versionId("agent-support", 4))
        .endsWith("DriftCorrection");
    assertThat(columns(lines.get(2))).startsWith("4").endsWith("Operator");
    assertThat(columns(lines.get(3)))
        .startsWith("3", versionId("agent-support", 3))
        .endsWith("Operator");

    kubectl.ok("apply", "-f", release("quiet", "agent-sales", 120).toString());
    agrOk("wait", "quiet");
    assertThat(agrOk("history", "quiet"))
        .isEqualTo("No activations recorded for agentrelease/quiet.\n");
  }

  @Test
  @Order(6)
  void suspendStopsTheReleaseAndResumeWaitsUntilItIsReadyAgain() {
    assertThat(agrOk("suspend", "support"))
        .isEqualTo("agentrelease/support suspended: the operator makes no Atoms call for it\n");
    assertThat(jsonpath("support", "{.spec.suspend}")).isEqualTo("true");

    Kubectl.Result reconcile = agr("reconcile", "support");
    assertThat(reconcile.exitCode()).isEqualTo(1);
    assertThat(reconcile.stderr()).contains("agentrelease/support is suspended");

    // Suspended is neither ready nor stalled: wait gives up after its timeout.
    Kubectl.Result waited = agr("wait", "support", "--timeout", "3s");
    assertThat(waited.exitCode()).isEqualTo(3);
    assertThat(waited.stderr()).contains("agentrelease/support: timed out after 3s");

    String resumed = agrOk("resume", "support", "--timeout", "90s");
    assertThat(resumed).contains("agentrelease/support resumed", "agentrelease/support is ready:");
    assertThat(jsonpath("support", "{.spec.suspend}")).isEqualTo("false");
  }

  @Test
  @Order(7)
  void waitSucceedsOnceANewReleaseIsLiveAndFailsAtOnceWhenItIsStalled() {
    kubectl.ok("apply", "-f", release("onboarding", "agent-onboarding", 2).toString());
    assertThat(agrOk("wait", "onboarding", "--timeout", "90s"))
        .startsWith("agentrelease/onboarding is ready: Activated: ");
    assertThat(liveVersion("agent-onboarding")).contains(2);

    kubectl.ok("apply", "-f", release("unknown-agent", "agent-unknown", 1).toString());
    Kubectl.Result stalled = agr("wait", "unknown-agent", "--timeout", "90s");
    assertThat(stalled.exitCode()).as(stalled.toString()).isEqualTo(1);
    assertThat(stalled.stderr())
        .startsWith("agentrelease/unknown-agent is stalled: AgentNotFound: Agent agent-unknown");
  }

  /**
   * The alerts and the dashboard the Helm chart ships query only what the running operator exports:
   * every metric name, every label a selector matches on, and every value an equality matcher
   * wants, after the activity above (declared and drift activations, a 404, reconciles). Counters
   * appear only once used, so this runs last.
   */
  @Test
  @Order(8)
  void everyMetricTheChartsAlertsAndDashboardQueryIsExported() throws Exception {
    Exposition exported = Exposition.parse(get(sandbox.operatorUrl() + "/q/metrics"));
    List<String> queries = ChartQueries.render(PROJECT.resolve("helm/atoms-operator"));
    assertThat(queries).hasSizeGreaterThan(10);

    for (String query : queries) {
      for (String metric : PromQl.metricNames(query)) {
        if (metric.equals("up")) {
          continue; // written by Prometheus for every target, not exported
        }
        assertThat(exported.names()).as("%s in: %s", metric, query).contains(metric);
      }
      for (PromQl.Matcher matcher : PromQl.matchers(query)) {
        if (matcher.metric().equals("up") || ChartQueries.TARGET_LABELS.contains(matcher.label())) {
          continue;
        }
        assertThat(exported.labels(matcher.metric()))
            .as("label %s of %s in: %s", matcher.label(), matcher.metric(), query)
            .contains(matcher.label());
        if (matcher.equality()) {
          assertThat(exported.values(matcher.metric(), matcher.label()))
              .as(
                  "%s=\"%s\" of %s in: %s",
                  matcher.label(), matcher.value(), matcher.metric(), query)
              .contains(matcher.value());
        }
        if (matcher.operator().equals("=~") && matcher.value().matches("\\w+(\\|\\w+)*")) {
          // An alternation of plain values, such as Ready reasons: each one must exist.
          assertThat(exported.values(matcher.metric(), matcher.label()))
              .as(
                  "%s=~\"%s\" of %s in: %s",
                  matcher.label(), matcher.value(), matcher.metric(), query)
              .contains(matcher.value().split("\\|"));
        }
      }
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String versionId(String agentId, int versionNumber) {
    return sandbox.simulator().versions(agentId).stream()
        .filter(v -> v.versionNumber() != null && v.versionNumber() == versionNumber)
        .map(SimVersion::id)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> columns(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }
}
