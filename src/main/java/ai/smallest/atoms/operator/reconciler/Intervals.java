package ai.smallest.atoms.operator.reconciler;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Go-style durations of spec.interval (30s, 5m, 1h30m, 500ms), as Flux's interval does.
 */
final class Intervals {

  /** Shorter intervals would turn resyncs into polling that strains the Atoms API quota. */
  static final Duration MINIMUM = Duration.ofSeconds(1);

  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Intervals() {}

  /** A duration the way spec fields write it: 30m, 1h30m, 45s (whole seconds; 0s for less). */
  static String format(Duration duration) {
    long seconds = duration.getSeconds();
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
    }
    if (seconds % 3600 >= 60) {
      text.append(seconds % 3600 / 60).append('m');
    }
    if (seconds % 60 > 0 || text.length() == 0) {
      text.append(seconds % 60).append('s');
    }
    return text.toString();
  }

  /** The duration, or empty when the text is not a valid duration. */
  static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    double millis = 0;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      double value = Double.parseDouble(part.group(1));
      millis +=
          switch (part.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1_000;
            case "m" -> value * 60_000;
            default -> value * 3_600_000;
          };
    }
    return millis > Long.MAX_VALUE / 2
        ? Optional.empty()
        : Optional.of(Duration.ofMillis((long) millis));
  }
}
