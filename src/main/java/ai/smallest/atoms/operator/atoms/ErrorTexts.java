package ai.smallest.atoms.operator.atoms;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds what an API (or anything else outside the operator) can make it say: each error text is
 * cut to {@link #MAX_ERROR_CHARS}, at most {@link #MAX_ERRORS} are kept, control characters become
 * spaces (an error text must not forge log lines), and a whole exception message is at most {@link
 * #MAX_MESSAGE_CHARS} characters, the budget of a condition or Event message.
 */
public final class ErrorTexts {

  public static final int MAX_ERROR_CHARS = 300;
  public static final int MAX_ERRORS = 5;
  public static final int MAX_MESSAGE_CHARS = 1024;

  private static final String ELLIPSIS = "…";

  private ErrorTexts() {}

  /** The first {@link #MAX_ERRORS} texts, each cleaned and cut; null entries are dropped. */
  public static List<String> bound(List<String> errors) {
    List<String> bounded = new ArrayList<>();
    if (errors == null) {
      return bounded;
    }
    for (String error : errors) {
      if (error == null) {
        continue;
      }
      if (bounded.size() == MAX_ERRORS) {
        bounded.add("(" + (errors.size() - MAX_ERRORS) + " more)");
        break;
      }
      bounded.add(cut(clean(error), MAX_ERROR_CHARS));
    }
    return bounded;
  }

  /** Control characters (line breaks, escapes, NUL) replaced by spaces. */
  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
    return out.toString();
  }

  /** At most {@code max} characters, never splitting a surrogate pair, marked when cut. */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - ELLIPSIS.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  /**
   * A short, printable rendering of untrusted input for a message: quoted, control and non-ASCII
   * characters as {@code \\uXXXX}, cut to {@code max} characters.
   */
  public static String quote(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.length() >= max ? out + "…\"" : out + "\"";
  }
}
