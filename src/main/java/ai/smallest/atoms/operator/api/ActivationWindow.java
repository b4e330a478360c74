package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * One period in which the operator may change the live version (Argo CD's sync windows, for
 * activations): it opens at each time {@code schedule} names, in {@code timeZone}, and stays open
 * for {@code duration}. The patterns here catch typos at {@code kubectl apply}; the operator parses
 * the cron expression and the zone again (SpecValidator), since a pattern cannot tell "61 * * * *"
 * or "Europe/Berlln" from a valid value.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActivationWindow {

  /** Five whitespace-separated cron fields (minute hour day-of-month month day-of-week). */
  public static final String SCHEDULE_PATTERN = "^\\s*\\S+(\\s+\\S+){4}\\s*$";

  /** IANA zone names: Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+2, UTC. */
  public static final String TIME_ZONE_PATTERN = "^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$";

  public static final String DEFAULT_TIME_ZONE = "UTC";

  @Required
  @Size(min = 9, max = 128)
  @Pattern(SCHEDULE_PATTERN)
  @JsonPropertyDescription(
      "When the window opens, as a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 22 * * 1-5\" for 22:00 on weekdays.")
  private String schedule;

  @Required
  @Size(max = 32)
  @Pattern(AgentReleaseSpec.INTERVAL_PATTERN)
  @ValidationRule(
      value = "duration(self) >= duration('1m')",
      message = "an activation window must last at least 1m")
  @JsonPropertyDescription(
      "How long the window stays open after each start (e.g. 2h, 90m); at least 1m. Elapsed time, so a window that spans a daylight-saving change lasts exactly this long.")
  private String duration;

  @Default(DEFAULT_TIME_ZONE)
  @Size(min = 1, max = 64)
  @Pattern(TIME_ZONE_PATTERN)
  @JsonPropertyDescription(
      "IANA time zone the schedule is read in (e.g. Europe/Berlin). Defaults to UTC.")
  private String timeZone = DEFAULT_TIME_ZONE;

  public ActivationWindow() {}

  public ActivationWindow(String schedule, String duration, String timeZone) {
    this.schedule = schedule;
    this.duration = duration;
    this.timeZone = timeZone;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivationWindow other
        && Objects.equals(schedule, other.schedule)
        && Objects.equals(duration, other.duration)
        && Objects.equals(timeZone, other.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schedule, duration, timeZone);
  }

  @Override
  public String toString() {
    return "\"" + schedule + "\" for " + duration + " (" + timeZone + ")";
  }
}
