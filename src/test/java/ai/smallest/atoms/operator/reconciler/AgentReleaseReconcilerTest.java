package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.operator.MutableClock;
import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AccountRateLimiter;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.VersionPage;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.MissingApiKeyException;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pure reconcile logic with a mocked Atoms client: which calls are made, what status says. */
class AgentReleaseReconcilerTest {

  private static final String SECRET_KEY = "sk-live-0123456789";
  private static final ApiKey KEY = ApiKey.of(SECRET_KEY);
  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final Duration ERROR_RETRY = Duration.ofMinutes(5);
  private static final Duration HEARTBEAT = Duration.ofHours(1);

  private final AtomsClient atoms = mock(AtomsClient.class);
  private final ApiKeyResolver apiKeys = mock(ApiKeyResolver.class);
  private final ReleaseEvents events = mock(ReleaseEvents.class);
  private final OperatorConfig config = mock(OperatorConfig.class);
  private final OperatorConfig.Drift drift = mock(OperatorConfig.Drift.class);
  private final OperatorConfig.Restore restoreConfig = mock(OperatorConfig.Restore.class);
  private final ReleaseIndex releases = mock(ReleaseIndex.class);
  private final AccountRateLimiter accounts = new AccountRateLimiter(1_000_000, 4);
  private OperatorMetrics metrics;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private AgentReleaseReconciler reconciler;
  private int statusWrites;
  private int intentWrites;
  private StatusWriter writer;
  private RequeuePolicy requeue;
  private AgentRelease release;

  @BeforeEach
  void setUp() {
    when(config.resyncInterval()).thenReturn(RESYNC);
    when(config.statusHeartbeat()).thenReturn(HEARTBEAT);
    when(config.errorRetryInterval()).thenReturn(ERROR_RETRY);
    when(apiKeys.resolve(any())).thenReturn(new ResolvedApiKey(KEY, "Secret ns/atoms, key apiKey"));
    when(config.historyLimit()).thenReturn(10);
    when(config.conflictRecheckInterval()).thenReturn(Duration.ofSeconds(30));
    when(config.drift()).thenReturn(drift);
    when(drift.maxCorrections()).thenReturn(3);
    when(drift.window()).thenReturn(Duration.ofMinutes(30));
    metrics = new OperatorMetrics(new SimpleMeterRegistry());
    reconciler = reconcilerWith(accounts);
    release = TestReleases.byNumber("ns", "support", "agent-1", 2, "atoms");
  }

  /** The reconciler of these tests, its Atoms accounts limited by {@code limiter}. */
  private AgentReleaseReconciler reconcilerWith(AccountRateLimiter limiter) {
    RetryBackoff backoff =
        new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
    // random 0.5 = no jitter, so resync delays are exact.
    requeue = new RequeuePolicy(config, backoff, () -> 0.5);
    // The writer stands in for JOSDK's cache-updating status patch: the next reconcile sees it.
    writer =
        (written, status, context) -> {
          statusWrites++;
          if (status.getPendingActivation() != null
              && (written.getStatus() == null
                  || !status
                      .getPendingActivation()
                      .equals(written.getStatus().getPendingActivation()))) {
            intentWrites++;
          }
          written.setStatus(status);
          return written;
        };
    return new AgentReleaseReconciler(
        new ReleaseSync(
            atoms,
            apiKeys,
            releases,
            TestPolicies.OPEN_TENANCY,
            TestPolicies.NO_LEADER_ELECTION,
            clock,
            new DriftLoopGuard(config),
            limiter),
        apiKeys,
        new AccountWakeups(limiter),
        releases,
        requeue,
        events,
        writer,
        metrics,
        restoreFinalizer(requeue, writer),
        config,
        clock);
  }

  /** Finalizer patches, as the stored object would show them: "add", "remove". */
  private final List<String> finalizerPatches = new java.util.ArrayList<>();

  private RestoreFinalizer restoreFinalizer(RequeuePolicy requeue, StatusWriter writer) {
    when(config.restore()).thenReturn(restoreConfig);
    when(restoreConfig.maxAttempts()).thenReturn(3);
    RestoreFinalizer.Finalizers finalizers =
        new RestoreFinalizer.Finalizers() {
          @Override
          public AgentRelease add(
              AgentRelease r, io.javaoperatorsdk.operator.api.reconciler.Context<AgentRelease> c) {
            finalizerPatches.add("add");
            r.addFinalizer(AgentRelease.RESTORE_FINALIZER);
            return r;
          }

          @Override
          public AgentRelease remove(
              AgentRelease r, io.javaoperatorsdk.operator.api.reconciler.Context<AgentRelease> c) {
            finalizerPatches.add("remove");
            r.removeFinalizer(AgentRelease.RESTORE_FINALIZER);
            return r;
          }
        };
    return new RestoreFinalizer(
        new RestoreOnDelete(
            atoms, apiKeys, releases, TestPolicies.NO_LEADER_ELECTION, config, clock, accounts),
        finalizers,
        events,
        writer,
        requeue,
        new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0),
        config,
        clock);
  }

  private static AgentVersion version(int number, boolean active) {
    return new AgentVersion(
        "id" + number,
        "agent-1",
        "published",
        number,
        "v" + number,
        active,
        active ? "2026-01-01T00:00:00Z" : null,
        "user");
  }

  private void agentHas(AgentVersion... versions) {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenReturn(new VersionPage(List.of(versions), versions.length));
  }

  private Condition condition(String type) {
    return release.getStatus().condition(type).orElse(null);
  }

  @Test
  void activatesTheDesiredVersionOnceWhenItIsInactive() {
    agentHas(version(3, true), version(2, false), version(1, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    // The intent before the call, the outcome after it: one write more per activation.
    assertThat(statusWrites).isEqualTo(2);
    assertThat(release.getStatus().getPendingActivation()).isNull();
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
    assertThat(release.getStatus().getVersionNumber()).isEqualTo(2);
    assertThat(release.getStatus().getActivated()).isTrue();
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
  }

  @Test
  void makesNoActivateCallWhenTheDesiredVersionIsAlreadyActive() {
    agentHas(version(3, false), version(2, true));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(release.getStatus().getActivated()).isFalse();
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
  }

  @Test
  void aSecondReconcileWithinTheResyncIntervalCallsNothingAndWritesNothing() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);

    UpdateControl<AgentRelease> second = reconciler.reconcile(release, null);

    assertThat(statusWrites).isEqualTo(1);
    verify(atoms, times(1)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(second.getScheduleDelay()).contains(RESYNC.toMillis());
  }

  @Test
  void routineResyncsThatFindNothingChangedListOnceEachAndWriteOnlyTheHourlyHeartbeat() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    assertThat(statusWrites).isEqualTo(1);

    for (int resync = 1; resync <= 5; resync++) {
      clock.advance(RESYNC);
      reconciler.reconcile(release, null);
    }
    assertThat(statusWrites).as("five resyncs within the heartbeat: no write").isEqualTo(1);
    verify(atoms, times(6)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());

    clock.advance(RESYNC);
    reconciler.reconcile(release, null);
    assertThat(statusWrites).as("an hour after the last write: the heartbeat").isEqualTo(2);
    assertThat(release.getStatus().getLastSyncedAt()).isEqualTo("2026-11-23T11:00:00Z");
  }

  @Test
  void anEarlyReconcileAfterAQuietResyncStaysQuietOnTheConfirmationInMemory() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    clock.advance(Duration.ofMinutes(30));
    reconciler.reconcile(release, null); // a resync: lastSyncedAt stays 30 minutes old

    clock.advance(Duration.ofMinutes(1));
    UpdateControl<AgentRelease> early = reconciler.reconcile(release, null);

    verify(atoms, times(2)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(statusWrites).isEqualTo(1);
    assertThat(early.getScheduleDelay()).contains(RESYNC.minus(Duration.ofMinutes(1)).toMillis());
  }

  @Test
  void aReadyReleaseSeenFirstByARestartedOperatorIsCheckedWithinOneIntervalNotAtOnce() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    clock.advance(Duration.ofMinutes(45)); // written 45 minutes ago, by the operator before
    AgentReleaseReconciler restarted = reconcilerWith(accounts); // a new process: nothing in memory

    UpdateControl<AgentRelease> first = restarted.reconcile(release, null);

    verify(atoms, times(1)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(first.getScheduleDelay())
        .as("random 0.5 of the interval")
        .contains(RESYNC.dividedBy(2).toMillis());
    clock.advance(RESYNC.dividedBy(2));
    restarted.reconcile(release, null);
    verify(atoms, times(2)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
  }

  @Test
  void aNewGenerationIsCheckedAgainstTheApiEvenWhenRecentlySynced() {
    agentHas(version(2, true), version(1, false));
    reconciler.reconcile(release, null);
    release.getSpec().setVersionNumber(1);
    release.getMetadata().setGeneration(2L);
    when(atoms.activateVersion(KEY, "agent-1", "id1")).thenReturn(version(1, true));

    reconciler.reconcile(release, null);

    verify(atoms).activateVersion(KEY, "agent-1", "id1");
    assertThat(release.getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void invalidSpecMakesNoApiCallAndIsNotRescheduled() {
    release.getSpec().setVersionId("also-set");

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.InvalidSpec.value());
    assertThat(control.getScheduleDelay()).isEmpty();
  }

  @Test
  void suspendedReleaseMakesNoApiCall() {
    release.getSpec().setSuspend(true);

    reconciler.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Suspended.value());
  }

  @Test
  void missingSecretIsStalledAndRetriedAfterTheLongInterval() {
    when(apiKeys.resolve(any()))
        .thenThrow(new MissingApiKeyException("Secret ns/atoms, key apiKey: Secret not found."));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.SecretNotFound.value());
    assertThat(control.getScheduleDelay()).contains(ERROR_RETRY.toMillis());
  }

  @Test
  void unauthorizedIsStalledWithAMessageNamingTheSecret() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(401, List.of("Unauthorized"), null));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Unauthorized.value());
    assertThat(condition(Conditions.READY).getMessage()).contains("Secret ns/atoms");
    assertThat(control.getScheduleDelay()).contains(ERROR_RETRY.toMillis());
  }

  @Test
  void notFoundOnListMeansAgentNotFound() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(404, List.of("Agent not found"), null));

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.AgentNotFound.value());
  }

  @Test
  void unlistedVersionNumberIsVersionNotFoundWithoutActivateCall() {
    agentHas(version(1, true));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.VersionNotFound.value());
  }

  @Test
  void unlistedVersionIdRefusedBy400IsVersionNotPublished() {
    release = TestReleases.byId("ns", "support", "agent-1", "64b8f9a2e4b0c1234567d4af", "atoms");
    agentHas(version(1, true));
    when(atoms.activateVersion(KEY, "agent-1", "64b8f9a2e4b0c1234567d4af"))
        .thenThrow(
            AtomsApiException.http(400, List.of("Only published versions can be activated"), null));

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.VersionNotPublished.value());
    assertThat(condition(Conditions.STALLED)).isNotNull();
  }

  // ---- the activation record survives a lost answer (issue #12) ----

  @Test
  void theIntentIsPersistedBeforeTheActivateCall() {
    agentHas(version(3, true), version(2, false));
    List<String> order = new java.util.ArrayList<>();
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenAnswer(
            call -> {
              order.add(
                  "activate with intent "
                      + release.getStatus().getPendingActivation().getVersionId());
              return version(2, true);
            });

    reconciler.reconcile(release, null);

    assertThat(order).containsExactly("activate with intent id2");
  }

  @Test
  void anActivationWhoseAnswerWasLostIsRecordedOnceWhenSeenLiveAndNeverRepeated() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenThrow(AtomsApiException.network("SocketTimeoutException: read timed out", null));

    reconciler.reconcile(release, null);

    assertThat(release.getStatus().getPendingActivation().getVersionId()).isEqualTo("id2");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.ApiUnavailable.value());

    // The call had landed: Atoms now reports version 2 live.
    agentHas(version(3, false), version(2, true));
    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
    assertThat(release.getStatus().getActivated()).isTrue();
    assertThat(release.getStatus().getHistory())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getVersionNumber()).isEqualTo(2);
              assertThat(entry.getBy()).isEqualTo("Operator");
            });
    assertThat(release.getStatus().getPendingActivation()).isNull();
    verify(events, times(2)).record(any(), any(), any(), any());
  }

  @Test
  void aRetriedActivationKeepsItsStoredIntentInsteadOfWritingOnePerRetry() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenThrow(AtomsApiException.http(503, List.of("unavailable"), null))
        .thenThrow(AtomsApiException.network("SocketTimeoutException: read timed out", null))
        .thenReturn(version(2, true));

    // Time passes between the retries, so a rewritten intent would differ in requestedAt.
    reconciler.reconcile(release, null);
    String requestedAt = release.getStatus().getPendingActivation().getRequestedAt();
    clock.advance(Duration.ofSeconds(1));
    reconciler.reconcile(release, null);
    assertThat(release.getStatus().getPendingActivation().getRequestedAt()).isEqualTo(requestedAt);
    clock.advance(Duration.ofSeconds(1));
    reconciler.reconcile(release, null);

    verify(atoms, times(3)).activateVersion(KEY, "agent-1", "id2");
    assertThat(intentWrites).isEqualTo(1);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
    assertThat(release.getStatus().getHistory()).singleElement();
  }

  @Test
  void aNewSpecAsksForItsOwnIntentEvenWhileAnOlderOneIsPending() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenThrow(AtomsApiException.network("SocketTimeoutException: read timed out", null));
    reconciler.reconcile(release, null);

    release.getMetadata().setGeneration(release.getMetadata().getGeneration() + 1);
    reconciler.reconcile(release, null);

    assertThat(intentWrites).isEqualTo(2);
    assertThat(release.getStatus().getPendingActivation().getGeneration())
        .isEqualTo(release.getMetadata().getGeneration());
  }

  @Test
  void aRefusedActivationClearsTheIntentSoALaterConsoleActivationIsNotClaimed() {
    release = TestReleases.byId("ns", "support", "agent-1", "64b8f9a2e4b0c1234567d4af", "atoms");
    agentHas(version(1, true));
    when(atoms.activateVersion(KEY, "agent-1", "64b8f9a2e4b0c1234567d4af"))
        .thenThrow(AtomsApiException.http(404, List.of("version not found"), null));

    reconciler.reconcile(release, null);

    assertThat(release.getStatus().getPendingActivation()).isNull();
  }

  @Test
  void aReplicaThatLostItsLeaseNeitherActivatesNorWritesStatus() {
    agentHas(version(3, true), version(2, false));
    var leadership =
        new ai.smallest.atoms.operator.config.Leadership(
            true, "pod-a", "lease", java.util.Optional.of("ops"));
    leadership.callbacks().onStartLeading(); // it believed it led, but the Lease says otherwise
    LeaseFence fence =
        new LeaseFence(
            leadership,
            () ->
                new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                    .withNewSpec()
                    .withHolderIdentity("pod-b")
                    .endSpec()
                    .build(),
            clock);
    AgentReleaseReconciler fenced =
        new AgentReleaseReconciler(
            new ReleaseSync(
                atoms,
                apiKeys,
                releases,
                TestPolicies.OPEN_TENANCY,
                fence,
                clock,
                new DriftLoopGuard(config),
                accounts),
            apiKeys,
            new AccountWakeups(accounts),
            releases,
            new RequeuePolicy(
                config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
            events,
            (r, status, context) -> {
              statusWrites++;
              return r;
            },
            metrics,
            restoreFinalizer(
                new RequeuePolicy(
                    config,
                    new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
                (r, status, context) -> r),
            config,
            clock);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fenced.reconcile(release, null))
        .isInstanceOf(LeaseFence.NotLeaderException.class)
        .hasMessageContaining("held by pod-b");

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(statusWrites).isZero();
    assertThat(
            fenced
                .updateErrorStatus(release, null, new LeaseFence.NotLeaderException("lost"))
                .getResource())
        .isEmpty();
  }

  @Test
  void aStatusWriteThatLosesARaceIsRetriedSoonQuietlyAndWithoutActivating() {
    agentHas(version(3, true), version(2, false));
    AgentReleaseReconciler racing =
        new AgentReleaseReconciler(
            new ReleaseSync(
                atoms,
                apiKeys,
                releases,
                TestPolicies.OPEN_TENANCY,
                TestPolicies.NO_LEADER_ELECTION,
                clock,
                new DriftLoopGuard(config),
                accounts),
            apiKeys,
            new AccountWakeups(accounts),
            releases,
            new RequeuePolicy(
                config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
            events,
            (r, status, context) -> {
              throw new CachingStatusWriter.StatusWriteConflict(409);
            },
            metrics,
            restoreFinalizer(
                new RequeuePolicy(
                    config,
                    new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
                (r, status, context) -> r),
            config,
            clock);

    UpdateControl<AgentRelease> control = racing.reconcile(release, null);

    // The intent could not be written: no activation, no Event, a look again in a second.
    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    verifyNoInteractions(events);
    assertThat(control.getScheduleDelay()).contains(RequeuePolicy.AFTER_CONFLICT.toMillis());
  }

  /**
   * A writer whose first {@code refusals} writes after the intent lose a race (409), in front of an
   * API server whose stored copy has meanwhile got a new spec (generation 2).
   */
  private final class RacingWriter implements StatusWriter {
    final List<AgentReleaseStatus> written = new java.util.ArrayList<>();
    final AgentRelease stored;
    int refusals;
    int reads;

    RacingWriter(int refusals) {
      this.refusals = refusals;
      this.stored = TestReleases.byNumber("ns", "support", "agent-1", 3, "atoms");
      stored.getMetadata().setGeneration(2L);
    }

    @Override
    public AgentRelease write(
        AgentRelease target, AgentReleaseStatus status, Context<AgentRelease> context) {
      if (status.getPendingActivation() == null && refusals-- > 0) {
        throw new CachingStatusWriter.StatusWriteConflict(409);
      }
      written.add(status);
      target.setStatus(status);
      if (target != stored) {
        stored.setStatus(status); // the intent reached the API server
      }
      return target;
    }

    @Override
    public java.util.Optional<AgentRelease> latest(
        AgentRelease target, Context<AgentRelease> context) {
      reads++;
      return java.util.Optional.of(stored);
    }
  }

  private AgentReleaseReconciler reconcilerWith(StatusWriter racing) {
    return new AgentReleaseReconciler(
        new ReleaseSync(
            atoms,
            apiKeys,
            releases,
            TestPolicies.OPEN_TENANCY,
            TestPolicies.NO_LEADER_ELECTION,
            clock,
            new DriftLoopGuard(config),
            accounts),
        apiKeys,
        new AccountWakeups(accounts),
        releases,
        requeue,
        events,
        racing,
        metrics,
        restoreFinalizer(requeue, racing),
        config,
        clock);
  }

  @Test
  void anActivationWhoseStatusWriteLostARaceToASpecEditIsRecordedOnTheStoredObject() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    RacingWriter racing = new RacingWriter(1);

    UpdateControl<AgentRelease> control = reconcilerWith(racing).reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    AgentReleaseStatus recorded = racing.stored.getStatus();
    assertThat(recorded.getPendingActivation()).isNull();
    assertThat(recorded.getActivated()).isTrue();
    assertThat(recorded.getHistory())
        .singleElement()
        .satisfies(entry -> assertThat(entry.getVersionId()).isEqualTo("id2"));
    // For the spec it served: the new spec (generation 2) is still to be looked at.
    assertThat(recorded.getObservedGeneration()).isEqualTo(1L);
    assertThat(recorded.ready().orElseThrow().getReason()).isEqualTo(Reason.Activated.value());
    verify(events, times(1)).record(any(), any(), any(), any());
    assertThat(control.getScheduleDelay())
        .isNotEqualTo(java.util.Optional.of(RequeuePolicy.AFTER_CONFLICT.toMillis()));
  }

  @Test
  void anActivationThatKeepsLosingRacesIsWrittenABoundedNumberOfTimesThenLookedAtAgain() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    RacingWriter racing = new RacingWriter(Integer.MAX_VALUE);

    UpdateControl<AgentRelease> control = reconcilerWith(racing).reconcile(release, null);

    assertThat(racing.reads).isEqualTo(StatusRecorder.RECORD_ATTEMPTS);
    verifyNoInteractions(events);
    assertThat(control.getScheduleDelay()).contains(RequeuePolicy.AFTER_CONFLICT.toMillis());
    // The intent stays, so the next look that finds version 2 live still records it.
    assertThat(racing.stored.getStatus().getPendingActivation().getVersionId()).isEqualTo("id2");
  }

  @Test
  void aReleaseOfABusyAccountWaitsQuietlyAndIsWokenFirstWhenASlotFrees() {
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    AccountRateLimiter oneSlot = new AccountRateLimiter(1e12, 1);
    List<Object> woken = new java.util.ArrayList<>();
    oneSlot.onSlotSetAside(woken::add);
    AgentReleaseReconciler limited = reconcilerWith(oneSlot);
    // Another release of the same account holds its only slot.
    AccountRateLimiter.Admission other = oneSlot.tryStart(KEY.account(), "ns/other");

    UpdateControl<AgentRelease> waiting = limited.reconcile(release, null);

    // Waiting for the account is no news: no Atoms call, no status, no Event; a look again later.
    verifyNoInteractions(atoms, events);
    assertThat(statusWrites).isZero();
    assertThat(release.getStatus()).isNull();
    assertThat(waiting.getScheduleDelay()).contains(AccountRateLimiter.QUEUED_RECHECK.toMillis());

    other.permit().close();
    assertThat(woken).containsExactly("ns/support");
    limited.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
    // Its slot was given back: the account takes the next sync at once.
    assertThat(oneSlot.tryStart(KEY.account(), "ns/other").admitted()).isTrue();
  }

  @Test
  void aSecondSyncOfTheSameAgentLooksAgainSoonInsteadOfWaitingOnAThread() {
    agentHas(version(3, true), version(2, false));
    AgentRelease twin = TestReleases.byNumber("other-ns", "twin", "agent-1", 2, "atoms");
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenAnswer(
            call -> {
              // While this sync of agent-1 is in flight, another release of the agent arrives.
              UpdateControl<AgentRelease> control = reconciler.reconcile(twin, null);
              assertThat(control.getScheduleDelay()).contains(AgentsInFlight.AGENT_BUSY.toMillis());
              return version(2, true);
            });

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).listPublishedVersions(KEY, "agent-1", 100, 0);
    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    assertThat(twin.getStatus()).isNull();
  }

  @Test
  void transientErrorsBackOffHonouringRetryAfter() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(429, List.of("slow down"), Duration.ofSeconds(30)));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    assertThat(condition(Conditions.RECONCILING).getReason()).isEqualTo(Reason.RateLimited.value());
    assertThat(control.getScheduleDelay()).contains(30_000L);
  }

  @Test
  void serverErrorsRetryWithGrowingDelay() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(503, List.of(), null));

    long first = reconciler.reconcile(release, null).getScheduleDelay().orElseThrow();
    long second = reconciler.reconcile(release, null).getScheduleDelay().orElseThrow();

    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.ApiUnavailable.value());
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void apiKeyEchoedByTheApiIsRedactedFromStatusAndEvents() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(401, List.of("invalid token " + SECRET_KEY), null));

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getMessage()).doesNotContain(SECRET_KEY).contains("***");
  }

  @Test
  void repeatedIdenticalErrorWritesStatusOnlyOnce() {
    when(atoms.listPublishedVersions(KEY, "agent-1", 100, 0))
        .thenThrow(AtomsApiException.http(403, List.of(), null));

    reconciler.reconcile(release, null);
    assertThat(statusWrites).isEqualTo(1);
    reconciler.reconcile(release, null);
    assertThat(statusWrites).isEqualTo(1);
  }

  // ---- policies: drift, observe, conflicts, reconcile requests, history ----

  /**
   * Converges the release on version 2, then lets the agent report {@code liveNumber} as active.
   */
  private void convergedThenLiveIs(int liveNumber) {
    agentHas(version(2, true), version(1, false));
    reconciler.reconcile(release, null);
    agentHas(version(2, liveNumber == 2), version(1, liveNumber == 1));
    release
        .getMetadata()
        .setAnnotations(java.util.Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "now"));
  }

  @Test
  void driftIsCorrectedWithOneActivationRecordedAsDriftCorrection() {
    convergedThenLiveIs(1);
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    assertThat(release.getStatus().getHistory()).hasSize(1);
    assertThat(release.getStatus().getHistory().get(0).getBy()).isEqualTo("DriftCorrection");
    assertThat(metrics.registry().counter(OperatorMetrics.DRIFT_CORRECTIONS).count())
        .isEqualTo(1.0);
    verify(events)
        .record(
            any(),
            any(),
            any(),
            org.mockito.ArgumentMatchers.argThat(
                o ->
                    o.activation()
                        == ai.smallest.atoms.operator.status.Outcome.Activation.DRIFT_CORRECTION));
  }

  @Test
  void driftPolicyReportOnlyReportsAndKeepsReportingWithoutActivating() {
    release.getSpec().setDriftPolicy(ai.smallest.atoms.operator.api.DriftPolicy.Report);
    convergedThenLiveIs(1);

    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.DriftDetected.value());
    assertThat(condition(Conditions.READY).getMessage()).contains("version 1 is live");
    assertThat(release.getStatus().getVersionNumber()).isEqualTo(1);

    release
        .getMetadata()
        .setAnnotations(java.util.Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "again"));
    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.DriftDetected.value());
  }

  @Test
  void observeModeNeverActivatesAndSaysWhatManageWouldDo() {
    release.getSpec().setManagementPolicy(ai.smallest.atoms.operator.api.ManagementPolicy.Observe);
    agentHas(version(3, true), version(2, false), version(1, false));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.ObserveOnly.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("version 3 is live")
        .contains("Manage would activate version 2");
    assertThat(release.getStatus().getVersionNumber()).isEqualTo(3);
    assertThat(condition(Conditions.STALLED)).isNull();
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
  }

  @Test
  void observeModeIsReadyWhenTheDeclaredVersionIsLive() {
    release.getSpec().setManagementPolicy(ai.smallest.atoms.operator.api.ManagementPolicy.Observe);
    agentHas(version(2, true));

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void newerReleaseOfTheSameAgentIsAConflictAndMakesNoApiCall() {
    AgentRelease owner = TestReleases.byNumber("other-ns", "owner", "agent-1", 1, "atoms");
    when(releases.olderReleaseForSameAgent(release)).thenReturn(java.util.Optional.of(owner));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.Conflict.value());
    // Another tenant's release is not named: neighbours stay invisible.
    assertThat(condition(Conditions.READY).getMessage())
        .contains("An AgentRelease in another namespace")
        .doesNotContain("other-ns")
        .doesNotContain("owner");
    assertThat(control.getScheduleDelay()).contains(30_000L);
  }

  @Test
  void aConflictWithinTheNamespaceNamesTheOtherRelease() {
    AgentRelease owner = TestReleases.byNumber("ns", "owner", "agent-1", 1, "atoms");
    when(releases.olderReleaseForSameAgent(release)).thenReturn(java.util.Optional.of(owner));

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getMessage()).contains("AgentRelease owner");
  }

  @Test
  void anAgentTheNamespaceMayNotManageIsStalledWithoutAnyAtomsCall() {
    AgentReleaseReconciler guarded =
        reconcilerWith(
            new TenancyPolicy(
                List.of("*"),
                Duration.ofSeconds(30),
                ns ->
                    java.util.Optional.of(
                        java.util.Map.of(
                            AgentRelease.ALLOWED_AGENTS_ANNOTATION, "team-a-*, billing-agent"))));

    guarded.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.AgentNotAllowed.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("agent-1 is not among them")
        .contains("team-a-*");
  }

  @Test
  void aNamespaceNotAllowedTheDefaultKeyMustNameItsOwnSecret() {
    release.getSpec().setApiKeySecretRef(null);
    AgentReleaseReconciler lockedDown =
        reconcilerWith(
            new TenancyPolicy(
                List.of("atoms-system", "platform"),
                Duration.ofSeconds(30),
                ns -> java.util.Optional.empty()));

    lockedDown.reconcile(release, null);

    verifyNoInteractions(atoms);
    verify(apiKeys, never()).resolve(any());
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.SecretNotFound.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("may not use the operator-wide default API key");
  }

  private AgentReleaseReconciler reconcilerWith(TenancyPolicy tenancy) {
    return new AgentReleaseReconciler(
        new ReleaseSync(
            atoms,
            apiKeys,
            releases,
            tenancy,
            TestPolicies.NO_LEADER_ELECTION,
            clock,
            new DriftLoopGuard(config),
            accounts),
        apiKeys,
        new AccountWakeups(accounts),
        releases,
        new RequeuePolicy(
            config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
        events,
        (r, status, context) -> {
          r.setStatus(status);
          return r;
        },
        metrics,
        restoreFinalizer(
            new RequeuePolicy(
                config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
            (r, status, context) -> r),
        config,
        clock);
  }

  @Test
  void reconcileRequestBypassesTheQuietPathAndIsRecorded() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    release
        .getMetadata()
        .setAnnotations(
            java.util.Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "2026-11-23T10:00:05Z"));

    reconciler.reconcile(release, null);

    verify(atoms, times(2)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(statusWrites).isEqualTo(2);
    assertThat(release.getStatus().getLastHandledReconcileAt()).isEqualTo("2026-11-23T10:00:05Z");

    reconciler.reconcile(release, null);
    verify(atoms, times(2)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
  }

  @Test
  void specIntervalOverridesTheResyncIntervalWithJitterBounds() {
    release.getSpec().setInterval("2m");
    agentHas(version(2, true));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(2).toMillis());
  }

  @Test
  void historyKeepsTheLatestActivationsUpToTheLimit() {
    when(config.historyLimit()).thenReturn(2);
    when(drift.maxCorrections()).thenReturn(1);
    for (int target = 1; target <= 3; target++) {
      release.getSpec().setVersionNumber(target);
      release.getMetadata().setGeneration((long) target);
      agentHas(version(1, false), version(2, false), version(3, false));
      when(atoms.activateVersion(KEY, "agent-1", "id" + target)).thenReturn(version(target, true));
      reconciler.reconcile(release, null);
    }

    assertThat(release.getStatus().getHistory())
        .extracting(r -> r.getVersionNumber())
        .containsExactly(3, 2);
  }

  // ---- activation windows (the clock is Monday 2026-11-23 10:00 UTC) ----

  private void windows(ActivationWindow... windows) {
    release.getSpec().setActivationWindows(new java.util.ArrayList<>(List.of(windows)));
  }

  @Test
  void outsideTheWindowsNothingIsActivatedAndTheReleaseLooksAgainExactlyAtTheNextStart() {
    windows(new ActivationWindow("5 10 * * *", "1h", "UTC"));
    agentHas(version(3, true), version(2, false));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains(
            "version 2 will be activated when the next window opens at 2026-11-23T10:05:00Z (UTC)")
        .contains("version 3 stays live");
    assertThat(condition(Conditions.RECONCILING).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
    assertThat(condition(Conditions.STALLED)).isNull();
    assertThat(release.getStatus().getVersionNumber()).as("what is live").isEqualTo(3);
    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void aWindowFurtherAwayThanTheResyncKeepsTheResyncToReportWhatIsLive() {
    windows(new ActivationWindow("0 22 * * 1-5", "2h", "Europe/Berlin"));
    agentHas(version(3, true), version(2, false));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getMessage())
        .contains("2026-11-23T22:00:00+01:00 (Europe/Berlin)");
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
  }

  @Test
  void insideAWindowTheDeclaredVersionIsActivated() {
    windows(new ActivationWindow("0 9 * * *", "2h", "UTC"));
    agentHas(version(3, true), version(2, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));

    reconciler.reconcile(release, null);

    verify(atoms).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
  }

  @Test
  void anAlreadyLiveVersionIsReadyOutsideTheWindowsWithoutAnyActivation() {
    windows(new ActivationWindow("0 22 * * *", "1h", "UTC"));
    agentHas(version(2, true));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
  }

  @Test
  void activateNowLetsOnePendingActivationThroughOnceAndIsEchoedInStatus() {
    windows(new ActivationWindow("0 22 * * *", "1h", "UTC"));
    agentHas(version(3, true), version(2, false), version(1, false));
    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());

    release.getMetadata().setAnnotations(java.util.Map.of(AgentRelease.ACTIVATE_NOW, "first"));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id2");
    assertThat(release.getStatus().getLastHandledActivateNow()).isEqualTo("first");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());

    // The same value does not let the next change through.
    release.getSpec().setVersionNumber(1);
    release.getMetadata().setGeneration(2L);
    agentHas(version(3, false), version(2, true), version(1, false));
    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(KEY, "agent-1", "id1");
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
  }

  @Test
  void anActivateNowWithNothingPendingIsHandledAndDoesNotLingerForALaterChange() {
    windows(new ActivationWindow("0 22 * * *", "1h", "UTC"));
    agentHas(version(2, true), version(1, false));
    release.getMetadata().setAnnotations(java.util.Map.of(AgentRelease.ACTIVATE_NOW, "early"));

    reconciler.reconcile(release, null);
    assertThat(release.getStatus().getLastHandledActivateNow()).isEqualTo("early");

    release.getSpec().setVersionNumber(1);
    release.getMetadata().setGeneration(2L);
    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
  }

  @Test
  void anActivateNowOnAReadyReleaseIsNotSkippedByTheQuietPath() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    release.getMetadata().setAnnotations(java.util.Map.of(AgentRelease.ACTIVATE_NOW, "x"));

    reconciler.reconcile(release, null);

    verify(atoms, times(2)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(release.getStatus().getLastHandledActivateNow()).isEqualTo("x");
  }

  @Test
  void aDriftCorrectionHeldByTheWindowsIsStillADriftCorrectionWhenTheWindowOpens() {
    // Converged on v2 inside the 09:00–11:00 window...
    windows(new ActivationWindow("0 9 * * *", "2h", "UTC"));
    agentHas(version(2, false), version(1, true));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    reconciler.reconcile(release, null);
    // ...then someone activates v1 at noon, when the window is closed.
    clock.set(Instant.parse("2026-11-23T12:00:00Z"));
    agentHas(version(2, false), version(1, true));
    UpdateControl<AgentRelease> held = reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
    assertThat(held.getScheduleDelay()).contains(RESYNC.toMillis());

    clock.set(Instant.parse("2026-11-24T09:00:00Z"));
    reconciler.reconcile(release, null);

    verify(atoms, times(2)).activateVersion(KEY, "agent-1", "id2");
    assertThat(release.getStatus().getHistory().get(0).getBy()).isEqualTo("DriftCorrection");
  }

  // ---- drift-loop guard (default: 3 corrections within 30m) ----

  /** Version {@code number} as Atoms answers right after {@code by} activated it. */
  private AgentVersion activatedNowBy(int number, String by) {
    return new AgentVersion(
        "id" + number,
        "agent-1",
        "published",
        number,
        "v" + number,
        true,
        clock.instant().toString(),
        by);
  }

  /** Converges on v2, with a one-minute resync so that each drift is seen at the next resync. */
  private void convergedOnTwoWithAOneMinuteResync() {
    release.getSpec().setInterval("1m");
    agentHas(version(2, false), version(1, true));
    when(atoms.activateVersion(KEY, "agent-1", "id2"))
        .thenAnswer(call -> activatedNowBy(2, "user_operator"));
    reconciler.reconcile(release, null);
  }

  /** Two minutes later, someone ("user_bot") has activated v1 again; the resync sees it. */
  private UpdateControl<AgentRelease> botActivatesOneAndTheResyncRuns() {
    clock.advance(Duration.ofMinutes(2));
    agentHas(version(2, false), activatedNowBy(1, "user_bot"));
    return reconciler.reconcile(release, null);
  }

  @Test
  void aDriftLoopStopsEnforcingInsteadOfCorrectingMoreThanMaxCorrectionsWithinTheWindow() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 3; i++) {
      botActivatesOneAndTheResyncRuns();
      assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
    }
    verify(atoms, times(4)).activateVersion(KEY, "agent-1", "id2");

    UpdateControl<AgentRelease> control = botActivatesOneAndTheResyncRuns();

    verify(atoms, times(4)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.DriftLoop.value());
    assertThat(condition(Conditions.STALLED).getReason()).isEqualTo(Reason.DriftLoop.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("after 3 drift corrections within 30m (driftGuard allows 3)")
        .contains("version 1 (\"v1\") was activated again by user_bot instead of version 2")
        .contains("atoms.smallest.ai/reconcile-requested-at");
    assertThat(release.getStatus().getVersionNumber()).as("what is live").isEqualTo(1);
    assertThat(metrics.registry().counter(OperatorMetrics.DRIFT_LOOPS).count()).isEqualTo(1.0);
    assertThat(control.getScheduleDelay()).as("keeps observing").contains(60_000L);
  }

  @Test
  void aStoppedReleaseStaysStoppedWhateverTimePassesAndWritesNothingUntilSomeoneActs() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 4; i++) {
      botActivatesOneAndTheResyncRuns();
    }
    int writes = statusWrites;

    // Hours later the counted corrections are old, a restart re-reads status: still stopped.
    clock.advance(Duration.ofHours(3));
    reconciler.reconcile(release, null);

    verify(atoms, times(4)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.DriftLoop.value());
    assertThat(statusWrites).isEqualTo(writes);
    assertThat(metrics.registry().counter(OperatorMetrics.DRIFT_LOOPS).count()).isEqualTo(1.0);
  }

  @Test
  void aReconcileRequestResumesEnforcementAndRestartsTheCount() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 4; i++) {
      botActivatesOneAndTheResyncRuns();
    }
    clock.advance(Duration.ofMinutes(1));
    release
        .getMetadata()
        .setAnnotations(java.util.Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "resume"));

    reconciler.reconcile(release, null);

    verify(atoms, times(5)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(release.getStatus().getDriftGuardResetAt()).isEqualTo("2026-11-23T10:09:00Z");
    // Only the correction after the resume counts: two more are allowed before the next stop.
    botActivatesOneAndTheResyncRuns();
    botActivatesOneAndTheResyncRuns();
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
    botActivatesOneAndTheResyncRuns();
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.DriftLoop.value());
    verify(atoms, times(7)).activateVersion(KEY, "agent-1", "id2");
  }

  @Test
  void aSpecChangeResumesAStoppedRelease() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 4; i++) {
      botActivatesOneAndTheResyncRuns();
    }
    release.getSpec().setVersionNumber(1);
    release.getMetadata().setGeneration(2L);

    reconciler.reconcile(release, null);

    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
    assertThat(release.getStatus().getDriftGuardResetAt()).isEqualTo("2026-11-23T10:08:00Z");

    // Back to v2: the corrections made before the resume no longer count.
    release.getSpec().setVersionNumber(2);
    release.getMetadata().setGeneration(3L);
    clock.advance(Duration.ofMinutes(1));
    agentHas(version(2, false), activatedNowBy(1, "user_bot"));
    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
    botActivatesOneAndTheResyncRuns();
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
    verify(atoms, times(6)).activateVersion(KEY, "agent-1", "id2");
  }

  @Test
  void aStoppedReleaseIsReadyAgainWhenTheDeclaredVersionIsLiveAgain() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 4; i++) {
      botActivatesOneAndTheResyncRuns();
    }
    clock.advance(Duration.ofMinutes(2));
    agentHas(activatedNowBy(2, "user_console"), version(1, false));

    reconciler.reconcile(release, null);

    verify(atoms, times(4)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
    assertThat(condition(Conditions.STALLED)).isNull();
  }

  @Test
  void correctionsOlderThanTheWindowDoNotCount() {
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 3; i++) {
      botActivatesOneAndTheResyncRuns();
    }
    clock.advance(Duration.ofMinutes(30));

    botActivatesOneAndTheResyncRuns();

    verify(atoms, times(5)).activateVersion(KEY, "agent-1", "id2");
    assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void theDriftLoopNamesWhoKeepsActivatingByDisplayNameWhenAtomsSendsIt() {
    assertThat(
            DriftLoopGuard.whoKeepsActivating(
                new AgentVersion(
                    "id1",
                    "agent-1",
                    "published",
                    1,
                    "v1",
                    true,
                    null,
                    "user_123",
                    false,
                    "Bob Smith")))
        .isEqualTo("version 1 (\"v1\") was activated again by Bob Smith (user_123)");
    assertThat(DriftLoopGuard.whoKeepsActivating(null))
        .isEqualTo("another version was activated again");
  }

  @Test
  void specDriftGuardOverridesTheOperatorDefaultsAndHistoryKeepsWhatItCounts() {
    when(config.historyLimit()).thenReturn(2);
    release.getSpec().setDriftGuard(new ai.smallest.atoms.operator.api.DriftGuard(5, "2h"));
    convergedOnTwoWithAOneMinuteResync();
    for (int i = 0; i < 5; i++) {
      botActivatesOneAndTheResyncRuns();
      assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
    }
    assertThat(release.getStatus().getHistory()).hasSize(5);

    botActivatesOneAndTheResyncRuns();

    assertThat(condition(Conditions.READY).getMessage())
        .contains("after 5 drift corrections within 2h (driftGuard allows 5)");
  }

  // ---- deletionPolicy Restore ----

  /** v3 was live; the release (Restore) activated v2 and carries the finalizer. */
  private void restoreReleaseActivatedTwoOverThree() {
    release.getSpec().setDeletionPolicy(ai.smallest.atoms.operator.api.DeletionPolicy.Restore);
    agentHas(version(3, true), version(2, false), version(1, false));
    when(atoms.activateVersion(KEY, "agent-1", "id2")).thenReturn(version(2, true));
    reconciler.reconcile(release, null);
  }

  private void deleting() {
    release.getMetadata().setDeletionTimestamp("2026-11-23T10:05:00Z");
  }

  @Test
  void aRestoreReleaseGetsTheFinalizerAndRemembersWhatWasLiveBeforeItsFirstActivation() {
    restoreReleaseActivatedTwoOverThree();

    assertThat(finalizerPatches).containsExactly("add");
    assertThat(release.getMetadata().getFinalizers()).contains(AgentRelease.RESTORE_FINALIZER);
    assertThat(release.getStatus().getPreviousVersion())
        .isEqualTo(new ai.smallest.atoms.operator.api.VersionReference(3, "id3"));

    // A later activation keeps what was live before the first one.
    release.getSpec().setVersionNumber(1);
    release.getMetadata().setGeneration(2L);
    agentHas(version(3, false), version(2, true), version(1, false));
    when(atoms.activateVersion(KEY, "agent-1", "id1")).thenReturn(version(1, true));
    reconciler.reconcile(release, null);

    assertThat(release.getStatus().getPreviousVersion().getVersionNumber()).isEqualTo(3);
    assertThat(finalizerPatches).containsExactly("add");
  }

  @Test
  void anOrphanReleaseNeverGetsTheFinalizerAndSwitchingBackToOrphanRemovesIt() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    assertThat(finalizerPatches).isEmpty();
    assertThat(release.getStatus().getPreviousVersion()).isNull();

    release.getMetadata().setGeneration(2L);
    restoreReleaseActivatedTwoOverThree();
    release.getSpec().setDeletionPolicy(ai.smallest.atoms.operator.api.DeletionPolicy.Orphan);
    release.getMetadata().setGeneration(3L);
    reconciler.reconcile(release, null);

    assertThat(finalizerPatches).containsExactly("add", "remove");
    assertThat(release.getMetadata().getFinalizers())
        .doesNotContain(AgentRelease.RESTORE_FINALIZER);
  }

  @Test
  void deletingARestoreReleaseActivatesThePreviousVersionOnceAndLetsTheReleaseGo() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    agentHas(version(3, false), version(2, true), version(1, false));
    when(atoms.activateVersion(KEY, "agent-1", "id3")).thenReturn(version(3, true));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.Restored),
            org.mockito.ArgumentMatchers.contains("serves version 3 (\"v3\") again"));
    assertThat(finalizerPatches).containsExactly("add", "remove");
    assertThat(control.getScheduleDelay()).isEmpty();
  }

  @Test
  void aRestoreWaitsForItsAccountLikeASyncWithoutCountingAnAttempt() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    agentHas(version(3, false), version(2, true), version(1, false));
    when(atoms.activateVersion(KEY, "agent-1", "id3")).thenReturn(version(3, true));
    AgentReleaseStatus before = release.getStatus();
    // Every slot of the account is taken by other releases' syncs.
    List<AccountRateLimiter.Admission> others = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(accounts.tryStart(KEY.account(), "ns/other-" + i));
    }
    org.mockito.Mockito.clearInvocations(atoms);

    UpdateControl<AgentRelease> waiting = reconciler.reconcile(release, null);

    verifyNoInteractions(atoms);
    assertThat(release.getStatus()).isSameAs(before);
    assertThat(finalizerPatches).containsExactly("add");
    assertThat(waiting.getScheduleDelay()).contains(AccountRateLimiter.QUEUED_RECHECK.toMillis());

    others.forEach(other -> other.permit().close());
    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id3");
    assertThat(finalizerPatches).containsExactly("add", "remove");
  }

  @Test
  void aPreviousVersionThatIsLiveAlreadyNeedsNoCall() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    agentHas(version(3, true), version(2, false));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.Restored),
            org.mockito.ArgumentMatchers.contains("was live already"));
    assertThat(finalizerPatches).containsExactly("add", "remove");
  }

  @Test
  void aPreviousVersionNoLongerPublishedIsGivenUpWithAWarningAndNoCall() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    agentHas(version(2, true), version(1, false));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreFailed),
            org.mockito.ArgumentMatchers.contains("no longer published"));
    assertThat(finalizerPatches).containsExactly("add", "remove");
  }

  @Test
  void failingRestoresRetryWithBackoffAndGiveUpAfterMaxAttempts() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    agentHas(version(3, false), version(2, true));
    when(atoms.activateVersion(KEY, "agent-1", "id3"))
        .thenThrow(AtomsApiException.http(503, List.of("down"), null));

    long first = reconciler.reconcile(release, null).getScheduleDelay().orElseThrow();
    long second = reconciler.reconcile(release, null).getScheduleDelay().orElseThrow();
    reconciler.reconcile(release, null);
    assertThat(release.getStatus().getRestoreAttempts()).isEqualTo(3);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.ApiUnavailable.value());
    assertThat(second).isGreaterThan(first);
    assertThat(finalizerPatches).containsExactly("add");

    UpdateControl<AgentRelease> last = reconciler.reconcile(release, null);

    verify(atoms, times(3)).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreFailed),
            org.mockito.ArgumentMatchers.contains("after 3 failed attempts"));
    assertThat(finalizerPatches).containsExactly("add", "remove");
    assertThat(last.getScheduleDelay()).isEmpty();
  }

  @Test
  void theSkipRestoreAnnotationLetsTheReleaseGoWithAWarningAndNoCall() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    release.getMetadata().setAnnotations(java.util.Map.of(AgentRelease.SKIP_RESTORE, "true"));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreSkipped),
            anyString());
    assertThat(finalizerPatches).containsExactly("add", "remove");
  }

  @Test
  void suspendedAndObserveReleasesNeverRestore() {
    restoreReleaseActivatedTwoOverThree();
    release.getSpec().setSuspend(true);
    deleting();

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreNotNeeded),
            org.mockito.ArgumentMatchers.contains("suspended"));
    assertThat(finalizerPatches).containsExactly("add", "remove");

    release.getSpec().setSuspend(false);
    release.getSpec().setManagementPolicy(ai.smallest.atoms.operator.api.ManagementPolicy.Observe);
    release.getMetadata().setDeletionTimestamp(null);
    release.addFinalizer(AgentRelease.RESTORE_FINALIZER);
    deleting();
    reconciler.reconcile(release, null);
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreNotNeeded),
            org.mockito.ArgumentMatchers.contains("Observe"));
    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
  }

  @Test
  void whenAnotherReleaseTakesOverTheAgentNothingIsRestored() {
    restoreReleaseActivatedTwoOverThree();
    deleting();
    AgentRelease next = TestReleases.byNumber("other-ns", "next", "agent-1", 4, "atoms");
    when(releases.successorForSameAgent(release)).thenReturn(java.util.Optional.of(next));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreNotNeeded),
            org.mockito.ArgumentMatchers.contains("other-ns/next manages the agent next"));
  }

  @Test
  void aRestoreOutsideTheActivationWindowsWaitsForTheNextOne() {
    restoreReleaseActivatedTwoOverThree();
    windows(new ActivationWindow("5 10 * * *", "1h", "UTC"));
    deleting();
    agentHas(version(3, false), version(2, true));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(KEY, "agent-1", "id3");
    assertThat(condition(Conditions.READY).getReason())
        .isEqualTo(Reason.OutsideActivationWindow.value());
    assertThat(condition(Conditions.READY).getMessage()).contains("restoring version 3");
    assertThat(release.getStatus().getRestoreAttempts()).isNull();
    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(5).toMillis());
    assertThat(finalizerPatches).containsExactly("add");
  }

  @Test
  void aReleaseThatNeverActivatedRestoresNothing() {
    release.getSpec().setDeletionPolicy(ai.smallest.atoms.operator.api.DeletionPolicy.Restore);
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    deleting();

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    verify(events)
        .emit(
            org.mockito.ArgumentMatchers.eq(release),
            org.mockito.ArgumentMatchers.eq(Reason.RestoreNotNeeded),
            org.mockito.ArgumentMatchers.contains("never activated"));
  }

  @Test
  void anOrphanReleaseBeingDeletedAndADeletedReleaseAreLeftAlone() {
    agentHas(version(2, true));
    reconciler.reconcile(release, null);
    int writes = statusWrites;
    deleting();

    reconciler.reconcile(release, null);
    @SuppressWarnings("unchecked")
    io.javaoperatorsdk.operator.api.reconciler.Context<AgentRelease> gone =
        mock(io.javaoperatorsdk.operator.api.reconciler.Context.class);
    when(gone.isPrimaryResourceDeleted()).thenReturn(true);
    reconciler.reconcile(release, gone);

    verify(atoms, times(1)).listPublishedVersions(any(), anyString(), anyInt(), anyInt());
    assertThat(statusWrites).isEqualTo(writes);
    assertThat(finalizerPatches).isEmpty();
    assertThat(
            reconciler
                .updateErrorStatus(release, gone, new IllegalStateException("x"))
                .getResource())
        .isEmpty();
  }

  // ---- spec.versionSelector ----

  private static AgentVersion pinned(int number, boolean active, boolean pinned, String label) {
    return new AgentVersion(
        "id" + number, "agent-1", "published", number, label, active, null, "user", pinned, null);
  }

  private void selector(
      ai.smallest.atoms.operator.api.VersionStrategy strategy, String label, Integer min) {
    release.getSpec().setVersionNumber(null);
    release
        .getSpec()
        .setVersionSelector(
            new ai.smallest.atoms.operator.api.VersionSelector(strategy, label, min));
  }

  private void pinnedListingHas(AgentVersion... versions) {
    when(atoms.listPublishedVersions(
            org.mockito.ArgumentMatchers.eq(KEY),
            org.mockito.ArgumentMatchers.eq("agent-1"),
            org.mockito.ArgumentMatchers.argThat(
                (ai.smallest.atoms.operator.atoms.PageRequest r) ->
                    Boolean.TRUE.equals(r.pinned()) && r.skip() == 0)))
        .thenReturn(new VersionPage(List.of(versions), 9));
  }

  @Test
  void latestSelectsTheHighestVersionNumberWhateverOrderTheListHas() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, null);
    agentHas(version(2, false), version(5, false), version(3, true), version(4, false));
    when(atoms.activateVersion(KEY, "agent-1", "id5")).thenReturn(version(5, true));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id5");
    assertThat(release.getStatus().getSelected().getVersionNumber()).isEqualTo(5);
    assertThat(release.getStatus().getSelected().getVersionId()).isEqualTo("id5");
    assertThat(release.getStatus().getSelected().getSelectedAt()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
  }

  @Test
  void latestPinnedAsksForPinnedVersionsAndBelievesOnlyThePinnedOnes() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.LatestPinned, null, null);
    // A server that ignores the filter: v6 is not pinned and must not be chosen.
    pinnedListingHas(
        pinned(6, false, false, "v6"), pinned(4, false, true, "v4"), pinned(2, false, true, "v2"));
    agentHas(pinned(6, true, false, "v6"), pinned(4, false, true, "v4"));
    when(atoms.activateVersion(KEY, "agent-1", "id4")).thenReturn(pinned(4, true, true, "v4"));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id4");
    assertThat(release.getStatus().getSelected().getVersionNumber()).isEqualTo(4);
  }

  @Test
  void latestLabeledComparesTheLabelExactlyAndMinVersionNumberIsAFloor() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.LatestLabeled, "stable", 3);
    agentHas(
        pinned(7, true, false, "Stable"),
        pinned(5, false, false, "stable"),
        pinned(2, false, false, "stable"),
        pinned(6, false, false, "canary"));
    when(atoms.activateVersion(KEY, "agent-1", "id5")).thenReturn(pinned(5, true, false, "stable"));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id5");
    assertThat(release.getStatus().getSelected().getLabel()).isEqualTo("stable");
  }

  @Test
  void noMatchingVersionIsStalledNoVersionSelectedWithoutActivationAndLooksAgainAtTheResync() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, 10);
    agentHas(version(3, true), version(2, false));

    UpdateControl<AgentRelease> control = reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.STALLED).getReason())
        .isEqualTo(Reason.NoVersionSelected.value());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("No published version of agent agent-1 matches spec.versionSelector")
        .contains("the latest published version at or above 10")
        .contains("Publish a version at or above 10");
    assertThat(release.getStatus().getSelected()).isNull();
    assertThat(release.getStatus().getVersionNumber()).as("what is live").isEqualTo(3);
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
  }

  @Test
  void aNewlyPublishedVersionIsSelectedAndActivatedAtTheNextResyncNotBefore() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, null);
    agentHas(version(3, true), version(2, false));
    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
    String firstSelected = release.getStatus().getSelected().getSelectedAt();

    // v4 is published; a reconcile within the resync interval (e.g. a Secret event) stays quiet.
    agentHas(version(4, false), version(3, true), version(2, false));
    clock.advance(Duration.ofMinutes(1));
    reconciler.reconcile(release, null);
    verify(atoms, never()).activateVersion(any(), anyString(), anyString());

    clock.advance(Duration.ofMinutes(10));
    when(atoms.activateVersion(KEY, "agent-1", "id4")).thenReturn(version(4, true));
    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id4");
    assertThat(release.getStatus().getSelected().getVersionNumber()).isEqualTo(4);
    assertThat(release.getStatus().getSelected().getSelectedAt())
        .isEqualTo("2026-11-23T10:11:00Z")
        .isNotEqualTo(firstSelected);
    assertThat(release.getStatus().getHistory().get(0).getBy()).isEqualTo("Operator");
  }

  @Test
  void anUnchangedSelectionKeepsItsSelectedAtAndARepeatedNoMatchWritesNothing() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, null);
    agentHas(version(3, true), version(2, false));
    reconciler.reconcile(release, null);
    ai.smallest.atoms.operator.api.SelectedVersion first = release.getStatus().getSelected();

    clock.advance(Duration.ofMinutes(11));
    reconciler.reconcile(release, null);

    assertThat(release.getStatus().getSelected()).isEqualTo(first);
    verify(atoms, never()).activateVersion(any(), anyString(), anyString());

    release.getSpec().getVersionSelector().setMinVersionNumber(10);
    release.getMetadata().setGeneration(2L);
    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.NoVersionSelected.value());
    int writes = statusWrites;

    clock.advance(Duration.ofMinutes(11));
    reconciler.reconcile(release, null);

    assertThat(statusWrites).as("the same finding again").isEqualTo(writes);
    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
  }

  @Test
  void aSelectedVersionChangedInTheConsoleIsDriftAndIsCorrected() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, null);
    agentHas(version(5, true), version(4, false));
    reconciler.reconcile(release, null);
    clock.advance(Duration.ofMinutes(11));
    agentHas(version(5, false), version(4, true));
    when(atoms.activateVersion(KEY, "agent-1", "id5")).thenReturn(version(5, true));

    reconciler.reconcile(release, null);

    verify(atoms, times(1)).activateVersion(KEY, "agent-1", "id5");
    assertThat(release.getStatus().getHistory().get(0).getBy()).isEqualTo("DriftCorrection");
  }

  @Test
  void observeSaysWhichVersionTheSelectorWouldActivate() {
    selector(ai.smallest.atoms.operator.api.VersionStrategy.Latest, null, null);
    release.getSpec().setManagementPolicy(ai.smallest.atoms.operator.api.ManagementPolicy.Observe);
    agentHas(version(3, true), version(4, false));

    reconciler.reconcile(release, null);

    verify(atoms, never()).activateVersion(any(), anyString(), anyString());
    assertThat(condition(Conditions.READY).getMessage())
        .contains("Manage would activate version 4 (the latest published version)");
    assertThat(release.getStatus().getSelected().getVersionNumber()).isEqualTo(4);
  }

  @Test
  void everyWayOfDeclaringRecordsWhatItResolvedTo() {
    agentHas(version(2, true), version(1, false));
    reconciler.reconcile(release, null);
    assertThat(release.getStatus().getSelected().getVersionNumber()).isEqualTo(2);

    release.getSpec().setVersionNumber(9);
    release.getMetadata().setGeneration(2L);
    reconciler.reconcile(release, null);
    assertThat(condition(Conditions.READY).getReason()).isEqualTo(Reason.VersionNotFound.value());
    assertThat(release.getStatus().getSelected()).as("nothing resolved").isNull();
  }

  @Test
  void refusedStatusWriteLeavesStatusAloneForJosdkToRetry() {
    var conflict =
        new io.fabric8.kubernetes.client.KubernetesClientException(
            "the object has been modified", 409, null);

    var control =
        reconciler.updateErrorStatus(
            release, null, new RuntimeException("status patch failed", conflict));

    assertThat(control.getResource()).isEmpty();
  }

  @Test
  void unexpectedErrorIsReportedAsReconcileError() {
    var control =
        reconciler.updateErrorStatus(
            release, null, new IllegalStateException("secrets is forbidden"));

    AgentRelease reported = control.getResource().orElseThrow();
    Condition ready = reported.getStatus().ready().orElseThrow();
    assertThat(ready.getReason()).isEqualTo(Reason.ReconcileError.value());
    assertThat(ready.getMessage()).contains("secrets is forbidden");
  }
}
