package ai.smallest.atoms.sandbox;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.simulator.SimVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walk-through of docs/sandbox.md, end to end: the sandbox as {@code ./sandbox} starts it
 * (embedded API server, seeded simulator, the operator jar as a child process), driven with the
 * real kubectl binary. Each step asserts on kubectl's output and on the Atoms calls the simulator
 * counted. The steps build on each other, in order, like a user's session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxKubectlIT {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static Sandbox sandbox;
  private static Kubectl kubectl;

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
    Path state = Files.createTempDirectory(PROJECT.resolve("target"), "sandbox-it-");
    SandboxSettings settings =
        SandboxSettings.defaults(PROJECT).withStateDir(state).withPorts(0, 0, 0);
    sandbox = Sandbox.start(settings);
    Path cache = Files.createDirectories(state.resolve("kubectl-cache"));
    kubectl = new Kubectl(binary.get(), sandbox.kubeconfig(), cache, PROJECT);
  }

  @AfterAll
  static void stopSandbox() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static int activations(String agentId) {
    return sandbox.simulator().calls(ACTIVATE_VERSION, agentId);
  }

  private static Optional<Integer> liveVersion(String agentId) {
    return sandbox.simulator().activeVersion(agentId).map(SimVersion::versionNumber);
  }

  private static String describeOnFailure(TestInfo info) {
    return info.getDisplayName() + " (operator log tail:\n" + sandbox.operatorLogTail() + ")";
  }

  /**
   * kubectl wait, failing with what the releases and the operator said, so a timeout explains
   * itself.
   */
  private static String waitFor(String... args) {
    Kubectl.Result result = kubectl.run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl "
              + String.join(" ", args)
              + " failed: "
              + result
              + "\nreleases:\n"
              + kubectl.run("get", "agr", "-o", "yaml").stdout()
              + "\noperator log tail:\n"
              + sandbox.operatorLogTail());
    }
    return result.stdout();
  }

  @Test
  @Order(1)
  void kubectlTalksToTheSandboxAndTheCrdIsAlreadyInstalled() {
    assertThat(kubectl.ok("version")).contains("Server Version: v1.32.0");
    // The install command of docs/install.md; the sandbox pre-installed the CRD as kubectl apply
    // would have.
    assertThat(kubectl.ok("apply", "-k", "crds/"))
        .isEqualTo(
            "customresourcedefinition.apiextensions.k8s.io/agentreleases.atoms.smallest.ai unchanged\n");
    assertThat(kubectl.ok("api-resources", "--api-group=atoms.smallest.ai"))
        .contains("agentreleases")
        .contains("agr")
        .contains("atoms.smallest.ai/v1alpha1")
        .contains("AgentRelease");
  }

  @Test
  @Order(2)
  void applyingTheExamplesMakesEveryReleaseReady(TestInfo info) {
    assertThat(kubectl.ok("apply", "-f", "examples/"))
        .contains(
            "agentrelease.atoms.smallest.ai/sales-agent created",
            "agentrelease.atoms.smallest.ai/support-agent created",
            "agentrelease.atoms.smallest.ai/billing-agent created",
            "agentrelease.atoms.smallest.ai/onboarding-agent created",
            "agentrelease.atoms.smallest.ai/faq-agent created",
            "secret/atoms-api-key created");

    String waited =
        waitFor(
            "wait", "agr", "--all", "--for=condition=Ready", "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(waited)
        .as(describeOnFailure(info))
        .contains(
            "agentrelease.atoms.smallest.ai/sales-agent condition met",
            "agentrelease.atoms.smallest.ai/support-agent condition met",
            "agentrelease.atoms.smallest.ai/billing-agent condition met",
            "agentrelease.atoms.smallest.ai/onboarding-agent condition met",
            "agentrelease.atoms.smallest.ai/faq-agent condition met");

    assertThat(liveVersion("agent-support")).contains(3);
    assertThat(liveVersion("agent-sales"))
        .as("the by-version-id example names agent-sales v20")
        .contains(20);
    assertThat(activations("agent-support")).isEqualTo(1);
    assertThat(activations("agent-sales")).isEqualTo(1);
    assertThat(activations("agent-billing"))
        .as("the windowed example names the version already live: nothing to wait for")
        .isZero();
    assertThat(liveVersion("agent-onboarding")).contains(2);
    assertThat(liveVersion("agent-faq"))
        .as("the selector example: the latest version labelled stable")
        .contains(3);
    assertThat(activations("agent-faq")).isEqualTo(1);
    assertThat(
            kubectl.ok(
                "get",
                "agr",
                "onboarding-agent",
                "-o",
                "jsonpath={.status.previousVersion.versionNumber} {.metadata.finalizers}"))
        .isEqualTo("3 [\"atoms.smallest.ai/restore\"]");
  }

  @Test
  @Order(3)
  void getShowsTheCrdPrinterColumns() {
    List<String> lines = kubectl.ok("get", "agr").lines().toList();
    assertThat(columns(lines.get(0)))
        .containsExactly(
            "NAME", "AGENT", "DESIRED", "ACTIVE", "READY", "REASON", "ACTIVATED", "AGE");
    assertThat(row(lines, "support-agent"))
        .startsWith("support-agent", "agent-support", "3", "3", "True", "Activated");
    assertThat(row(lines, "sales-agent"))
        .startsWith("sales-agent", "agent-sales", "20", "20", "True", "Activated");
    assertThat(row(lines, "faq-agent"))
        .as("DESIRED is what the selector resolved to")
        .startsWith("faq-agent", "agent-faq", "3", "3", "True", "Activated");

    List<String> wide = kubectl.ok("get", "agr", "-o", "wide").lines().toList();
    assertThat(columns(wide.get(0))).endsWith("DESIRED-ID", "ACTIVE-ID", "MESSAGE");
    String readyMessage =
        kubectl.ok(
            "get",
            "agr",
            "sales-agent",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}");
    assertThat(readyMessage).startsWith("Agent agent-sales serves version 20");
    // The message has spaces, so the row is read as text: both IDs, then the Ready message.
    assertThat(line(wide, "sales-agent"))
        .containsPattern(
            "\\s665f1e00000000000000001c\\s+665f1e00000000000000001c\\s+"
                + java.util.regex.Pattern.quote(readyMessage)
                + "$");
  }

  @Test
  @Order(4)
  void describeShowsTheActivationEvent() {
    String described = kubectl.ok("describe", "agr", "support-agent");
    assertThat(described).contains("Name:         support-agent", "Agent Id:", "Events:");
    assertThat(
            described
                .lines()
                .filter(
                    l ->
                        l.contains("Normal")
                            && l.contains("Activated")
                            && l.contains("atoms-operator")))
        .isNotEmpty();
    assertThat(kubectl.ok("get", "events", "--field-selector", "involvedObject.name=support-agent"))
        .contains("agentrelease/support-agent");
  }

  @Test
  @Order(5)
  void patchingTheDesiredVersionActivatesItExactlyOnce() {
    int before = activations("agent-support");
    assertThat(
            kubectl.ok(
                "patch",
                "agr",
                "support-agent",
                "--type=merge",
                "-p",
                "{\"spec\":{\"versionNumber\":4}}"))
        .isEqualTo("agentrelease.atoms.smallest.ai/support-agent patched\n");

    waitFor(
        "wait",
        "agr/support-agent",
        "--for=jsonpath={.status.observedGeneration}=2",
        "--timeout=" + WAIT.toSeconds() + "s");
    waitFor(
        "wait",
        "agr/support-agent",
        "--for=condition=Ready",
        "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(kubectl.ok("get", "agr", "support-agent", "-o", "jsonpath={.status.versionNumber}"))
        .isEqualTo("4");
    assertThat(liveVersion("agent-support")).contains(4);
    assertThat(activations("agent-support")).isEqualTo(before + 1);
  }

  @Test
  @Order(6)
  void strategicMergePatchOfACustomResourceFailsAsOnARealCluster() {
    Kubectl.Result result =
        kubectl.run("patch", "agr", "support-agent", "-p", "{\"spec\":{\"versionNumber\":5}}");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("application/strategic-merge-patch+json is not supported");
    assertThat(kubectl.ok("get", "agr", "support-agent", "-o", "jsonpath={.spec.versionNumber}"))
        .isEqualTo("4");
  }

  @Test
  @Order(7)
  void manifestsThatBreakTheCelRuleOrTheSchemaAreRejectedWithTheirMessage() {
    int activationsBefore = sandbox.simulator().calls(ACTIVATE_VERSION);
    Kubectl.Result cel =
        kubectl.run("apply", "-f", resource("sandbox/agentrelease-both-versions.yaml"));
    assertThat(cel.exitCode()).isNotZero();
    assertThat(cel.stderr())
        .contains(
            "The AgentRelease \"ambiguous-release\" is invalid: spec: Invalid value: \"object\": "
                + "exactly one of spec.versionNumber, spec.versionId or spec.versionSelector must be set");

    Kubectl.Result schema =
        kubectl.run("apply", "-f", resource("sandbox/agentrelease-version-zero.yaml"));
    assertThat(schema.exitCode()).isNotZero();
    assertThat(schema.stderr())
        .contains(
            "spec.versionNumber: Invalid value: 0: spec.versionNumber in body should be greater than or equal to 1");

    assertThat(kubectl.run("get", "agr", "ambiguous-release").stderr()).contains("NotFound");
    assertThat(kubectl.run("get", "agr", "version-zero").stderr()).contains("NotFound");
    // Resyncs of the existing releases may list versions meanwhile; nothing may be activated.
    assertThat(sandbox.simulator().calls(ACTIVATE_VERSION))
        .as("a rejected manifest never reaches the operator")
        .isEqualTo(activationsBefore);
  }

  @Test
  @Order(8)
  void changingTheAgentIdIsRejectedByTheImmutabilityRule() {
    Kubectl.Result result =
        kubectl.run(
            "patch",
            "agr",
            "support-agent",
            "--type=merge",
            "-p",
            "{\"spec\":{\"agentId\":\"agent-sales\"}}");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("spec.agentId: Invalid value: \"string\": spec.agentId is immutable");
  }

  @Test
  @Order(9)
  void kubectlGetAtomsListsTheReleasesThroughTheCrdCategory() {
    assertThat(kubectl.ok("api-resources", "--categories=atoms", "-o", "name"))
        .isEqualTo("agentreleases.atoms.smallest.ai\n");
    String listed = kubectl.ok("get", "atoms");
    assertThat(listed.lines().findFirst().orElseThrow()).startsWith("NAME").contains("AGENT");
    assertThat(listed).contains("support-agent", "sales-agent");
  }

  @Test
  @Order(9)
  void explainDescribesTheResourceItsSpecStatusAndConditions() {
    assertThat(kubectl.ok("explain", "agr"))
        .contains("KIND:       AgentRelease")
        .contains("AgentRelease declares which published version of one Smallest AI Atoms")
        .containsPattern("spec\\s+<Object>\\s+Desired state: which Atoms agent")
        .containsPattern("status\\s+<Object>\\s+Observed state, written by the operator only");
    assertThat(kubectl.ok("explain", "agr.spec"))
        .contains("FIELD: spec <Object>")
        .contains("Desired state: which Atoms agent, which published version should be live")
        .doesNotContain("<empty>");
    assertThat(kubectl.ok("explain", "agr.status"))
        .contains("FIELD: status <Object>")
        .contains("Observed state, written by the operator only")
        .containsPattern("conditions\\s+<\\[\\]Object>")
        .containsPattern("pendingActivation\\s+<Object>\\s+An activation the operator has asked")
        .doesNotContain("<empty>");
    String conditions = kubectl.ok("explain", "agr.status.conditions");
    assertThat(conditions)
        .contains("FIELD: conditions <[]Object>")
        .contains("The latest observations of the release's state, one per type")
        .containsPattern("lastTransitionTime\\s+<string> -required-\\s+Last time the condition")
        .containsPattern("message\\s+<string> -required-\\s+Human-readable message")
        .containsPattern("observedGeneration\\s+<integer>\\s+The .metadata.generation")
        .containsPattern("reason\\s+<string> -required-\\s+Programmatic identifier")
        .containsPattern("status\\s+<string> -required-\\s+enum: False, True, Unknown")
        .containsPattern("type\\s+<string> -required-\\s+Type of condition in CamelCase")
        .doesNotContain("<empty>");
    assertThat(kubectl.ok("explain", "agr.status.history.versionNumber"))
        .contains("FIELD: versionNumber <integer>", "Version number the operator activated.");
  }

  @Test
  @Order(9)
  void explainDescribesTheFields() {
    String explained = kubectl.ok("explain", "agentreleases.spec");
    assertThat(explained)
        .contains("KIND:       AgentRelease", "VERSION:    v1alpha1", "FIELD: spec <Object>");
    assertThat(explained).containsPattern("agentId\\s+<string> -required-");
    assertThat(explained).containsPattern("versionNumber\\s+<integer>");
    assertThat(explained)
        .contains("ID of the Atoms agent whose live version this release controls");
    assertThat(kubectl.ok("explain", "agr.spec.apiKeySecretRef.key"))
        .contains("FIELD: key <string>");
  }

  @Test
  @Order(10)
  void aVersionChangedInTheAtomsConsoleIsRevertedAtTheNextResync(TestInfo info) throws Exception {
    int before = activations("agent-support");
    String reply = post(sandbox.adminUrl() + "/agents/agent-support/activate?version=2");
    assertThat(reply).contains("\"versionNumber\" : 2", "\"active\" : true");
    assertThat(liveVersion("agent-support")).contains(2);

    // Drift correction runs at the resync interval (15s in the sandbox).
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> assertThat(liveVersion("agent-support")).as(describeOnFailure(info)).contains(4));
    assertThat(activations("agent-support")).isEqualTo(before + 1);
    waitFor(
        "wait",
        "agr/support-agent",
        "--for=condition=Ready",
        "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(kubectl.ok("get", "agr", "support-agent", "-o", "jsonpath={.status.versionNumber}"))
        .isEqualTo("4");
  }

  @Test
  @Order(11)
  void aChangeOutsideTheActivationWindowsWaitsUntilActivateNowLetsItThrough() {
    // The example's windows may be open while the test runs: use one that opens in two hours.
    int hour = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).getHour();
    String closed =
        "{\"spec\":{\"versionNumber\":1,\"activationWindows\":[{\"schedule\":\"0 "
            + hour
            + " * * *\",\"duration\":\"1h\"}]}}";
    assertThat(kubectl.ok("patch", "agr", "billing-agent", "--type=merge", "-p", closed))
        .isEqualTo("agentrelease.atoms.smallest.ai/billing-agent patched\n");
    waitFor(
        "wait",
        "agr/billing-agent",
        "--for=jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}=OutsideActivationWindow",
        "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(kubectl.ok("get", "agr", "billing-agent")).contains("OutsideActivationWindow");
    assertThat(
            kubectl.ok(
                "get",
                "agr",
                "billing-agent",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}"))
        .contains("version 1 will be activated when the next window opens at");
    assertThat(activations("agent-billing")).isZero();
    assertThat(liveVersion("agent-billing")).contains(2);

    assertThat(kubectl.ok("annotate", "agr", "billing-agent", "atoms.smallest.ai/activate-now=now"))
        .isEqualTo("agentrelease.atoms.smallest.ai/billing-agent annotated\n");
    waitFor(
        "wait",
        "agr/billing-agent",
        "--for=condition=Ready",
        "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(liveVersion("agent-billing")).contains(1);
    assertThat(activations("agent-billing")).isEqualTo(1);
    assertThat(
            kubectl.ok(
                "get", "agr", "billing-agent", "-o", "jsonpath={.status.lastHandledActivateNow}"))
        .isEqualTo("now");
  }

  @Test
  @Order(12)
  void kubectlCreateSendsProtobufBodiesThatTheSandboxDecodes() {
    assertThat(kubectl.ok("create", "namespace", "team-a")).isEqualTo("namespace/team-a created\n");
    assertThat(
            kubectl.ok(
                "-n",
                "team-a",
                "create",
                "secret",
                "generic",
                "atoms-api-key",
                "--from-literal=apiKey=" + DemoAgents.API_KEY))
        .isEqualTo("secret/atoms-api-key created\n");
    assertThat(
            kubectl.ok(
                "-n", "team-a", "create", "configmap", "notes", "--from-literal=owner=team-a"))
        .isEqualTo("configmap/notes created\n");
    assertThat(
            kubectl.ok(
                "-n", "team-a", "get", "secret", "atoms-api-key", "-o", "jsonpath={.data.apiKey}"))
        .isEqualTo("c2FuZGJveC1rZXk=");
  }

  @Test
  @Order(14)
  void deletingAReleaseWithDeletionPolicyRestorePutsBackWhatWasLiveBefore() {
    int before = activations("agent-onboarding");
    assertThat(kubectl.ok("delete", "agr", "onboarding-agent", "--timeout=60s"))
        .isEqualTo("agentrelease.atoms.smallest.ai \"onboarding-agent\" deleted\n");
    assertThat(kubectl.run("get", "agr", "onboarding-agent").stderr()).contains("NotFound");
    assertThat(liveVersion("agent-onboarding")).contains(3);
    assertThat(activations("agent-onboarding")).isEqualTo(before + 1);
    assertThat(
            kubectl.ok("get", "events", "--field-selector", "involvedObject.name=onboarding-agent"))
        .contains("Restored");
  }

  @Test
  @Order(15)
  void aVersionPublishedWithTheSelectorsLabelIsActivatedOnAReconcileRequest() throws Exception {
    int before = activations("agent-faq");
    String reply = post(sandbox.adminUrl() + "/agents/agent-faq/publish?label=stable");
    assertThat(reply).contains("published version 5");
    assertThat(
            kubectl.ok(
                "annotate",
                "agr",
                "faq-agent",
                "atoms.smallest.ai/reconcile-requested-at=published-5",
                "--overwrite"))
        .isEqualTo("agentrelease.atoms.smallest.ai/faq-agent annotated\n");
    waitFor(
        "wait",
        "agr/faq-agent",
        "--for=jsonpath={.status.selected.versionNumber}=5",
        "--timeout=" + WAIT.toSeconds() + "s");
    waitFor(
        "wait", "agr/faq-agent", "--for=condition=Ready", "--timeout=" + WAIT.toSeconds() + "s");
    assertThat(liveVersion("agent-faq")).contains(5);
    assertThat(activations("agent-faq")).isEqualTo(before + 1);
    assertThat(kubectl.ok("get", "events", "--field-selector", "involvedObject.name=faq-agent"))
        .contains("VersionSelected");
  }

  @Test
  @Order(13)
  void deletingAReleaseLeavesTheLiveVersionAlone() {
    int calls = activations("agent-sales");
    assertThat(kubectl.ok("delete", "agr", "sales-agent", "--timeout=60s"))
        .isEqualTo("agentrelease.atoms.smallest.ai \"sales-agent\" deleted\n");
    assertThat(kubectl.run("get", "agr", "sales-agent").stderr())
        .contains(
            "Error from server (NotFound): agentreleases.atoms.smallest.ai \"sales-agent\" not found");
    assertThat(liveVersion("agent-sales")).contains(20);
    assertThat(activations("agent-sales")).isEqualTo(calls);
    assertThat(sandbox.operatorAlive()).isTrue();
  }

  private static List<String> columns(String line) {
    return Arrays.asList(line.trim().split("\\s{2,}|\\s+"));
  }

  private static String line(List<String> lines, String name) {
    return lines.stream()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no row " + name + " in\n" + String.join("\n", lines)));
  }

  private static List<String> row(List<String> lines, String name) {
    return lines.stream()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .map(SandboxKubectlIT::columns)
        .orElseThrow(
            () -> new AssertionError("no row " + name + " in\n" + String.join("\n", lines)));
  }

  private static String resource(String name) {
    try {
      return Path.of(SandboxKubectlIT.class.getClassLoader().getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String post(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }
}
