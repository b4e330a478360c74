package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.status.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When windows are open, when the next one starts, and what daylight-saving time does to them. */
class ActivationWindowsTest {

  /** Weekdays 22:00–24:00 in Berlin. */
  private static final ActivationWindow NIGHTLY_BERLIN =
      new ActivationWindow("0 22 * * 1-5", "2h", "Europe/Berlin");

  private static ActivationWindows windows(ActivationWindow... windows) {
    return ActivationWindows.of(List.of(windows));
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void noWindowsMeansActivationsAtAnyTime() {
    assertThat(windows().unrestricted()).isTrue();
  }

  @Test
  void aWindowIsOpenFromItsStartForItsDurationAndClosedAtItsEnd() {
    ActivationWindows nightly = windows(NIGHTLY_BERLIN);
    // Monday 2026-11-23; Berlin is UTC+1 in November: the window is 21:00–23:00 UTC.
    assertThat(nightly.isOpen(at("2026-11-23T20:59:59Z"))).isFalse();
    assertThat(nightly.isOpen(at("2026-11-23T21:00:00Z"))).isTrue();
    assertThat(nightly.isOpen(at("2026-11-23T22:59:59.999Z"))).isTrue();
    assertThat(nightly.isOpen(at("2026-11-23T23:00:00Z"))).isFalse();
  }

  @Test
  void theNextStartIsTheEarliestOfAllWindowsInItsOwnZone() {
    ActivationWindows two =
        windows(NIGHTLY_BERLIN, new ActivationWindow("30 6 * * *", "30m", "America/New_York"));

    // Monday 12:00 UTC: Berlin opens at 21:00 UTC, New York (UTC-5) next at 11:30 UTC Tuesday.
    Optional<ZonedDateTime> next = two.nextStart(at("2026-11-23T12:00:00Z"));

    assertThat(next).isPresent();
    assertThat(next.get().toInstant()).isEqualTo(at("2026-11-23T21:00:00Z"));
    assertThat(ActivationWindows.format(next.get()))
        .isEqualTo("2026-11-23T22:00:00+01:00 (Europe/Berlin)");
  }

  @Test
  void aWindowThatRunsPastMidnightIsOpenAfterMidnight() {
    ActivationWindows lateNight = windows(new ActivationWindow("0 23 * * *", "3h", "UTC"));

    assertThat(lateNight.isOpen(at("2026-11-24T01:30:00Z"))).isTrue();
    assertThat(lateNight.isOpen(at("2026-11-24T02:00:00Z"))).isFalse();
  }

  @Test
  void weekendsAreClosedForAWeekdaySchedule() {
    ActivationWindows nightly = windows(NIGHTLY_BERLIN);
    // Saturday 2026-11-28 21:30 UTC = 22:30 Berlin, but Saturday is not in 1-5.
    assertThat(nightly.isOpen(at("2026-11-28T21:30:00Z"))).isFalse();
    assertThat(nightly.nextStart(at("2026-11-28T21:30:00Z")).orElseThrow().toInstant())
        .isEqualTo(at("2026-11-30T21:00:00Z"));
  }

  @Test
  void springForwardSkipsAStartThatFallsInTheGapThatDay() {
    // Europe/Berlin skips 02:00–03:00 on Sunday 2026-03-29: there is no 02:30 that day.
    ActivationWindows atHalfPastTwo =
        windows(new ActivationWindow("30 2 * * *", "1h", "Europe/Berlin"));

    ZonedDateTime next = atHalfPastTwo.nextStart(at("2026-03-28T12:00:00Z")).orElseThrow();

    // The next start is Monday's 02:30 CEST; Sunday has no window at all.
    assertThat(next.toInstant()).isEqualTo(at("2026-03-30T00:30:00Z"));
    assertThat(atHalfPastTwo.isOpen(at("2026-03-29T01:00:00Z"))).isFalse();
    assertThat(atHalfPastTwo.isOpen(at("2026-03-29T02:00:00Z"))).isFalse();
    // A start outside the gap is unaffected: 04:00 CEST on the day of the change.
    assertThat(
            windows(new ActivationWindow("0 4 * * *", "1h", "Europe/Berlin"))
                .isOpen(at("2026-03-29T02:30:00Z")))
        .isTrue();
  }

  @Test
  void fallBackOpensARepeatedLocalTimeOnceAndDurationsStayElapsedTime() {
    // Europe/Berlin repeats 02:00–03:00 on Sunday 2026-10-25 (first CEST, then CET).
    ActivationWindows atHalfPastTwo =
        windows(new ActivationWindow("30 2 * * *", "2h", "Europe/Berlin"));

    ZonedDateTime next = atHalfPastTwo.nextStart(at("2026-10-24T12:00:00Z")).orElseThrow();

    assertThat(next.toInstant()).isEqualTo(at("2026-10-25T00:30:00Z")); // 02:30 CEST
    assertThat(atHalfPastTwo.nextStart(next.toInstant()).orElseThrow().toInstant())
        .as("the second 02:30 (CET) is not another start")
        .isEqualTo(at("2026-10-26T01:30:00Z"));
    // Two hours of elapsed time: 00:30–02:30 UTC, though the wall clock shows 02:30 → 03:30 CET.
    assertThat(atHalfPastTwo.isOpen(at("2026-10-25T02:29:00Z"))).isTrue();
    assertThat(atHalfPastTwo.isOpen(at("2026-10-25T02:30:00Z"))).isFalse();
  }

  @Test
  void validWindowsHaveNoProblems() {
    assertThat(
            ActivationWindows.problems(
                List.of(
                    NIGHTLY_BERLIN,
                    new ActivationWindow("*/15 9-17 * JAN-MAR MON-FRI", "10m", "UTC"),
                    new ActivationWindow("0 0 1 * *", "1h30m", null))))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"61 * * * *", "0 25 * * *", "0 22 * * 8", "* * * *", "0 0 0 * * *", "x"})
  void anInvalidScheduleIsAProblemNamingTheWindow(String schedule) {
    List<String> problems =
        ActivationWindows.problems(List.of(new ActivationWindow(schedule, "1h", "UTC")));

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("spec.activationWindows[0].schedule");
  }

  @ParameterizedTest
  @ValueSource(strings = {"30s", "0m", "2 hours", "", "-1h"})
  void aDurationUnderAMinuteOrUnreadableIsAProblem(String duration) {
    assertThat(
            ActivationWindows.problems(
                List.of(new ActivationWindow("0 22 * * *", duration, "UTC"))))
        .singleElement()
        .asString()
        .startsWith("spec.activationWindows[0].duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Europe/Berlln", "+02:00", "GMT+2", "CEST", "", "../etc/passwd"})
  void aZoneThatIsNotAnIanaNameIsAProblem(String zone) {
    assertThat(ActivationWindows.problems(List.of(new ActivationWindow("0 22 * * *", "1h", zone))))
        .singleElement()
        .asString()
        .startsWith("spec.activationWindows[0].timeZone");
  }

  // ---- hold: what ReleaseSync asks before each activation ----

  private static final AgentVersion LIVE =
      new AgentVersion("id5", "agent-1", "published", 5, "v5", true, null, "user_console");

  private static AgentRelease releaseWith(ActivationWindow... windows) {
    AgentRelease release = TestReleases.byNumber("ns", "support", "agent-1", 3, "atoms");
    release.getSpec().setActivationWindows(new ArrayList<>(List.of(windows)));
    return release;
  }

  @Test
  void outsideEveryWindowTheActivationWaitsForExactlyTheNextStart() {
    Instant now = at("2026-11-23T12:00:00Z");

    Outcome held =
        ActivationWindows.hold(releaseWith(NIGHTLY_BERLIN), now, "version 3", LIVE).orElseThrow();

    assertThat(held.reason()).isEqualTo(Reason.OutsideActivationWindow);
    assertThat(held.retryAfter()).isEqualTo(Duration.ofHours(9));
    assertThat(held.liveVersion()).isEqualTo(LIVE);
    assertThat(held.message())
        .contains(
            "version 3 will be activated when the next window opens at 2026-11-23T22:00:00+01:00 (Europe/Berlin)")
        .contains("version 5 stays live")
        .contains("atoms.smallest.ai/activate-now");
  }

  @Test
  void insideAWindowOrWithoutWindowsNothingIsHeld() {
    assertThat(
            ActivationWindows.hold(
                releaseWith(NIGHTLY_BERLIN), at("2026-11-23T21:30:00Z"), "v", LIVE))
        .isEmpty();
    assertThat(ActivationWindows.hold(releaseWith(), at("2026-11-23T12:00:00Z"), "v", LIVE))
        .isEmpty();
  }

  @Test
  void aNewActivateNowValueLetsOneActivationThroughAndAHandledOneDoesNot() {
    AgentRelease release = releaseWith(NIGHTLY_BERLIN);
    release.getMetadata().setAnnotations(Map.of(AgentRelease.ACTIVATE_NOW, "1"));
    Instant now = at("2026-11-23T12:00:00Z");

    assertThat(ActivationWindows.hold(release, now, "version 3", LIVE)).isEmpty();

    release.setStatus(new AgentReleaseStatus());
    release.getStatus().setLastHandledActivateNow("1");
    assertThat(ActivationWindows.hold(release, now, "version 3", LIVE)).isPresent();
  }

  @Test
  void aScheduleThatNeverFiresAgainWaitsForTheResyncAndSaysSo() {
    // February 30th is a valid cron day-of-month that no calendar has.
    AgentRelease release = releaseWith(new ActivationWindow("0 0 30 2 *", "1h", "UTC"));

    Outcome held =
        ActivationWindows.hold(release, at("2026-11-23T12:00:00Z"), "version 3", null)
            .orElseThrow();

    assertThat(held.retryAfter()).isNull();
    assertThat(held.message()).contains("none of them opens again");
  }
}
