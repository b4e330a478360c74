package ai.smallest.atoms.operator.atoms;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Agent and version IDs are data, never path. An ID goes into a request path only if it stays
 * exactly one path segment, equal to itself, whoever reads the path: after percent-decoding (once
 * or twice, as a careless proxy might), after dot-segment removal (RFC 3986 §5.2.4), and after the
 * usual server normalisations (backslash as slash, {@code ;} path parameters, Unicode folding).
 * Whatever the CRD admits, the client refuses, before any HTTP call, an ID that:
 *
 * <ul>
 *   <li>is empty or longer than {@link #MAX_LENGTH} characters;
 *   <li>consists of dots only ({@code .}, {@code ..}, and {@code ...}, which some servers trim);
 *   <li>contains a character outside printable ASCII ({@code !} to {@code ~}): control characters,
 *       spaces, and all non-ASCII, including look-alikes of {@code /} and {@code .} that
 *       NFKC-normalising servers fold ({@code ／}, {@code ．}) and unpaired surrogates;
 *   <li>contains {@code /} or {@code \}, {@code %} (an escape a decoding layer would turn into path
 *       syntax: {@code %2e%2e}, {@code %2F}), {@code ;} (path parameters: {@code ..;}), {@code ?}
 *       or {@code #}.
 * </ul>
 *
 * What remains is percent-encoded by the client itself (RFC 3986: every byte outside the unreserved
 * set {@code A-Z a-z 0-9 - . _ ~}), so {@code :}, {@code @}, {@code +} and friends travel as data
 * too. The contract's {@code _id}s are 24-hex ObjectIds; none of this limits them.
 */
public final class PathSegments {

  /** Longer IDs are refused: no ID the API issues comes close, and paths stay far below 8 KiB. */
  public static final int MAX_LENGTH = 256;

  private static final String FORBIDDEN = "/\\%;?#";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathSegments() {}

  /** Why {@code id} cannot be sent as one path segment; empty when it can. */
  public static Optional<String> problem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("is empty");
    }
    if (id.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    if (id.chars().allMatch(c -> c == '.')) {
      return Optional.of("is a dot segment");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '!' || c > '~') {
        return Optional.of(
            String.format(
                "contains U+%04X at position %d (only printable ASCII is sent)", (int) c, i));
      }
      if (FORBIDDEN.indexOf(c) >= 0) {
        return Optional.of("contains '" + c + "' at position " + i);
      }
    }
    return Optional.empty();
  }

  /**
   * The percent-encoded segment for {@code id}.
   *
   * @throws AtomsApiException of kind {@link ErrorKind#INVALID_ID} when {@link #problem} finds one
   */
  public static String encode(String parameter, String id) {
    Optional<String> problem = problem(id);
    if (problem.isPresent()) {
      throw AtomsApiException.invalidId(
          parameter,
          parameter
              + " "
              + ErrorTexts.quote(id, 80)
              + " "
              + problem.get()
              + ", so it cannot be sent as one URL path segment");
    }
    StringBuilder out = new StringBuilder(id.length());
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
