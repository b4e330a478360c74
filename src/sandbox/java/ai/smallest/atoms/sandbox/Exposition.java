package ai.smallest.atoms.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series of a Prometheus text exposition (what /q/metrics serves): metric names, and per metric
 * the label names and values its series carry. Samples' values are not kept.
 */
final class Exposition {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Map<String, Set<String>>> series = new HashMap<>();

  private Exposition() {}

  static Exposition parse(String text) {
    Exposition exposition = new Exposition();
    for (String line : text.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, Set<String>> labels =
          exposition.series.computeIfAbsent(sample.group(1), n -> new HashMap<>());
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.computeIfAbsent(label.group(1), l -> new TreeSet<>()).add(label.group(2));
        }
      }
    }
    return exposition;
  }

  Set<String> names() {
    return new TreeSet<>(series.keySet());
  }

  Set<String> labels(String metric) {
    return new TreeSet<>(series.getOrDefault(metric, Map.of()).keySet());
  }

  Set<String> values(String metric, String label) {
    return series.getOrDefault(metric, Map.of()).getOrDefault(label, Set.of());
  }
}
