package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset CRD printer columns use: {@code .a.b}, {@code ['a.b']}, {@code [0]}, {@code
 * [*]} and filters {@code [?(@.type=="Ready")]} (also {@code !=}). Missing keys give no result, as
 * with client-go's {@code AllowMissingKeys(true)}.
 */
final class SimpleJsonPath {

  private static final Pattern FILTER =
      Pattern.compile("\\?\\(@\\.([\\w.]+)\\s*(==|!=)\\s*(?:\"([^\"]*)\"|'([^']*)'|(\\S+?))\\)");

  private final List<String> steps;

  private SimpleJsonPath(List<String> steps) {
    this.steps = steps;
  }

  static SimpleJsonPath parse(String path) {
    String text = path.trim();
    if (text.startsWith("{") && text.endsWith("}")) {
      text = text.substring(1, text.length() - 1);
    }
    List<String> steps = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        if (end > i + 1) {
          steps.add("." + text.substring(i + 1, end));
        }
        i = end;
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated [ in " + path);
        }
        // A filter may contain ']' only inside quotes, which printer columns do not use.
        steps.add("[" + text.substring(i + 1, end));
        i = end + 1;
      } else if (c == '$') {
        i++;
      } else {
        int end = i;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        steps.add("." + text.substring(i, end));
        i = end;
      }
    }
    return new SimpleJsonPath(steps);
  }

  List<JsonNode> find(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (String step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        apply(step, node, next);
      }
      current = next;
    }
    return current;
  }

  private static void apply(String step, JsonNode node, List<JsonNode> out) {
    if (step.startsWith(".")) {
      add(node.get(step.substring(1)), out);
      return;
    }
    String inner = step.substring(1).trim();
    if (inner.equals("*")) {
      node.forEach(out::add);
    } else if (inner.startsWith("'") || inner.startsWith("\"")) {
      add(node.get(inner.substring(1, inner.length() - 1)), out);
    } else if (inner.startsWith("?")) {
      Matcher m = FILTER.matcher(inner);
      if (!m.matches()) {
        throw new IllegalArgumentException("unsupported filter " + inner);
      }
      String expected =
          m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
      boolean equals = m.group(2).equals("==");
      for (JsonNode item : node) {
        JsonNode value = item;
        for (String part : m.group(1).split("\\.")) {
          value = value.path(part);
        }
        boolean matches = !value.isMissingNode() && value.asText().equals(expected);
        if (matches == equals && !value.isMissingNode()) {
          out.add(item);
        }
      }
    } else if (node.isArray()) {
      int index = Integer.parseInt(inner);
      add(node.get(index < 0 ? node.size() + index : index), out);
    }
  }

  private static void add(JsonNode node, List<JsonNode> out) {
    if (node != null && !node.isMissingNode() && !node.isNull()) {
      out.add(node);
    }
  }
}
