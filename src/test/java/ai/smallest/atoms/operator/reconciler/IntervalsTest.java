package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntervalsTest {

  @Test
  void parsesGoStyleDurations() {
    assertThat(Intervals.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Intervals.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Intervals.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Intervals.parse("1.5h")).contains(Duration.ofMinutes(90));
    assertThat(Intervals.parse("500ms")).contains(Duration.ofMillis(500));
  }

  @Test
  void rejectsAnythingElse() {
    assertThat(Intervals.parse("10")).isEmpty();
    assertThat(Intervals.parse("PT10M")).isEmpty();
    assertThat(Intervals.parse("-5m")).isEmpty();
    assertThat(Intervals.parse("5 m")).isEmpty();
    assertThat(Intervals.parse("")).isEmpty();
    assertThat(Intervals.parse(null)).isEmpty();
  }
}
