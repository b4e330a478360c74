package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.ActivationWindow;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.status.Outcome;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * spec.activationWindows evaluated at one instant: is a window open, and when does the next one
 * open. A window opens at every time its UNIX cron schedule names, read in its IANA time zone, and
 * stays open for its duration of elapsed time: [start, start + duration).
 *
 * <p>Daylight-saving time follows cron-utils' reading of local times, pinned down by the tests: a
 * start at a local time that the spring-forward gap skips (02:30 in Europe/Berlin on the last
 * Sunday of March) does not happen that day, so that day has no such window; a start at a local
 * time that the autumn fall-back repeats (02:30 on the last Sunday of October) happens once, at its
 * first occurrence. Durations are elapsed time, so a 2h window always lasts two hours, whatever the
 * clocks do meanwhile. Schedules outside 02:00–03:00 local time, or in UTC, avoid both cases.
 */
final class ActivationWindows {

  /** Shorter windows are almost certainly a typo (and shorter than an activation takes). */
  static final Duration MINIMUM_DURATION = Duration.ofMinutes(1);

  private static final CronParser UNIX_CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final List<Parsed> windows;

  private ActivationWindows(List<Parsed> windows) {
    this.windows = windows;
  }

  /**
   * The windows of a spec that passed {@link #problems}; an unparseable window (which validation
   * reports) is left out rather than thrown.
   */
  static ActivationWindows of(List<ActivationWindow> declared) {
    List<Parsed> parsed = new ArrayList<>();
    for (ActivationWindow window : declared) {
      parse(window).ifPresent(parsed::add);
    }
    return new ActivationWindows(parsed);
  }

  /** No windows declared: activations may happen at any time. */
  boolean unrestricted() {
    return windows.isEmpty();
  }

  /** Whether some window is open at {@code now}. */
  boolean isOpen(Instant now) {
    return windows.stream().anyMatch(w -> w.isOpen(now));
  }

  /** The earliest start of a window after {@code now}, in that window's zone. */
  Optional<ZonedDateTime> nextStart(Instant now) {
    return windows.stream()
        .map(w -> w.nextStart(now))
        .flatMap(Optional::stream)
        .min(Comparator.comparing(ZonedDateTime::toInstant));
  }

  /**
   * Holds an activation back while every window is closed: the outcome names the next window's
   * start and asks to be looked at exactly then. Empty when the activation may go ahead: no
   * windows, one is open, or an activate-now annotation with a new value lets this one through.
   */
  static Optional<Outcome> hold(AgentRelease release, Instant now, String what, AgentVersion live) {
    ActivationWindows windows = of(release.getSpec().windows());
    if (windows.unrestricted() || windows.isOpen(now) || release.hasUnhandledActivateNow()) {
      return Optional.empty();
    }
    Optional<ZonedDateTime> next = windows.nextStart(now);
    String liveNow =
        live == null ? "" : "; version " + live.versionNumber() + " stays live until then";
    String howToOverride =
        ". To activate it now: kubectl annotate agr "
            + release.getMetadata().getName()
            + " "
            + AgentRelease.ACTIVATE_NOW
            + "=\"$(date +%s)\" --overwrite";
    if (next.isEmpty()) {
      return Optional.of(
          Outcome.waiting(
              Reason.OutsideActivationWindow,
              "Outside spec.activationWindows, and none of them opens again: "
                  + what
                  + " is not activated"
                  + liveNow
                  + howToOverride,
              live,
              null));
    }
    return Optional.of(
        Outcome.waiting(
            Reason.OutsideActivationWindow,
            "Outside spec.activationWindows: "
                + what
                + " will be activated when the next window opens at "
                + format(next.get())
                + liveNow
                + howToOverride,
            live,
            Duration.between(now, next.get().toInstant())));
  }

  /** RFC 3339 in the window's own zone, with the zone's name: 2026-11-23T22:00:00+01:00. */
  static String format(ZonedDateTime start) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start) + " (" + start.getZone() + ")";
  }

  /** One message per invalid window, naming it by index; empty when all are valid. */
  static List<String> problems(List<ActivationWindow> declared) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      ActivationWindow window = declared.get(i);
      String at = "spec.activationWindows[" + i + "]";
      if (window == null) {
        problems.add(at + " must be an object with schedule and duration");
        continue;
      }
      if (window.getSchedule() == null) {
        problems.add(at + ".schedule is required");
      } else {
        cronProblem(window.getSchedule())
            .ifPresent(
                p ->
                    problems.add(
                        at
                            + ".schedule must be a 5-field cron expression (minute hour"
                            + " day-of-month month day-of-week): "
                            + p));
      }
      if (window.getDuration() == null) {
        problems.add(at + ".duration is required");
      } else if (Intervals.parse(window.getDuration())
          .filter(d -> d.compareTo(MINIMUM_DURATION) >= 0)
          .isEmpty()) {
        problems.add(at + ".duration must be a duration of at least 1m such as 90m or 2h");
      }
      if (zone(window.getTimeZone()).isEmpty()) {
        problems.add(
            at + ".timeZone must be an IANA time zone such as Europe/Berlin or UTC (see tzdata)");
      }
    }
    return problems;
  }

  private static Optional<String> cronProblem(String schedule) {
    String trimmed = schedule.strip();
    if (trimmed.split("\\s+").length != 5) {
      return Optional.of("it has " + trimmed.split("\\s+").length + " fields");
    }
    try {
      Cron cron = UNIX_CRON.parse(trimmed);
      cron.validate();
      return Optional.empty();
    } catch (RuntimeException invalid) {
      // cron-utils' messages name the field and the value, never anything secret.
      String message = invalid.getMessage();
      return Optional.of(message == null ? "it cannot be parsed" : message);
    }
  }

  /** IANA region names and UTC only: offsets such as +02:00 have no DST rules worth a window. */
  private static Optional<ZoneId> zone(String timeZone) {
    String name = timeZone == null ? ActivationWindow.DEFAULT_TIME_ZONE : timeZone;
    if (!ZoneId.getAvailableZoneIds().contains(name)) {
      return Optional.empty();
    }
    return Optional.of(ZoneId.of(name));
  }

  private static Optional<Parsed> parse(ActivationWindow window) {
    if (window == null
        || window.getSchedule() == null
        || cronProblem(window.getSchedule()).isPresent()) {
      return Optional.empty();
    }
    Optional<Duration> duration =
        Intervals.parse(window.getDuration()).filter(d -> d.compareTo(MINIMUM_DURATION) >= 0);
    Optional<ZoneId> zone = zone(window.getTimeZone());
    if (duration.isEmpty() || zone.isEmpty()) {
      return Optional.empty();
    }
    Cron cron = UNIX_CRON.parse(window.getSchedule().strip());
    return Optional.of(new Parsed(ExecutionTime.forCron(cron), duration.get(), zone.get()));
  }

  private record Parsed(ExecutionTime starts, Duration duration, ZoneId zone) {

    /**
     * Open iff a start lies in (now - duration, now]: the first start after now - duration is the
     * only candidate, and it must not be later than now.
     */
    boolean isOpen(Instant now) {
      return starts
          .nextExecution(now.minus(duration).atZone(zone))
          .map(start -> !start.toInstant().isAfter(now))
          .orElse(false);
    }

    Optional<ZonedDateTime> nextStart(Instant now) {
      return starts.nextExecution(now.atZone(zone));
    }
  }
}
