package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.Outcome;
import java.time.Duration;
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
}
