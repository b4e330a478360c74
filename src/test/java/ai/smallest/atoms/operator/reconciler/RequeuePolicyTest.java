package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import ai.smallest.atoms.operator.status.SyncTiming;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequeuePolicyTest {

  private final OperatorConfig config = mock(OperatorConfig.class);
  private final RetryBackoff backoff =
      new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 1.0);

  @Test
  void resyncJitterStaysWithinTenPercent() {
    assertThat(new RequeuePolicy(config, backoff, () -> 0.0).jittered(Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofMinutes(9));
    assertThat(new RequeuePolicy(config, backoff, () -> 1.0).jittered(Duration.ofMinutes(10)))
        .isEqualTo(Duration.ofMinutes(11));
  }

  @Test
  void invalidOrTooShortSpecIntervalFallsBackToTheOperatorDefault() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.5);
    var release = ai.smallest.atoms.operator.TestReleases.byNumber("ns", "r", "a", 1, null);

    release.getSpec().setInterval("100ms");
    assertThat(policy.resyncInterval(release)).isEqualTo(Duration.ofMinutes(10));
    release.getSpec().setInterval("90s");
    assertThat(policy.resyncInterval(release)).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aScheduledOutcomeIsLookedAtExactlyThenUnlessTheResyncComesFirst() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.5);
    var release = ai.smallest.atoms.operator.TestReleases.byNumber("ns", "r", "a", 1, null);
    Duration soon = Duration.ofMinutes(4).plusMillis(321);

    assertThat(
            policy.after(
                release, Outcome.waiting(Reason.OutsideActivationWindow, "wait", null, soon)))
        .contains(soon);
    assertThat(
            policy.after(
                release,
                Outcome.waiting(Reason.OutsideActivationWindow, "wait", null, Duration.ofHours(9))))
        .contains(Duration.ofMinutes(10));
    assertThat(
            policy.after(
                release, Outcome.waiting(Reason.OutsideActivationWindow, "wait", null, null)))
        .contains(Duration.ofMinutes(10));
    assertThat(
            policy.after(
                release,
                Outcome.waiting(Reason.OutsideActivationWindow, "wait", null, Duration.ZERO)))
        .as("never zero: a clock a hair behind the timer must not spin")
        .contains(Duration.ofMillis(1));
  }

  /** A release Ready for its generation, last written as confirmed at {@code syncedAt}. */
  private static ai.smallest.atoms.operator.api.AgentRelease readyRelease(Instant syncedAt) {
    var release = ai.smallest.atoms.operator.TestReleases.byNumber("ns", "r", "a", 1, null);
    release.getMetadata().setUid("uid-r");
    var live =
        new ai.smallest.atoms.operator.atoms.AgentVersion(
            "v1", "a", "published", 1, null, true, null, null);
    release.setStatus(
        StatusCalculator.next(
            release,
            Outcome.ready(live, Outcome.Activation.NONE),
            syncedAt,
            Duration.ofMinutes(10),
            10));
    return release;
  }

  @Test
  void aReadyReleaseThisProcessHasNotCheckedIsFirstCheckedAtOneRandomMomentWithinAnInterval() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.25);
    Instant started = Instant.parse("2026-12-01T10:00:00Z");
    // Written 50 minutes before this process started: stale, but the heartbeat keeps it that way.
    var release = readyRelease(started.minus(Duration.ofMinutes(50)));

    assertThat(policy.quietFor(release, started)).contains(Duration.ofMillis(150_000));
    assertThat(policy.quietFor(release, started.plus(Duration.ofMinutes(1))))
        .as("the same moment, however often it is asked")
        .contains(Duration.ofMillis(90_000));
    assertThat(policy.quietFor(release, started.plus(Duration.ofMillis(150_000))))
        .as("due: check it")
        .isEmpty();
  }

  @Test
  void aConfirmationInMemoryKeepsAReleaseQuietWhatEverItsLastSyncedAtSays() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.5);
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    var release = readyRelease(now.minus(Duration.ofMinutes(50)));

    policy.confirmed(release, now.minus(Duration.ofMinutes(4)));

    assertThat(policy.quietFor(release, now)).contains(Duration.ofMinutes(6));
    assertThat(policy.quietFor(release, now.plus(Duration.ofMinutes(6))))
        .as("0.9 intervals after the confirmation: the resync is due")
        .isEmpty();
  }

  @Test
  void aNewGenerationIsNeverDeferred() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.9);
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    var edited = readyRelease(now.minus(Duration.ofMinutes(50)));
    edited.getMetadata().setGeneration(2L);

    assertThat(policy.quietFor(edited, now)).isEmpty();
  }

  @Test
  void theTimingCarriesTheHeartbeatAndTheConfirmationInMemory() {
    when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
    when(config.statusHeartbeat()).thenReturn(Duration.ofHours(1));
    RequeuePolicy policy = new RequeuePolicy(config, backoff, () -> 0.5);
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    var release = readyRelease(now);

    assertThat(policy.timing(release))
        .isEqualTo(new SyncTiming(Duration.ofMinutes(10), Duration.ofHours(1), null));
    policy.confirmed(release, now);
    assertThat(policy.timing(release).confirmedInMemory()).isEqualTo(now);
  }
}
