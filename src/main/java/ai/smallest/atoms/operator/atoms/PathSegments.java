package ai.smallest.atoms.operator.atoms;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;

/**
 * Agent and version IDs are data, never path. An ID goes into a request path only if it stays
 * exactly one path segment, equal to itself, whoever reads the path: after percent-decoding (once
 * or twice, as a careless proxy might), after dot-segment removal (RFC 3986 §5.2.4), and after the
 * usual server normalisations (backslash as slash, {@code ;} path parameters, Unicode compatibility
 * folding). Whatever the CRD admits, the client refuses, before any HTTP call, an ID that:
 *
 * <ul>
 *   <li>is empty or longer than {@link #MAX_LENGTH} characters;
 *   <li>consists of dots only ({@code .}, {@code ..}, and {@code ...}, which some servers trim);
 *   <li>contains {@code /} or {@code \}, {@code %} (an escape a decoding layer would turn into path
 *       syntax: {@code %2e%2e}, {@code %2F}), {@code ;} (path parameters: {@code ..;}), {@code ?}
 *       or {@code #};
 *   <li>contains a control character, a space of any kind, an invisible formatting character
 *       (zero-width, bidirectional overrides) or an unpaired surrogate (not encodable as UTF-8);
 *   <li>would break one of the rules above once folded by Unicode NFKC normalisation, as some
 *       servers do ({@code ．．} folds to {@code ..}, {@code a／b} to {@code a/b}).
 * </ul>
 *
 * What remains, including any other non-ASCII letter, is percent-encoded by the client itself (RFC
 * 3986: every UTF-8 byte outside the unreserved set {@code A-Z a-z 0-9 - . _ ~}), so {@code :},
 * {@code @}, {@code +} and friends travel as data too. The contract's {@code _id}s are 24-hex
 * ObjectIds; none of this limits them.
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
    Optional<String> problem = syntax(id);
    if (problem.isPresent()) {
      return problem;
    }
    String folded = Normalizer.normalize(id, Normalizer.Form.NFKC);
    if (!folded.equals(id)) {
      return syntax(folded).map(p -> "folds (Unicode NFKC) to an ID that " + p);
    }
    return Optional.empty();
  }

  private static Optional<String> syntax(String id) {
    if (id.chars().allMatch(c -> c == '.')) {
      return Optional.of("is a dot segment");
    }
    for (int i = 0; i < id.length(); ) {
      int cp = id.codePointAt(i);
      if (Character.isSurrogate(id.charAt(i)) && Character.charCount(cp) == 1) {
        return Optional.of("contains an unpaired surrogate at position " + i);
      }
      if (FORBIDDEN.indexOf(cp) >= 0) {
        return Optional.of("contains '" + (char) cp + "' at position " + i);
      }
      int type = Character.getType(cp);
      if (Character.isISOControl(cp)
          || Character.isWhitespace(cp)
          || Character.isSpaceChar(cp)
          || type == Character.FORMAT) {
        return Optional.of(
            String.format(
                "contains U+%04X (a control, space or invisible character) at position %d", cp, i));
      }
      i += Character.charCount(cp);
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
