package ai.smallest.atoms.operator.atoms;

import java.util.List;
import java.util.stream.Collectors;

/** Bodies of the Atoms API for stubbed answers. */
final class Json {

  static final String AGENT = "agent-1";

  private Json() {}

  /** A 24-hex ObjectId-like ID for version {@code n}. */
  static String id(int n) {
    return String.format("665f1e%018x", n);
  }

  static String version(int number, boolean active) {
    return "{\"_id\":\""
        + id(number)
        + "\",\"agent\":\""
        + AGENT
        + "\",\"status\":\"published\",\"versionNumber\":"
        + number
        + ",\"label\":\"v"
        + number
        + "\",\"isPinned\":false,\"isActive\":"
        + active
        + ",\"activatedAt\":"
        + (active ? "\"2026-01-01T00:00:00.000Z\"" : "null")
        + ",\"activatedBy\":null}";
  }

  static String page(List<String> versions, int total) {
    return "{\"status\":true,\"data\":{\"versions\":["
        + String.join(",", versions)
        + "],\"total\":"
        + total
        + "}}";
  }

  /** Newest first, none active: versions total-skip down to total-skip-limit+1. */
  static String newestFirst(int total, int skip, int limit) {
    List<String> versions =
        java.util.stream.IntStream.range(skip, Math.min(total, skip + limit))
            .mapToObj(i -> version(total - i, false))
            .collect(Collectors.toList());
    return page(versions, total);
  }

  static String activated(String body) {
    return "{\"status\":true,\"data\":" + body + "}";
  }

  static String errors(String... texts) {
    return "{\"status\":false,\"errors\":["
        + java.util.Arrays.stream(texts).map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
        + "]}";
  }

  /** Query parameter {@code name} of a raw request line, e.g. skip. */
  static int param(String request, String name) {
    for (String pair : request.substring(request.indexOf('?') + 1).split("&")) {
      if (pair.startsWith(name + "=")) {
        return Integer.parseInt(pair.substring(name.length() + 1));
      }
    }
    return -1;
  }
}
