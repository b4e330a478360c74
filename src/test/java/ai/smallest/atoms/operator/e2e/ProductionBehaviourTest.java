package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.DriftPolicy;
import ai.smallest.atoms.operator.api.ManagementPolicy;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.SimVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production behaviours end to end: drift, observe-only, reconcile on demand, conflicts, credential
 * rotation, event de-duplication, metrics and health. Exact Atoms call counts are asserted through
 * the simulator's per-agent counters.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AtomsSimulatorResource.class, restrictToAnnotatedClass = true)
class ProductionBehaviourTest extends OperatorTestSupport {

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @TestHTTPResource("/q/health/ready")
  URL readiness;

  @jakarta.inject.Inject
  io.javaoperatorsdk.operator.api.config.ConfigurationService operatorConfiguration;

  @jakarta.inject.Inject ai.smallest.atoms.operator.reconciler.AgentReleaseReconciler reconciler;

  private static SimVersion live(String agent) {
    return sim().activeVersion(agent).orElseThrow();
  }

  /**
   * Issue #11: objects the CRD would refuse but a non-validating server stores. The watch must keep
   * serving every other release, including ones created after the poison.
   */
  @Test
  void poisonObjectsEndAsInvalidSpecAndNeverStopTheWatchForOthers() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    create(TestReleases.byNumber(ns, "before", agent, 2, SECRET));
    awaitReady(ns, "before");

    String poisonAgent = newAgent();
    Map<String, String> poisons =
        Map.of(
            "too-big",
            "{\"agentId\":\"%s\",\"versionNumber\":3000000000}",
            "wrong-type",
            "{\"agentId\":{\"id\":\"%s\"},\"versionNumber\":1}",
            "dot-dot",
            "{\"agentId\":\"..\",\"versionNumber\":1,\"x\":\"%s\"}",
            "not-an-object",
            "[\"%s\"]");
    // The CRD refuses each of these: planted as a server without validation stores them.
    apiServer.admission().disable(AGENT_RELEASES);
    try {
      poisons.forEach(
          (name, spec) ->
              kubernetes
                  .genericKubernetesResources("atoms.smallest.ai/v1alpha1", "AgentRelease")
                  .inNamespace(ns)
                  .resource(
                      kubernetes
                          .getKubernetesSerialization()
                          .unmarshal(
                              """
                            {"apiVersion":"atoms.smallest.ai/v1alpha1","kind":"AgentRelease",
                             "metadata":{"name":"%s","namespace":"%s"},"spec":%s}"""
                                  .formatted(name, ns, spec.formatted(poisonAgent)),
                              io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                  .create());
    } finally {
      apiServer.admission().enable(AGENT_RELEASES);
    }

    // A release created after the poison still converges: the watch kept running.
    String laterAgent = newAgent();
    sim().agent(laterAgent).publishedVersions(2).activeVersion(1);
    create(TestReleases.byNumber(ns, "after", laterAgent, 2, SECRET));
    awaitReady(ns, "after");

    assertThat(awaitReason(ns, "too-big", Reason.InvalidSpec.value()).getStatus().ready())
        .get()
        .extracting(c -> c.getMessage())
        .asString()
        .contains("spec.versionNumber is out of range");
    assertThat(awaitReason(ns, "wrong-type", Reason.InvalidSpec.value()).getStatus().ready())
        .get()
        .extracting(c -> c.getMessage())
        .asString()
        .contains("spec.agentId cannot be read");
    awaitReason(ns, "dot-dot", Reason.InvalidSpec.value());
    awaitReason(ns, "not-an-object", Reason.InvalidSpec.value());
    assertThat(sim().calls(LIST_VERSIONS, poisonAgent)).isZero();
    assertThat(sim().calls(ACTIVATE_VERSION, laterAgent)).isEqualTo(1);
  }

  @Test
  void driftIsCorrectedAtTheNextResyncWithOneActivationAndAnEvent() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 3, SECRET);
    release.getSpec().setInterval("1s");
    create(release);
    awaitReady(ns, "support");

    sim().consoleActivate(agent, sim().agent(agent).versionNumber(2).id(), "user_someone");
    await().atMost(TIMEOUT).until(() -> live(agent).versionNumber() == 3);

    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(2);
    awaitEvent(ns, "support", "Normal", Reason.DriftCorrected.value());
    AgentRelease corrected =
        awaitStatus(ns, "support", r -> r.getStatus().getHistory().size() == 2);
    assertThat(corrected.getStatus().getHistory())
        .extracting(ActivationRecord::getBy)
        .containsExactly(ActivationRecord.BY_DRIFT_CORRECTION, ActivationRecord.BY_OPERATOR);
    assertThat(scrape()).contains("atoms_operator_drift_corrections_total");
  }

  @Test
  void driftPolicyReportReportsWithoutReactivating() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 3, SECRET);
    release.getSpec().setDriftPolicy(DriftPolicy.Report);
    create(release);
    awaitReady(ns, "support");

    sim().consoleActivate(agent, sim().agent(agent).versionNumber(2).id(), "user_someone");
    requestReconcile(ns, "support", "drift-check-1");
    AgentRelease reported = awaitReason(ns, "support", Reason.DriftDetected.value());

    assertThat(reported.getStatus().getVersionNumber()).isEqualTo(2);
    assertThat(condition(reported, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(live(agent).versionNumber()).isEqualTo(2);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
    awaitEvent(ns, "support", "Warning", Reason.DriftDetected.value());
  }

  @Test
  void observeModeNeverActivatesAndReportsWhatIsLive() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(4);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 2, SECRET);
    release.getSpec().setManagementPolicy(ManagementPolicy.Observe);

    create(release);
    AgentRelease observed = awaitReason(ns, "support", Reason.ObserveOnly.value());

    assertThat(observed.getStatus().getVersionNumber()).isEqualTo(4);
    assertThat(condition(observed, Conditions.READY).getMessage())
        .contains("Manage would activate version 2");
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
    assertThat(live(agent).versionNumber()).isEqualTo(4);
  }

  @Test
  void reconcileRequestAnnotationTriggersAnImmediateResync() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(2);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReady(ns, "support");
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);

    requestReconcile(ns, "support", "2026-11-23T10:00:00Z");
    AgentRelease handled =
        awaitStatus(
            ns,
            "support",
            r -> "2026-11-23T10:00:00Z".equals(r.getStatus().getLastHandledReconcileAt()));

    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(2);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
    assertThat(condition(handled, Conditions.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedCheckOfAConfirmedReleaseIsRetriedWithoutTurningReadyFalse() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(2);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    String readySince =
        condition(awaitReady(ns, "support"), Conditions.READY).getLastTransitionTime();
    sim().injectFault(LIST_VERSIONS, Fault.status(503), 1);

    requestReconcile(ns, "support", "2026-11-23T11:00:00Z");
    AgentRelease handled =
        awaitStatus(
            ns,
            "support",
            r -> "2026-11-23T11:00:00Z".equals(r.getStatus().getLastHandledReconcileAt()));

    assertThat(sim().calls(LIST_VERSIONS, agent))
        .as("first sync, the failed check, its retry")
        .isEqualTo(3);
    assertThat(condition(handled, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(handled, Conditions.READY).getLastTransitionTime())
        .as("Ready never left True")
        .isEqualTo(readySince);
    assertThat(condition(handled, Conditions.READY).getMessage()).doesNotContain("failed");
    assertThat(eventsFor(ns, "support")).noneMatch(e -> "Warning".equals(e.getType()));
  }

  @Test
  void anOlderReleaseThatCannotActNeverBlocksAnotherTenantsRelease() {
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    String squatterNs = namespaceWithKey("a-key-atoms-does-not-know");
    String ownerNs = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    create(TestReleases.byNumber(squatterNs, "squat", agent, 3, SECRET));
    awaitReason(squatterNs, "squat", Reason.Unauthorized.value());

    create(TestReleases.byNumber(ownerNs, "owner", agent, 2, SECRET));

    awaitReady(ownerNs, "owner");
    assertThat(live(agent).versionNumber()).isEqualTo(2);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void aNamespaceMayManageOnlyTheAgentsItsAnnotationAllows() {
    String allowed = "tenant-x-" + newAgent();
    String refused = newAgent();
    sim().agent(allowed).publishedVersions(2).activeVersion(1);
    sim().agent(refused).publishedVersions(2).activeVersion(1);
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    kubernetes
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata()
                  .setAnnotations(Map.of(AgentRelease.ALLOWED_AGENTS_ANNOTATION, "tenant-x-*"));
              return n;
            });

    create(TestReleases.byNumber(ns, "refused", refused, 2, SECRET));
    create(TestReleases.byNumber(ns, "allowed", allowed, 2, SECRET));

    awaitReady(ns, "allowed");
    AgentRelease stalled = awaitReason(ns, "refused", Reason.AgentNotAllowed.value());
    assertThat(condition(stalled, Conditions.STALLED)).isNotNull();
    assertThat(sim().calls(LIST_VERSIONS, refused)).isZero();
    assertThat(sim().calls(ACTIVATE_VERSION, refused)).isZero();
  }

  @Test
  void newerReleaseOfTheSameAgentIsAConflictUntilTheOlderOneIsDeleted() {
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    String olderNs = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String newerNs = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    create(TestReleases.byNumber(olderNs, "first", agent, 2, SECRET));
    awaitReady(olderNs, "first");

    create(TestReleases.byNumber(newerNs, "second", agent, 3, SECRET));
    AgentRelease conflicted = awaitReason(newerNs, "second", Reason.Conflict.value());

    // Another tenant's release is not named.
    assertThat(condition(conflicted, Conditions.READY).getMessage())
        .contains("An AgentRelease in another namespace")
        .doesNotContain(olderNs);
    assertThat(condition(conflicted, Conditions.STALLED)).isNotNull();
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(live(agent).versionNumber()).isEqualTo(2);

    kubernetes.resources(AgentRelease.class).inNamespace(olderNs).withName("first").delete();
    awaitReady(newerNs, "second");
    assertThat(live(agent).versionNumber()).isEqualTo(3);
  }

  @Test
  void creatingTheMissingSecretRecoversWithoutWaitingForTheErrorInterval() {
    String ns = newNamespace();
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReason(ns, "support", Reason.SecretNotFound.value());

    kubernetes
        .secrets()
        .inNamespace(ns)
        .resource(secret(ns, AtomsSimulatorResource.API_KEY))
        .create();

    // The error retry interval is one hour in tests: only the Secret watch can recover this.
    awaitReady(ns, "support");
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void rotatingAWrongKeyRecoversFromUnauthorized() {
    String ns = namespaceWithKey("revoked-key");
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReason(ns, "support", Reason.Unauthorized.value());

    kubernetes
        .secrets()
        .inNamespace(ns)
        .resource(secret(ns, AtomsSimulatorResource.API_KEY))
        .update();

    awaitReady(ns, "support");
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(2);
    awaitEvent(ns, "support", "Normal", Reason.Activated.value());
  }

  @Test
  void aPersistentErrorEmitsOneWarningEventNotOnePerRetry() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    create(TestReleases.byNumber(ns, "support", agent, 1, SECRET));
    awaitReason(ns, "support", Reason.AgentNotFound.value());

    for (String request : new String[] {"retry-1", "retry-2"}) {
      requestReconcile(ns, "support", request);
      awaitStatus(ns, "support", r -> request.equals(r.getStatus().getLastHandledReconcileAt()));
    }

    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(3);
    assertThat(eventsFor(ns, "support"))
        .filteredOn(e -> Reason.AgentNotFound.value().equals(e.getReason()))
        .hasSize(1);
  }

  @Test
  void metricsExposeReconcilesApiRequestsLatencyAndReleasesByReason() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReady(ns, "support");

    String body = scrape();

    assertThat(body)
        .contains("atoms_operator_reconciles_total{outcome=\"Activated\"}")
        .contains("atoms_operator_activations_total{trigger=\"declared\"}")
        .contains("atoms_api_requests_total{endpoint=\"list_versions\",status_class=\"2xx\"}")
        .contains("atoms_api_requests_total{endpoint=\"activate_version\",status_class=\"2xx\"}")
        .contains("atoms_api_request_duration_seconds_bucket{endpoint=\"list_versions\"")
        .contains("atoms_operator_agentreleases{ready_reason=\"Activated\"}");
  }

  @Test
  void operatorSdkMetricsArePerControllerSoSeriesDoNotGrowWithReleases() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    for (String name : java.util.List.of("first", "second", "third")) {
      String agent = newAgent();
      sim().agent(agent).publishedVersions(1).activeVersion(1);
      create(TestReleases.byNumber(ns, name, agent, 1, SECRET));
      awaitReady(ns, name);
    }

    java.util.List<String> sdkSeries =
        scrape().lines().filter(line -> line.startsWith("operator_sdk_")).toList();

    assertThat(sdkSeries)
        .as("JOSDK reconcile metrics are exported")
        .anyMatch(l -> l.startsWith("operator_sdk_reconciliations"));
    assertThat(sdkSeries)
        .as("no JOSDK series names a release")
        .noneMatch(
            l ->
                l.contains("resource_name=")
                    || l.contains("name=\"first\"")
                    || l.contains("namespace=\"" + ns + "\""));
  }

  @Test
  void releasesAreLookedAtAgainWithinTheResyncIntervalEvenAfterJosdkGivesUpRetrying() {
    var controller = operatorConfiguration.getConfigurationFor(reconciler);

    assertThat(controller.maxReconciliationInterval())
        .contains(java.time.Duration.ofHours(1)); // atoms.resync-interval in tests
  }

  @Test
  void readinessReportsUpOnceTheOperatorIsRunning() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(readiness.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\": \"UP\"");
  }

  private String scrape() {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
