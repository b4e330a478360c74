package ai.smallest.atoms.operator.e2e;

import static ai.smallest.atoms.simulator.Endpoint.ACTIVATE_VERSION;
import static ai.smallest.atoms.simulator.Endpoint.LIST_VERSIONS;
import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.harness.EmbeddedApiServerResource;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.api.VersionSelector;
import ai.smallest.atoms.operator.api.VersionStrategy;
import ai.smallest.atoms.simulator.ListOrder;
import ai.smallest.atoms.simulator.SimVersion;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The release policies of issue #15 end to end (activation windows, the drift-loop guard, restore
 * on delete, version selectors): the operator running for real against the embedded Kubernetes API
 * server and the Atoms simulator, with the exact Atoms calls each one makes.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AtomsSimulatorResource.class, restrictToAnnotatedClass = true)
class ReleasePoliciesOperatorTest extends OperatorTestSupport {

  private static int activations(String agent) {
    return sim().calls(ACTIVATE_VERSION, agent);
  }

  private static int lists(String agent) {
    return sim().calls(LIST_VERSIONS, agent);
  }

  private static int liveNumber(String agent) {
    return sim().activeVersion(agent).map(SimVersion::versionNumber).orElseThrow();
  }

  private void annotate(String ns, String name, String key, String value) {
    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              Map<String, String> annotations = new HashMap<>();
              if (r.getMetadata().getAnnotations() != null) {
                annotations.putAll(r.getMetadata().getAnnotations());
              }
              annotations.put(key, value);
              r.getMetadata().setAnnotations(annotations);
              return r;
            });
  }

  // ---- activation windows ----

  /** A daily window that opens two hours from now (UTC): closed for the whole test. */
  private static ActivationWindow closedWindow() {
    int hour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(2).getHour();
    return new ActivationWindow("0 " + hour + " * * *", "1h", "UTC");
  }

  @Test
  void outsideTheWindowsNothingIsActivatedUntilAnActivateNowLetsItThroughOnce() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(5);
    AgentRelease release = TestReleases.byNumber(ns, "windowed", agent, 3, SECRET);
    release.getSpec().setActivationWindows(List.of(closedWindow()));

    create(release);
    AgentRelease waiting = awaitReason(ns, "windowed", Reason.OutsideActivationWindow.value());

    assertThat(condition(waiting, Conditions.READY).getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(condition(waiting, Conditions.READY).getMessage())
        .contains("version 3 will be activated when the next window opens at")
        .contains("version 5 stays live");
    assertThat(condition(waiting, Conditions.RECONCILING).getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(waiting.getStatus().getVersionNumber()).isEqualTo(5);
    assertThat(lists(agent)).isEqualTo(1);
    assertThat(activations(agent)).isZero();
    awaitEvent(ns, "windowed", "Normal", Reason.OutsideActivationWindow.value());

    annotate(ns, "windowed", AgentRelease.ACTIVATE_NOW, "2026-11-23T10:00:00Z");
    AgentRelease ready = awaitReady(ns, "windowed");

    assertThat(ready.getStatus().getLastHandledActivateNow()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(ready.getStatus().getVersionNumber()).isEqualTo(3);
    assertThat(liveNumber(agent)).isEqualTo(3);
    assertThat(lists(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(1);
  }

  @Test
  void insideAnOpenWindowTheDeclaredVersionIsActivatedAtOnce() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(4);
    AgentRelease release = TestReleases.byNumber(ns, "open", agent, 2, SECRET);
    // Every hour, for an hour: always open.
    release.getSpec().setActivationWindows(List.of(new ActivationWindow("0 * * * *", "1h", "UTC")));

    create(release);
    awaitReady(ns, "open");

    assertThat(liveNumber(agent)).isEqualTo(2);
    assertThat(lists(agent)).isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);
  }

  // ---- drift-loop guard ----

  @Test
  void aDriftLoopStopsEnforcingAfterThreeCorrectionsAndAReconcileRequestResumesIt() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(1);
    AgentRelease release = TestReleases.byNumber(ns, "fought", agent, 2, SECRET);
    release.getSpec().setInterval("1s");
    create(release);
    awaitReady(ns, "fought");
    String other = sim().agent(agent).versionNumber(1).id();

    // A script keeps activating v1; the operator corrects it three times (the default).
    for (int correction = 1; correction <= 3; correction++) {
      sim().consoleActivate(agent, other, "user_script");
      int expected = 1 + correction;
      org.awaitility.Awaitility.await()
          .atMost(TIMEOUT)
          .until(() -> activations(agent) == expected && liveNumber(agent) == 2);
    }
    sim().consoleActivate(agent, other, "user_script");
    AgentRelease stopped = awaitReason(ns, "fought", Reason.DriftLoop.value());

    assertThat(condition(stopped, Conditions.STALLED).getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(condition(stopped, Conditions.READY).getMessage())
        .contains("version 1")
        .contains("activated again by user_script");
    assertThat(stopped.getStatus().getVersionNumber()).isEqualTo(1);
    awaitEvent(ns, "fought", "Warning", Reason.DriftLoop.value());
    // It keeps observing every second, and never activates again by itself.
    int listsWhenStopped = lists(agent);
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> lists(agent) >= listsWhenStopped + 2);
    assertThat(activations(agent)).isEqualTo(4);
    assertThat(liveNumber(agent)).isEqualTo(1);
    assertThat(eventsFor(ns, "fought").stream().filter(e -> "DriftLoop".equals(e.getReason())))
        .hasSize(1);

    requestReconcile(ns, "fought", "resume");
    AgentRelease resumed = awaitReady(ns, "fought");

    assertThat(resumed.getStatus().getDriftGuardResetAt()).isNotBlank();
    assertThat(liveNumber(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(5);
  }

  // ---- deletionPolicy Restore ----

  private AgentRelease restoreRelease(String ns, String name, String agent, int version) {
    AgentRelease release = TestReleases.byNumber(ns, name, agent, version, SECRET);
    release.getSpec().setDeletionPolicy(ai.smallest.atoms.operator.api.DeletionPolicy.Restore);
    return create(release);
  }

  private void awaitGone(String ns, String name) {
    org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> get(ns, name) == null);
  }

  @Test
  void deletingARestoreReleaseReactivatesWhatWasLiveBeforeItAndThenItIsGone() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(5).activeVersion(5);

    restoreRelease(ns, "restoring", agent, 2);
    AgentRelease ready = awaitReady(ns, "restoring");
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> get(ns, "restoring").hasFinalizer(AgentRelease.RESTORE_FINALIZER));
    assertThat(ready.getStatus().getPreviousVersion().getVersionNumber()).isEqualTo(5);
    assertThat(liveNumber(agent)).isEqualTo(2);

    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("restoring").delete();
    awaitGone(ns, "restoring");

    assertThat(liveNumber(agent)).isEqualTo(5);
    assertThat(activations(agent)).isEqualTo(2);
    assertThat(lists(agent)).isEqualTo(2);
    awaitEvent(ns, "restoring", "Normal", Reason.Restored.value());
  }

  @Test
  void anOrphanReleaseHasNoFinalizerAndItsDeletionChangesNothing() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(3);
    create(TestReleases.byNumber(ns, "orphan", agent, 1, SECRET));
    AgentRelease ready = awaitReady(ns, "orphan");
    assertThat(ready.getMetadata().getFinalizers()).isNullOrEmpty();
    assertThat(ready.getStatus().getPreviousVersion()).isNull();

    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("orphan").delete();
    awaitGone(ns, "orphan");

    assertThat(liveNumber(agent)).isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);
  }

  @Test
  void switchingToOrphanTakesTheFinalizerOff() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(3);
    restoreRelease(ns, "switched", agent, 1);
    awaitReady(ns, "switched");
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> get(ns, "switched").hasFinalizer(AgentRelease.RESTORE_FINALIZER));

    kubernetes
        .resources(AgentRelease.class)
        .inNamespace(ns)
        .withName("switched")
        .edit(
            r -> {
              r.getSpec().setDeletionPolicy(ai.smallest.atoms.operator.api.DeletionPolicy.Orphan);
              return r;
            });

    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> !get(ns, "switched").hasFinalizer(AgentRelease.RESTORE_FINALIZER));
    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("switched").delete();
    awaitGone(ns, "switched");
    assertThat(liveNumber(agent)).isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);
  }

  @Test
  void aRestoreThatKeepsFailingGivesUpAfterFiveAttemptsAndTheReleaseIsGone() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(3);
    restoreRelease(ns, "stuck", agent, 1);
    awaitReady(ns, "stuck");
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> get(ns, "stuck").hasFinalizer(AgentRelease.RESTORE_FINALIZER));
    sim().injectFault(ACTIVATE_VERSION, ai.smallest.atoms.simulator.Fault.status(503), 5);

    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("stuck").delete();
    awaitGone(ns, "stuck");

    assertThat(activations(agent)).as("one activation, then five failed restores").isEqualTo(6);
    assertThat(liveNumber(agent)).isEqualTo(1);
    awaitEvent(ns, "stuck", "Warning", Reason.RestoreFailed.value());
  }

  @Test
  void theSkipRestoreAnnotationLetsTheReleaseGoWithoutAnyActivation() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(3).activeVersion(3);
    restoreRelease(ns, "skipped", agent, 1);
    awaitReady(ns, "skipped");
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> get(ns, "skipped").hasFinalizer(AgentRelease.RESTORE_FINALIZER));
    annotate(ns, "skipped", AgentRelease.SKIP_RESTORE, "true");

    kubernetes.resources(AgentRelease.class).inNamespace(ns).withName("skipped").delete();
    awaitGone(ns, "skipped");

    assertThat(liveNumber(agent)).isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);
    awaitEvent(ns, "skipped", "Warning", Reason.RestoreSkipped.value());
  }

  // ---- spec.versionSelector ----

  private AgentRelease selectorRelease(
      String ns, String name, String agent, VersionStrategy strategy, String label) {
    AgentRelease release = TestReleases.byNumber(ns, name, agent, 1, SECRET);
    release.getSpec().setVersionNumber(null);
    release.getSpec().setVersionSelector(new VersionSelector(strategy, label, null));
    return create(release);
  }

  @Test
  void latestPinnedActivatesTheHighestPinnedVersionAndFollowsANewPin() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(150).pinned(40).pinned(120).activeVersion(150);

    selectorRelease(ns, "pinned", agent, VersionStrategy.LatestPinned, null);
    AgentRelease ready = awaitReady(ns, "pinned");

    assertThat(ready.getStatus().getSelected().getVersionNumber()).isEqualTo(120);
    assertThat(liveNumber(agent)).isEqualTo(120);
    assertThat(lists(agent)).as("one page of pinned versions").isEqualTo(1);
    assertThat(activations(agent)).isEqualTo(1);

    sim().agent(agent).pinned(130);
    requestReconcile(ns, "pinned", "after-pin");
    AgentRelease moved =
        awaitStatus(
            ns,
            "pinned",
            r ->
                Integer.valueOf(130).equals(r.getStatus().getVersionNumber())
                    && "after-pin".equals(r.getStatus().getLastHandledReconcileAt()));

    assertThat(moved.getStatus().getSelected().getVersionNumber()).isEqualTo(130);
    assertThat(liveNumber(agent)).isEqualTo(130);
    assertThat(lists(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(2);
    awaitSelectedEvent(ns, "pinned", "selects version 130");
  }

  /** Waits for a VersionSelected Event of {@code name} whose message contains {@code text}. */
  private List<Event> awaitSelectedEvent(String ns, String name, String text) {
    return org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(
            () -> eventsFor(ns, name),
            events ->
                events.stream()
                    .anyMatch(
                        e ->
                            "Normal".equals(e.getType())
                                && Reason.VersionSelected.value().equals(e.getReason())
                                && e.getMessage().contains(text)));
  }

  @Test
  void latestPicksTheHighestPublishedInAnyListOrderAndANewPublicationAfterAReconcileRequest() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(250).activeVersion(200);
    // The contract promises no order: the highest version is on no particular page.
    sim().listOrder(ListOrder.SHUFFLED);
    try {
      selectorRelease(ns, "latest", agent, VersionStrategy.Latest, null);
      AgentRelease ready = awaitReady(ns, "latest");

      assertThat(ready.getStatus().getSelected().getVersionNumber()).isEqualTo(250);
      assertThat(ready.getStatus().getVersionNumber()).isEqualTo(250);
      assertThat(liveNumber(agent)).isEqualTo(250);
      assertThat(lists(agent)).as("every page of 100: 250 versions").isEqualTo(3);
      assertThat(activations(agent)).isEqualTo(1);
      awaitSelectedEvent(ns, "latest", "selects version 250");

      sim().agent(agent).publish("v251");
      requestReconcile(ns, "latest", "after-publish");
      AgentRelease moved =
          awaitStatus(
              ns,
              "latest",
              r ->
                  "after-publish".equals(r.getStatus().getLastHandledReconcileAt())
                      && r.isReadyForCurrentGeneration());

      assertThat(moved.getStatus().getSelected().getVersionNumber()).isEqualTo(251);
      assertThat(liveNumber(agent)).isEqualTo(251);
      assertThat(activations(agent)).as("exactly one more activation").isEqualTo(2);
      assertThat(lists(agent)).as("every page again: 251 versions").isEqualTo(6);
      awaitSelectedEvent(ns, "latest", "selects version 251");
      assertThat(
              eventsFor(ns, "latest").stream()
                  .filter(e -> Reason.VersionSelected.value().equals(e.getReason()))
                  .count())
          .as("one VersionSelected Event per selection")
          .isEqualTo(2);
    } finally {
      sim().listOrder(ListOrder.NEWEST_FIRST);
    }
  }

  @Test
  void noLabelledVersionIsNoVersionSelectedUntilOneIsLabelled() {
    String ns = namespaceWithKey(AtomsSimulatorResource.API_KEY);
    String agent = newAgent();
    sim().agent(agent).publishedVersions(4).activeVersion(4);

    selectorRelease(ns, "labelled", agent, VersionStrategy.LatestLabeled, "stable");
    AgentRelease stalled = awaitReason(ns, "labelled", Reason.NoVersionSelected.value());

    assertThat(condition(stalled, Conditions.STALLED).getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(stalled.getStatus().getSelected()).isNull();
    assertThat(activations(agent)).isZero();
    awaitEvent(ns, "labelled", "Warning", Reason.NoVersionSelected.value());

    sim().agent(agent).label(2, "stable");
    requestReconcile(ns, "labelled", "labelled");
    AgentRelease ready = awaitReady(ns, "labelled");

    assertThat(ready.getStatus().getSelected().getVersionNumber()).isEqualTo(2);
    assertThat(liveNumber(agent)).isEqualTo(2);
    assertThat(activations(agent)).isEqualTo(1);
    assertThat(lists(agent)).isEqualTo(2);
  }
}
