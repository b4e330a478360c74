package ai.smallest.atoms.sandbox;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects: what alert rules and dashboard panels need the
 * operator to export. A small lexer, enough for the expressions this project ships (selectors,
 * functions, aggregations with by/without, binary operators, ranges): strings, label matchers,
 * ranges and grouping labels are dropped; an identifier that calls (is followed by "(") is a
 * function or aggregation; keywords are operators; every other identifier is a metric name.
 */
final class PromQl {

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "atan2",
          "inf",
          "nan");

  private static final Pattern STRINGS =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^{}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One label matcher of a selector: {@code metric{label OP "value"}}. */
  record Matcher(String metric, String label, String operator, String value) {
    /** An equality matcher on a literal (not a Grafana variable). */
    boolean equality() {
      return operator.equals("=") && !value.contains("$");
    }
  }

  private PromQl() {}

  /** The label matchers of every {@code metric{...}} selector in the expression. */
  static java.util.List<Matcher> matchers(String expression) {
    java.util.List<Matcher> matchers = new java.util.ArrayList<>();
    java.util.regex.Matcher s = SELECTOR.matcher(expression);
    while (s.find()) {
      java.util.regex.Matcher m = MATCHER.matcher(s.group(2));
      while (m.find()) {
        matchers.add(new Matcher(s.group(1), m.group(1), m.group(2), m.group(3)));
      }
    }
    return matchers;
  }

  static Set<String> metricNames(String expression) {
    String rest = STRINGS.matcher(expression).replaceAll("\"\"");
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGES.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    java.util.regex.Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group(1);
      boolean call = m.group(2) != null;
      if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }
}
