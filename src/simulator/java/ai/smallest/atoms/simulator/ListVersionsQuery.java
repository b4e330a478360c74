package ai.smallest.atoms.simulator;

import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validated {@code limit}, {@code skip} and {@code isPinned} of a list request. */
record ListVersionsQuery(int limit, long skip, Boolean isPinned) {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final BigInteger MAX_SKIP = BigInteger.valueOf(Long.MAX_VALUE);

  /**
   * @throws IllegalArgumentException with the message the 400 response carries
   */
  static ListVersionsQuery parse(String rawQuery) {
    Map<String, List<String>> params = parameters(rawQuery);
    int limit =
        single(params, "limit")
            .map(
                value -> {
                  BigInteger n = nonNegativeInteger(value);
                  if (n == null
                      || n.signum() == 0
                      || n.compareTo(BigInteger.valueOf(MAX_LIMIT)) > 0) {
                    throw new IllegalArgumentException(
                        "limit must be an integer between 1 and " + MAX_LIMIT);
                  }
                  return n.intValue();
                })
            .orElse(DEFAULT_LIMIT);
    long skip =
        single(params, "skip")
            .map(
                value -> {
                  BigInteger n = nonNegativeInteger(value);
                  if (n == null) {
                    throw new IllegalArgumentException(
                        "skip must be an integer greater than or equal to 0");
                  }
                  return n.min(MAX_SKIP).longValue();
                })
            .orElse(0L);
    Boolean isPinned =
        single(params, "isPinned")
            .map(
                value ->
                    switch (value) {
                      case "true" -> Boolean.TRUE;
                      case "false" -> Boolean.FALSE;
                      default ->
                          throw new IllegalArgumentException("isPinned must be true or false");
                    })
            .orElse(null);
    return new ListVersionsQuery(limit, skip, isPinned);
  }

  ListVersionsQuery withSkip(long newSkip) {
    return new ListVersionsQuery(limit, newSkip, isPinned);
  }

  ListVersionsQuery withLimit(int newLimit) {
    return new ListVersionsQuery(newLimit, skip, isPinned);
  }

  ListVersionsQuery withPinned(Boolean pinned) {
    return new ListVersionsQuery(limit, skip, pinned);
  }

  /** A query string that {@link #parse} reads back as this query. */
  String toRawQuery() {
    return "limit=" + limit + "&skip=" + skip + (isPinned == null ? "" : "&isPinned=" + isPinned);
  }

  private static BigInteger nonNegativeInteger(String value) {
    return DIGITS.matcher(value).matches() ? new BigInteger(value) : null;
  }

  /** A repeated parameter becomes an array in Express and fails validation; mirror that. */
  private static Optional<String> single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new IllegalArgumentException(name + " must be given at most once");
    }
    return Optional.of(values.get(0));
  }

  private static Map<String, List<String>> parameters(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Malformed query string");
    }
  }
}
