package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code labelSelector} query syntax: {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in
 * (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}, comma-separated and ANDed.
 */
public final class LabelSelector implements Predicate<JsonNode> {

  private final List<Predicate<JsonNode>> requirements;

  private LabelSelector(List<Predicate<JsonNode>> requirements) {
    this.requirements = requirements;
  }

  public static LabelSelector everything() {
    return new LabelSelector(List.of());
  }

  public static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return everything();
    }
    List<Predicate<JsonNode>> requirements = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      requirements.add(requirement(term.trim(), selector));
    }
    return new LabelSelector(requirements);
  }

  @Override
  public boolean test(JsonNode object) {
    return requirements.stream().allMatch(r -> r.test(object));
  }

  /** Splits on commas outside parentheses, so {@code a in (x,y),b} is two terms. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  private static Predicate<JsonNode> requirement(String term, String selector) {
    if (term.isEmpty()) {
      throw ApiException.badRequest(
          "unable to parse requirement: found '', expected: identifier in selector \""
              + selector
              + "\"");
    }
    String[] setOp = term.split("\\s+(notin|in)\\s+", 2);
    if (setOp.length == 2) {
      String key = setOp[0].trim();
      boolean notIn = term.substring(key.length()).trim().startsWith("notin");
      String values = setOp[1].trim();
      if (!values.startsWith("(") || !values.endsWith(")")) {
        throw ApiException.badRequest(
            "unable to parse requirement: expected '(' in selector \"" + selector + "\"");
      }
      Set<String> allowed = Set.of(values.substring(1, values.length() - 1).split("\\s*,\\s*"));
      return o -> {
        String value = label(o, key);
        return notIn
            ? value == null || !allowed.contains(value.trim())
            : value != null && allowed.contains(value);
      };
    }
    int notEquals = term.indexOf("!=");
    if (notEquals > 0) {
      String key = term.substring(0, notEquals).trim();
      String value = term.substring(notEquals + 2).trim();
      return o -> !value.equals(label(o, key));
    }
    int equals = term.indexOf('=');
    if (equals > 0) {
      String key = term.substring(0, equals).trim();
      String value = term.substring(term.startsWith("==", equals) ? equals + 2 : equals + 1).trim();
      return o -> value.equals(label(o, key));
    }
    if (term.startsWith("!")) {
      String key = term.substring(1).trim();
      return o -> label(o, key) == null;
    }
    return o -> label(o, term) != null;
  }

  private static String label(JsonNode object, String key) {
    JsonNode value = object.path("metadata").path("labels").get(key);
    return value == null || value.isNull() ? null : value.asText();
  }
}
