package ai.smallest.atoms.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.status.Outcome.Activation;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {

  private static final Duration RESYNC = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final AgentVersion V3 =
      new AgentVersion(
          "id3", "agent", "published", 3, "Q2", true, "2026-11-23T09:00:00Z", "user_1");

  private final AgentRelease release = TestReleases.byNumber("ns", "r", "agent", 3, "s");

  private static Condition condition(AgentReleaseStatus status, String type) {
    return status.condition(type).orElse(null);
  }

  @Test
  void readyOutcomeSetsReadyTrueAndLiveVersionFields() {
    AgentReleaseStatus status =
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10);

    assertThat(status.getVersionNumber()).isEqualTo(3);
    assertThat(status.getVersionId()).isEqualTo("id3");
    assertThat(status.getLabel()).isEqualTo("Q2");
    assertThat(status.getActivatedAt()).isEqualTo("2026-11-23T09:00:00Z");
    assertThat(status.getActivatedBy()).isEqualTo("user_1");
    assertThat(status.getActivated()).isTrue();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getLastSyncedAt()).isEqualTo("2026-11-23T10:00:00Z");
    Condition ready = condition(status, Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo(Reason.Activated.value());
    assertThat(ready.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(status, Conditions.RECONCILING)).isNull();
    assertThat(condition(status, Conditions.STALLED)).isNull();
  }

  @Test
  void alreadyActiveVersionIsUpToDateAndNotActivatedByUs() {
    AgentReleaseStatus status =
        StatusCalculator.next(release, Outcome.ready(V3, Activation.NONE), T0, RESYNC, 10);

    assertThat(status.getActivated()).isFalse();
    assertThat(condition(status, Conditions.READY).getReason()).isEqualTo(Reason.UpToDate.value());
  }

  @Test
  void sameOutcomeWithinResyncIntervalProducesAnEqualStatus() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));

    AgentReleaseStatus again =
        StatusCalculator.next(
            release, Outcome.ready(V3, Activation.NONE), T0.plusSeconds(60), RESYNC, 10);

    assertThat(again).isEqualTo(release.getStatus());
    // The reason stays Activated: the last change was ours, re-confirming it is no news.
    assertThat(condition(again, Conditions.READY).getReason()).isEqualTo(Reason.Activated.value());
  }

  @Test
  void lastSyncedAtIsRefreshedOnceTheResyncIntervalHasPassed() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));

    AgentReleaseStatus later =
        StatusCalculator.next(
            release, Outcome.ready(V3, Activation.NONE), T0.plus(RESYNC), RESYNC, 10);

    assertThat(later.getLastSyncedAt()).isEqualTo("2026-11-23T10:10:00Z");
    assertThat(condition(later, Conditions.READY).getLastTransitionTime())
        .isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void aRoutineResyncThatConfirmsNothingNewWritesNothingUntilTheHeartbeat() {
    SyncTiming hourly = new SyncTiming(RESYNC, Duration.ofHours(1), null);
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, hourly, 10));

    for (int resync = 1; resync < 6; resync++) {
      assertThat(
              StatusCalculator.next(
                  release,
                  Outcome.ready(V3, Activation.NONE),
                  T0.plus(RESYNC.multipliedBy(resync)),
                  hourly,
                  10))
          .as("resync %d of the hour: the same status, so no write", resync)
          .isEqualTo(release.getStatus());
    }
    AgentReleaseStatus afterAnHour =
        StatusCalculator.next(
            release, Outcome.ready(V3, Activation.NONE), T0.plus(Duration.ofHours(1)), hourly, 10);
    assertThat(afterAnHour.getLastSyncedAt()).isEqualTo("2026-11-23T11:00:00Z");
    assertThat(condition(afterAnHour, Conditions.READY).getLastTransitionTime())
        .isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void anyOtherChangeWritesTheConfirmationWithItEvenWithinTheHeartbeat() {
    SyncTiming hourly = new SyncTiming(RESYNC, Duration.ofHours(1), null);
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, hourly, 10));
    AgentVersion relabelled =
        new AgentVersion(
            "id3", "agent", "published", 3, "Q3", true, "2026-11-23T09:00:00Z", "user_1");

    AgentReleaseStatus status =
        StatusCalculator.next(
            release, Outcome.ready(relabelled, Activation.NONE), T0.plus(RESYNC), hourly, 10);

    assertThat(status.getLabel()).isEqualTo("Q3");
    assertThat(status.getLastSyncedAt()).isEqualTo("2026-11-23T10:10:00Z");
  }

  @Test
  void aConfirmationKeptInMemoryKeepsReadyThroughAFailedCheckAfterAnOldLastSyncedAt() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));
    // lastSyncedAt is 50 minutes old (the heartbeat has not come), but this process confirmed the
    // release 10 minutes ago: one failed list must not flip it to not-ready.
    Instant now = T0.plus(Duration.ofMinutes(50));
    Outcome failed = Outcome.retrying(Reason.ApiUnavailable, "Atoms answered 503", null, true);

    AgentReleaseStatus confirmedRecently =
        StatusCalculator.next(
            release,
            failed,
            now,
            new SyncTiming(RESYNC, Duration.ofHours(1), now.minus(RESYNC)),
            10);
    AgentReleaseStatus neverConfirmedHere =
        StatusCalculator.next(
            release, failed, now, new SyncTiming(RESYNC, Duration.ofHours(1), null), 10);

    assertThat(condition(confirmedRecently, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(confirmedRecently, Conditions.READY).getMessage())
        .contains("last confirmed at 2026-11-23T10:40:00Z");
    assertThat(condition(neverConfirmedHere, Conditions.READY).getStatus()).isEqualTo("False");
  }

  @Test
  void lastTransitionTimeChangesOnlyWhenConditionStatusChanges() {
    release.setStatus(
        StatusCalculator.next(
            release, Outcome.notReady(Reason.Unauthorized, "bad key"), T0, RESYNC, 10));
    String firstTransition =
        condition(release.getStatus(), Conditions.READY).getLastTransitionTime();

    AgentReleaseStatus otherReason =
        StatusCalculator.next(
            release,
            Outcome.notReady(Reason.Forbidden, "no access"),
            T0.plusSeconds(30),
            RESYNC,
            10);
    assertThat(condition(otherReason, Conditions.READY).getLastTransitionTime())
        .isEqualTo(firstTransition);
    assertThat(condition(otherReason, Conditions.READY).getReason())
        .isEqualTo(Reason.Forbidden.value());

    release.setStatus(otherReason);
    AgentReleaseStatus recovered =
        StatusCalculator.next(
            release, Outcome.ready(V3, Activation.DECLARED), T0.plusSeconds(90), RESYNC, 10);
    assertThat(condition(recovered, Conditions.READY).getLastTransitionTime())
        .isEqualTo("2026-11-23T10:01:30Z");
  }

  @Test
  void stalledOutcomeSetsStalledAndDropsReconciling() {
    release.setStatus(
        StatusCalculator.next(
            release, Outcome.retrying(Reason.ApiUnavailable, "503", null, false), T0, RESYNC, 10));
    assertThat(condition(release.getStatus(), Conditions.RECONCILING).getStatus())
        .isEqualTo("True");

    AgentReleaseStatus stalled =
        StatusCalculator.next(
            release, Outcome.notReady(Reason.AgentNotFound, "gone"), T0, RESYNC, 10);

    assertThat(condition(stalled, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(stalled, Conditions.STALLED).getReason())
        .isEqualTo(Reason.AgentNotFound.value());
    assertThat(condition(stalled, Conditions.RECONCILING)).isNull();
  }

  @Test
  void retryingOutcomeSetsReconcilingAndNotStalled() {
    AgentReleaseStatus status =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.RateLimited, "429", Duration.ofSeconds(3), false),
            T0,
            RESYNC,
            10);

    assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(status, Conditions.STALLED)).isNull();
    assertThat(status.getLastSyncedAt()).isNull();
  }

  @Test
  void failedResyncListKeepsAConfirmedReleaseReadyAndSaysTheCheckFailed() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));

    AgentReleaseStatus status =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.ApiUnavailable, "Atoms answered 503", null, true),
            T0.plus(RESYNC),
            RESYNC,
            10);

    Condition ready = condition(status, Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo(Reason.Activated.value());
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(ready.getMessage())
        .contains(
            "serves version 3", "last confirmed at 2026-11-23T10:00:00Z", "Atoms answered 503");
    assertThat(condition(status, Conditions.RECONCILING)).isNull();
    assertThat(status.getLastSyncedAt())
        .as("a failed check confirms nothing")
        .isEqualTo("2026-11-23T10:00:00Z");
  }

  @Test
  void failedResyncListTurnsReadyFalseOnceTheLastConfirmationIsTooOld() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));
    Instant tooLate = T0.plus(RESYNC.multipliedBy(StatusCalculator.CONFIRMATION_TOLERANCE));

    AgentReleaseStatus status =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.ApiUnavailable, "Atoms answered 503", null, true),
            tooLate,
            RESYNC,
            10);

    assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, Conditions.READY).getReason())
        .isEqualTo(Reason.ApiUnavailable.value());
    assertThat(condition(status, Conditions.RECONCILING).getStatus()).isEqualTo("True");
  }

  @Test
  void failedActivationTurnsReadyFalseEvenRightAfterAConfirmation() {
    // The list showed the declared version inactive (drift): Ready=True would be a lie.
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));

    AgentReleaseStatus status =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.ApiUnavailable, "Atoms answered 503", null, false),
            T0.plus(RESYNC),
            RESYNC,
            10);

    assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(status, Conditions.RECONCILING).getStatus()).isEqualTo("True");
  }

  @Test
  void failedFirstListOfANewGenerationIsNotReady() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));
    release.getMetadata().setGeneration(2L);

    AgentReleaseStatus status =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.RateLimited, "429", null, true),
            T0.plusSeconds(5),
            RESYNC,
            10);

    assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
  }

  @Test
  void suspendedIsReadyFalseWithoutStalledOrReconciling() {
    AgentReleaseStatus status =
        StatusCalculator.next(
            release, Outcome.notReady(Reason.Suspended, "suspended"), T0, RESYNC, 10);

    assertThat(condition(status, Conditions.READY).getReason()).isEqualTo(Reason.Suspended.value());
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly(Conditions.READY);
  }

  @Test
  void newGenerationIsRecordedOnStatusAndEveryCondition() {
    release.setStatus(
        StatusCalculator.next(
            release, Outcome.retrying(Reason.ApiUnavailable, "503", null, false), T0, RESYNC, 10));
    release.getMetadata().setGeneration(2L);

    AgentReleaseStatus status =
        StatusCalculator.next(
            release, Outcome.retrying(Reason.ApiUnavailable, "503", null, false), T0, RESYNC, 10);

    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
  }

  @Test
  void liveVersionChangedByConsoleIsNotMarkedAsOurActivation() {
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));
    AgentVersion v4 =
        new AgentVersion(
            "id4", "agent", "published", 4, "Q3", true, "2026-11-23T10:05:00Z", "someone");

    AgentReleaseStatus status =
        StatusCalculator.next(
            release, Outcome.ready(v4, Activation.NONE), T0.plusSeconds(60), RESYNC, 10);

    assertThat(status.getActivated()).isFalse();
    assertThat(status.getVersionNumber()).isEqualTo(4);
  }

  @Test
  void readyAndCurrentRequiresReadyTrueForTheCurrentGeneration() {
    assertThat(release.isReadyForCurrentGeneration()).isFalse();
    release.setStatus(
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10));
    assertThat(release.isReadyForCurrentGeneration()).isTrue();
    release.getMetadata().setGeneration(2L);
    assertThat(release.isReadyForCurrentGeneration()).isFalse();
  }

  @Test
  void theActivationIntentOutlivesATransientFailureAndNothingElse() {
    release.setStatus(
        StatusCalculator.withPendingActivation(
            release,
            new ai.smallest.atoms.operator.api.PendingActivation(
                V3.id(), 3, 1L, "2026-12-01T10:00:00Z", "Operator")));

    AgentReleaseStatus transientFailure =
        StatusCalculator.next(
            release,
            Outcome.retrying(Reason.ApiUnavailable, "timeout", null, false),
            T0,
            RESYNC,
            10);
    AgentReleaseStatus refused =
        StatusCalculator.next(
            release, Outcome.notReady(Reason.VersionNotPublished, "draft"), T0, RESYNC, 10);
    AgentReleaseStatus confirmed =
        StatusCalculator.next(release, Outcome.ready(V3, Activation.DECLARED), T0, RESYNC, 10);

    assertThat(transientFailure.getPendingActivation()).isNotNull();
    assertThat(refused.getPendingActivation()).isNull();
    assertThat(confirmed.getPendingActivation()).isNull();
    assertThat(confirmed.getHistory()).hasSize(1);
  }
}
