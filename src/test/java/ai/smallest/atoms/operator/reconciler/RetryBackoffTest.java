package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private static RetryBackoff withRandom(double value) {
    return new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> value);
  }

  @Test
  void delayDoublesPerAttemptUpToTheMaximum() {
    RetryBackoff backoff = withRandom(1.0);
    assertThat(backoff.nextDelay("r", null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.nextDelay("r", null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.nextDelay("r", null)).isEqualTo(Duration.ofSeconds(4));
    for (int i = 0; i < 40; i++) {
      backoff.nextDelay("r", null);
    }
    assertThat(backoff.nextDelay("r", null)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void countsOfDeletedReleasesAreSweptAsTheyGrow() {
    java.util.Set<String> live = new java.util.HashSet<>();
    RetryBackoff backoff =
        new RetryBackoff(
            Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0, () -> live::contains);
    live.add("survivor");
    backoff.nextDelay("survivor", null);
    backoff.nextDelay("survivor", null);

    for (int i = 0; i < 10_000; i++) {
      String uid = "uid-" + i;
      live.add(uid);
      backoff.nextDelay(uid, null);
      live.remove(uid); // deleted while it was failing: nobody calls reset
    }

    assertThat(backoff.releasesCounted()).isLessThanOrEqualTo(ReleaseSweep.MINIMUM + 1);
    assertThat(backoff.attempts("survivor")).isEqualTo(2);
  }

  @Test
  void jitterKeepsDelayBetweenHalfAndFullCeiling() {
    assertThat(withRandom(0.0).nextDelay("r", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(withRandom(0.5).nextDelay("r", null)).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void retryAfterIsAFloorUpToTheMaximum() {
    assertThat(withRandom(0.0).nextDelay("r", Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(withRandom(0.0).nextDelay("r", Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(withRandom(0.0).nextDelay("r", Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(withRandom(0.0).nextDelay("r", Duration.ofSeconds(-5)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void resetStartsOverAndReleasesAreCountedSeparately() {
    RetryBackoff backoff = withRandom(1.0);
    backoff.nextDelay("a", null);
    backoff.nextDelay("a", null);
    assertThat(backoff.nextDelay("b", null)).isEqualTo(Duration.ofSeconds(1));
    backoff.reset("a");
    assertThat(backoff.attempts("a")).isZero();
    assertThat(backoff.nextDelay("a", null)).isEqualTo(Duration.ofSeconds(1));
  }
}
