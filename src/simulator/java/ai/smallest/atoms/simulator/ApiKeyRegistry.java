package ai.smallest.atoms.simulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Valid API keys and the console user each one belongs to. */
final class ApiKeyRegistry {

  private static final Pattern BEARER =
      Pattern.compile("^Bearer\\s+(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> userByKey = new ConcurrentHashMap<>();

  void add(String apiKey, String userId) {
    if (apiKey == null || apiKey.isBlank() || userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("apiKey and userId must be non-blank");
    }
    userByKey.put(apiKey, userId);
  }

  /** The user id behind an {@code Authorization} header value, if it carries a known bearer key. */
  Optional<String> userFor(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    Matcher matcher = BEARER.matcher(authorizationHeader.trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.ofNullable(userByKey.get(matcher.group(1)));
  }
}
