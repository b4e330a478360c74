package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.smallest.atoms.apiserver.RequestFilter;
import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.reconciler.AgentReleaseReconciler;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.SimVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator running for real (JOSDK informers, status patches, events) against the embedded
 * Kubernetes API server and the project's Atoms simulator. Every test uses its own agent and
 * namespace, and asserts both the status it reads back and the exact Atoms calls made.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AtomsSimulatorResource.class, restrictToAnnotatedClass = true)
class AgentReleaseOperatorTest extends OperatorTestSupport {

  private static final List<String> LOG_LINES = new CopyOnWriteArrayList<>();
  private static final Handler LOG_CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          String message = record.getMessage();
          if (record.getParameters() != null) {
            message += " " + List.of(record.getParameters());
          }
          if (record.getThrown() != null) {
            message += " " + record.getThrown();
          }
          LOG_LINES.add(message);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Inject AgentReleaseReconciler reconciler;

  @BeforeAll
  static void captureLogs() {
    java.util.logging.Logger.getLogger("").addHandler(LOG_CAPTURE);
  }

  @AfterAll
  static void stopCapturingLogs() {
    java.util.logging.Logger.getLogger("").removeHandler(LOG_CAPTURE);
  }

  @Test
  void activatesAnInactiveDesiredVersionWithOneListAndOneActivateCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(5);

    create(TestReleases.byNumber(ns, "support", agent, 3, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    AgentReleaseStatus status = ready.getStatus();
    assertThat(status.getVersionNumber()).isEqualTo(3);
    assertThat(status.getVersionId()).isEqualTo(sim().agent(agent).versionNumber(3).id());
    assertThat(status.getActivated()).isTrue();
    assertThat(status.getActivatedBy()).isEqualTo(AtomsSimulatorResource.USER_ID);
    assertThat(status.getActivatedAt()).isNotBlank();
    assertThat(status.getLastSyncedAt()).isNotBlank();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(ready, Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
    assertThat(condition(ready, Conditions.RECONCILING)).isNull();
    assertThat(condition(ready, Conditions.STALLED)).isNull();
    assertThat(sim().activeVersion(agent)).map(SimVersion::versionNumber).contains(3);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> eventsFor(ns, "support"),
            events ->
                events.stream()
                    .anyMatch(
                        e ->
                            "Normal".equals(e.getType())
                                && Reason.Activated.value().equals(e.getReason())));
  }

  @Test
  void resyncsThatFindNothingChangedListOnceEachAndWriteNothingToKubernetes() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(3);
    AgentRelease release = TestReleases.byNumber(ns, "quiet", agent, 3, SECRET);
    release.getSpec().setInterval("1s");
    create(release);
    AgentRelease ready = awaitReady(ns, "quiet");
    awaitEvent(ns, "quiet", "Normal", Reason.UpToDate.value()); // the first look's last write
    RequestFilter writes = OPERATOR.writes().namespace(ns);
    long writesWhenReady = apiServer.requests().count(writes);
    int listsWhenReady = sim().calls(LIST_VERSIONS, agent);

    // Three more resyncs (1 s apart, ±10%): each one list call, and not one Kubernetes write.
    await().atMost(TIMEOUT).until(() -> sim().calls(LIST_VERSIONS, agent) >= listsWhenReady + 3);

    assertThat(apiServer.requests().count(writes)).isEqualTo(writesWhenReady);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
    assertThat(get(ns, "quiet").getStatus().getLastSyncedAt())
        .as("a heartbeat, not a resync, moves it")
        .isEqualTo(ready.getStatus().getLastSyncedAt());
    // Its one-second resyncs would take the faults other tests inject into the simulator.
    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("quiet").delete();
    await().atMost(TIMEOUT).until(() -> get(ns, "quiet") == null);
  }

  @Test
  void makesNoActivateCallWhenTheDesiredVersionIsAlreadyActive() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(2);

    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    assertThat(ready.getStatus().getActivated()).isFalse();
    assertThat(ready.getStatus().getActivatedBy()).isEqualTo("user_console");
    assertThat(condition(ready, Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
  }

  @Test
  void anUnchangedReconcileMakesNoApiCallAndNoStatusWrite() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 3, SECRET));
    AgentRelease ready = awaitReady(ns, "support");
    int calls = sim().calls(LIST_VERSIONS, agent) + sim().calls(ACTIVATE_VERSION, agent);

    UpdateControl<AgentRelease> control = reconciler.reconcile(get(ns, "support"), null);

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(sim().calls(LIST_VERSIONS, agent) + sim().calls(ACTIVATE_VERSION, agent))
        .isEqualTo(calls);
    assertThat(get(ns, "support").getMetadata().getResourceVersion())
        .isEqualTo(ready.getMetadata().getResourceVersion());
  }

  @Test
  void changingTheDesiredVersionActivatesExactlyOnceMore() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(1);
    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReady(ns, "support");

    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName("support")
        .edit(
            r -> {
              r.getSpec().setVersionNumber(4);
              return r;
            });
    AgentRelease ready =
        awaitStatus(
            ns, "support", r -> Integer.valueOf(4).equals(r.getStatus().getVersionNumber()));

    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(ready, Conditions.READY).getObservedGeneration()).isEqualTo(2L);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(2);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(2);
    assertThat(sim().activeVersion(agent)).map(SimVersion::versionNumber).contains(4);
  }

  @Test
  void statusWritesFromTheTrimmedCacheLeaveEverythingTheCacheDroppedOnTheServer() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 2, SECRET);
    String lastApplied = "{\"kind\":\"AgentRelease\",\"spec\":{\"versionNumber\":2}}";
    release
        .getMetadata()
        .setAnnotations(
            Map.of(
                "kubectl.kubernetes.io/last-applied-configuration",
                lastApplied,
                "example.com/owner",
                "team-support"));
    release.getMetadata().setLabels(Map.of("app", "support"));
    create(release);
    awaitReady(ns, "support");
    // A second status write, from a cache entry that was read (and trimmed) after the first.
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName("support")
        .edit(
            r -> {
              r.getSpec().setVersionNumber(4);
              return r;
            });
    awaitStatus(ns, "support", r -> Integer.valueOf(4).equals(r.getStatus().getVersionNumber()));

    // Read untyped, so no AgentRelease deserialiser (trimming or not) is involved.
    GenericKubernetesResource stored =
        kubernetes
            .genericKubernetesResources("atoms.smallest.ai/v1alpha1", "AgentRelease")
            .inNamespace(ns)
            .withName("support")
            .get();
    assertThat(stored.getMetadata().getAnnotations())
        .containsEntry("kubectl.kubernetes.io/last-applied-configuration", lastApplied)
        .containsEntry("example.com/owner", "team-support");
    assertThat(stored.getMetadata().getLabels()).containsEntry("app", "support");
    List<ManagedFieldsEntry> managed = stored.getMetadata().getManagedFields();
    // The creator's entry (spec, labels, annotations) survives the operator's status writes,
    // and the operator owns only status.
    assertThat(managed)
        .filteredOn(e -> e.getSubresource() == null)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFieldsV1().getAdditionalProperties())
                    .containsKeys("f:metadata", "f:spec"));
    assertThat(managed)
        .filteredOn(e -> "status".equals(e.getSubresource()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFieldsV1().getAdditionalProperties()).containsOnlyKeys("f:status"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("agentId", agent).containsEntry("versionNumber", 4);
  }

  @Test
  void findsAVersionOnPageThreeOf250WithThreeListCalls() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(250).activeVersion(250);

    // Newest first: versions 250..151 on page 1, 150..51 on page 2, 50..1 on page 3.
    create(TestReleases.byNumber(ns, "support", agent, 10, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(10);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(3);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void releasesByVersionIdActivateThatVersion() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(4);
    String wanted = sim().agent(agent).versionNumber(2).id();

    create(TestReleases.byId(ns, "support", agent, wanted, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(2);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void unknownAgentIsStalledAfterOneListCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();

    create(TestReleases.byNumber(ns, "support", agent, 1, SECRET));
    AgentRelease stalled = awaitReason(ns, "support", Reason.AgentNotFound.value());

    assertThat(condition(stalled, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(stalled, Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(stalled, Conditions.READY).getMessage()).contains(agent);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> eventsFor(ns, "support"),
            events ->
                events.stream()
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && Reason.AgentNotFound.value().equals(e.getReason())));
  }

  @Test
  void unpublishedVersionNumberIsVersionNotFoundWithoutActivation() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(5);

    create(TestReleases.byNumber(ns, "support", agent, 99, SECRET));
    AgentRelease stalled = awaitReason(ns, "support", Reason.VersionNotFound.value());

    assertThat(condition(stalled, Conditions.STALLED)).isNotNull();
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
    assertThat(sim().activeVersion(agent)).map(SimVersion::versionNumber).contains(5);
  }

  @Test
  void draftVersionIsVersionNotPublishedAndNothingChangesOnAtoms() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(2);
    SimVersion draft = sim().agent(agent).draft("work in progress");

    create(TestReleases.byId(ns, "support", agent, draft.id(), SECRET));
    AgentRelease stalled = awaitReason(ns, "support", Reason.VersionNotPublished.value());

    assertThat(condition(stalled, Conditions.STALLED)).isNotNull();
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    // Atoms itself refuses the draft (400): one call, then the long error interval.
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
    assertThat(sim().activeVersion(agent)).map(SimVersion::versionNumber).contains(2);
  }

  @Test
  void unknownVersionIdIsVersionNotFound() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(2);

    create(TestReleases.byId(ns, "support", agent, "000000000000000000000bad", SECRET));
    awaitReason(ns, "support", Reason.VersionNotFound.value());

    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void wrongApiKeyIsUnauthorizedAfterOneCall() {
    String ns = namespaceWithKey("not-a-valid-key");
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);

    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    AgentRelease stalled = awaitReason(ns, "support", Reason.Unauthorized.value());

    assertThat(condition(stalled, Conditions.STALLED)).isNotNull();
    assertThat(condition(stalled, Conditions.READY).getMessage()).contains(ns + "/" + SECRET);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
  }

  @Test
  void forbiddenAgentIsStalledAfterOneCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).workflowType("workflow_graph").publishedVersions(2).activeVersion(1);
    sim().forbid(agent);

    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReason(ns, "support", Reason.Forbidden.value());

    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(1);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isZero();
  }

  @Test
  void missingSecretIsReportedWithoutAnyApiCall() {
    String ns = newNamespace();
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);

    create(TestReleases.byNumber(ns, "support", agent, 2, "does-not-exist"));
    AgentRelease stalled = awaitReason(ns, "support", Reason.SecretNotFound.value());

    assertThat(condition(stalled, Conditions.READY).getMessage()).contains(ns + "/does-not-exist");
    assertThat(condition(stalled, Conditions.STALLED)).isNotNull();
    assertThat(sim().calls(LIST_VERSIONS, agent)).isZero();
  }

  @Test
  void secretWithoutTheKeyIsReportedWithoutAnyApiCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 2, SECRET);
    release.getSpec().getApiKeySecretRef().setKey("token");

    create(release);
    AgentRelease stalled = awaitReason(ns, "support", Reason.SecretNotFound.value());

    assertThat(condition(stalled, Conditions.READY).getMessage()).contains("key token");
    assertThat(sim().calls(LIST_VERSIONS, agent)).isZero();
  }

  @Test
  void transientServerErrorsAndRateLimitsAreRetriedUntilReady() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    sim().injectFault(LIST_VERSIONS, agent, Fault.status(503), 1);
    sim().injectFault(LIST_VERSIONS, agent, Fault.tooManyRequests(1), 1);

    create(TestReleases.byNumber(ns, "support", agent, 3, SECRET));
    AgentRelease ready = awaitReady(ns, "support");

    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(3);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(3);
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
    assertThat(condition(ready, Conditions.RECONCILING)).isNull();
  }

  @Test
  void failedActivationIsRetriedWithoutDuplicateActivation() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    sim().injectFault(ACTIVATE_VERSION, agent, Fault.status(500), 1);

    create(TestReleases.byNumber(ns, "support", agent, 2, SECRET));
    awaitReady(ns, "support");

    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(2);
    assertThat(sim().calls(LIST_VERSIONS, agent)).isEqualTo(2);
  }

  @Test
  void suspendedReleaseMakesNoApiCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 2, SECRET);
    release.getSpec().setSuspend(true);

    create(release);
    awaitReason(ns, "support", Reason.Suspended.value());
    assertThat(sim().calls(LIST_VERSIONS, agent)).isZero();

    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName("support")
        .edit(
            r -> {
              r.getSpec().setSuspend(false);
              return r;
            });
    awaitReady(ns, "support");
    assertThat(sim().calls(ACTIVATE_VERSION, agent)).isEqualTo(1);
  }

  @Test
  void specWithBothVersionFieldsIsInvalidAndMakesNoApiCall() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "support", agent, 2, SECRET);
    release.getSpec().setVersionId("also-an-id");

    // The CRD's CEL rule refuses this; a cluster with an older CRD may still hold it.
    createWithoutAdmission(release);
    AgentRelease stalled = awaitReason(ns, "support", Reason.InvalidSpec.value());

    assertThat(condition(stalled, Conditions.READY).getMessage()).contains("exactly one of");
    assertThat(sim().calls(LIST_VERSIONS, agent)).isZero();
  }

  @Test
  void apiKeyNeverAppearsInLogsEventsOrStatus() throws Exception {
    String goodNs = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String badKey = "sk-wrong-7d1e2f";
    String badNs = namespaceWithKey(badKey);
    String agent = newAgent();
    String otherAgent = newAgent();
    sim().agent(agent).publishedVersions(2).activeVersion(1);
    sim().agent(otherAgent).publishedVersions(2).activeVersion(1);

    create(TestReleases.byNumber(goodNs, "good", agent, 2, SECRET));
    create(TestReleases.byNumber(badNs, "bad", otherAgent, 2, SECRET));
    AgentRelease good = awaitReady(goodNs, "good");
    AgentRelease bad = awaitReason(badNs, "bad", Reason.Unauthorized.value());
    await().atMost(TIMEOUT).until(() -> !eventsFor(badNs, "bad").isEmpty());

    ObjectMapper json = new ObjectMapper();
    String everything =
        json.writeValueAsString(
                List.of(good, bad, eventsFor(goodNs, "good"), eventsFor(badNs, "bad")))
            + LOG_LINES;
    assertThat(LOG_LINES).isNotEmpty();
    assertThat(everything).doesNotContain(AtomsSimulatorResource.API_KEY).doesNotContain(badKey);
  }
}
