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

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pure reconcile logic with a mocked Atoms client: which calls are made, what status says. */
class AgentReleaseReconcilerTest {

  private static final String SECRET_KEY = "sk-live-0123456789";
  private static final ApiKey KEY = ApiKey.of(SECRET_KEY);
  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final Duration ERROR_RETRY = Duration.ofMinutes(5);

  private final AtomsClient atoms = mock(AtomsClient.class);
  private final ApiKeyResolver apiKeys = mock(ApiKeyResolver.class);
  private final ReleaseEvents events = mock(ReleaseEvents.class);
  private final OperatorConfig config = mock(OperatorConfig.class);
  private final ReleaseIndex releases = mock(ReleaseIndex.class);
  private OperatorMetrics metrics;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
  private AgentReleaseReconciler reconciler;
  private int statusWrites;
  private int intentWrites;
  private StatusWriter writer;
  private RequeuePolicy requeue;
  private AgentRelease release;

  @BeforeEach
  void setUp() {
    when(config.resyncInterval()).thenReturn(RESYNC);
    when(config.errorRetryInterval()).thenReturn(ERROR_RETRY);
    when(apiKeys.resolve(any())).thenReturn(new ResolvedApiKey(KEY, "Secret ns/atoms, key apiKey"));
    when(config.historyLimit()).thenReturn(10);
    when(config.conflictRecheckInterval()).thenReturn(Duration.ofSeconds(30));
    RetryBackoff backoff =
        new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
    // random 0.5 = no jitter, so resync delays are exact.
    requeue = new RequeuePolicy(config, backoff, () -> 0.5);
    metrics = new OperatorMetrics(new SimpleMeterRegistry());
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
    reconciler =
        new AgentReleaseReconciler(
            new ReleaseSync(
                atoms,
                apiKeys,
                releases,
                TestPolicies.OPEN_TENANCY,
                TestPolicies.NO_LEADER_ELECTION,
                clock),
            apiKeys,
            releases,
            requeue,
            events,
            writer,
            metrics,
            config,
            clock);
    release = TestReleases.byNumber("ns", "support", "agent-1", 2, "atoms");
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
    Clock ticking =
        new Clock() {
          private Instant now = clock.instant();

          @Override
          public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    AgentReleaseReconciler later =
        new AgentReleaseReconciler(
            new ReleaseSync(
                atoms,
                apiKeys,
                releases,
                TestPolicies.OPEN_TENANCY,
                TestPolicies.NO_LEADER_ELECTION,
                ticking),
            apiKeys,
            releases,
            requeue,
            events,
            writer,
            metrics,
            config,
            ticking);

    later.reconcile(release, null);
    String requestedAt = release.getStatus().getPendingActivation().getRequestedAt();
    later.reconcile(release, null);
    assertThat(release.getStatus().getPendingActivation().getRequestedAt()).isEqualTo(requestedAt);
    later.reconcile(release, null);

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
            new ReleaseSync(atoms, apiKeys, releases, TestPolicies.OPEN_TENANCY, fence, clock),
            apiKeys,
            releases,
            new RequeuePolicy(
                config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
            events,
            (r, status, context) -> {
              statusWrites++;
              return r;
            },
            metrics,
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
                clock),
            apiKeys,
            releases,
            new RequeuePolicy(
                config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
            events,
            (r, status, context) -> {
              throw new CachingStatusWriter.StatusWriteConflict(409);
            },
            metrics,
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
            clock),
        apiKeys,
        releases,
        requeue,
        events,
        racing,
        metrics,
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

    assertThat(racing.reads).isEqualTo(AgentReleaseReconciler.RECORD_ATTEMPTS);
    verifyNoInteractions(events);
    assertThat(control.getScheduleDelay()).contains(RequeuePolicy.AFTER_CONFLICT.toMillis());
    // The intent stays, so the next look that finds version 2 live still records it.
    assertThat(racing.stored.getStatus().getPendingActivation().getVersionId()).isEqualTo("id2");
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
        new ReleaseSync(atoms, apiKeys, releases, tenancy, TestPolicies.NO_LEADER_ELECTION, clock),
        apiKeys,
        releases,
        new RequeuePolicy(
            config, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0)),
        events,
        (r, status, context) -> {
          r.setStatus(status);
          return r;
        },
        metrics,
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
