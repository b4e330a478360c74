package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation failure, formatted exactly like apimachinery's {@code field.Error}: kubectl shows
 * these strings verbatim, so users see the same text the sandbox and a real cluster produce.
 *
 * @param badValue the offending value (String, Long, Double, Boolean), or {@link #OMIT} to print
 *     none
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** Marker for errors that print no value ("Required value", "Too long"). */
  public static final Object OMIT = new Object();

  public enum Type {
    REQUIRED("Required value", "FieldValueRequired"),
    INVALID("Invalid value", "FieldValueInvalid"),
    TYPE_INVALID("Invalid value", "FieldValueTypeInvalid"),
    NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported"),
    TOO_LONG("Too long", "FieldValueTooLong"),
    TOO_MANY("Too many", "FieldValueTooMany"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    DUPLICATE("Duplicate value", "FieldValueDuplicate");

    private final String text;
    private final String causeType;

    Type(String text, String causeType) {
      this.text = text;
      this.causeType = causeType;
    }
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, OMIT, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError typeInvalid(String field, Object value, String detail) {
    return new FieldError(Type.TYPE_INVALID, field, value, detail);
  }

  public static FieldError tooLong(String field, long max) {
    return new FieldError(Type.TOO_LONG, field, OMIT, "may not be more than " + max + " bytes");
  }

  public static FieldError tooMany(String field, long actual, long max) {
    return new FieldError(Type.TOO_MANY, field, actual, "must have at most " + max + " items");
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, OMIT, detail);
  }

  /**
   * A repeated list item, or the keys of a repeated list-map item: printed as Go prints the {@code
   * map[string]interface{}} or scalar apiextensions passes (e.g. {@code map[string]interface
   * {}{"type":"Ready"}}).
   */
  public static FieldError duplicate(String field, JsonNode value) {
    Object shown;
    if (value.isNull()) {
      shown = null;
    } else if (value.isContainerNode()) {
      shown = new GoSyntax(goSyntax(value));
    } else if (value.isTextual()) {
      shown = value.asText();
    } else if (value.isIntegralNumber()) {
      shown = value.asLong();
    } else if (value.isNumber()) {
      shown = value.asDouble();
    } else {
      shown = new GoSyntax(goSyntax(value));
    }
    return new FieldError(Type.DUPLICATE, field, shown, "");
  }

  /** A value already in Go's {@code %#v} form. */
  record GoSyntax(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private static String goSyntax(JsonNode value) {
    if (value.isObject()) {
      StringBuilder s = new StringBuilder("map[string]interface {}{");
      List<String> names = new ArrayList<>();
      value.fieldNames().forEachRemaining(names::add);
      Collections.sort(names); // Go prints map keys sorted
      for (int i = 0; i < names.size(); i++) {
        s.append(i == 0 ? "" : ", ")
            .append(quote(names.get(i)))
            .append(":")
            .append(goSyntax(value.get(names.get(i))));
      }
      return s.append("}").toString();
    }
    if (value.isArray()) {
      StringBuilder s = new StringBuilder("[]interface {}{");
      for (int i = 0; i < value.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(goSyntax(value.get(i)));
      }
      return s.append("}").toString();
    }
    if (value.isTextual()) {
      return quote(value.asText());
    }
    if (value.isNull()) {
      return "interface {}(nil)";
    }
    if (value.isIntegralNumber()) {
      return String.valueOf(value.asLong());
    }
    if (value.isNumber()) {
      return formatFloat(value.asDouble());
    }
    return value.asText();
  }

  public static FieldError notSupported(String field, Object value, List<String> supported) {
    String detail =
        supported.isEmpty()
            ? ""
            : "supported values: "
                + supported.stream().map(FieldError::quote).collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
  }

  public String causeType() {
    return type.causeType;
  }

  /** The message without the field: what a Status cause carries. */
  public String body() {
    StringBuilder s = new StringBuilder(type.text);
    boolean printsValue =
        badValue != OMIT
            && type != Type.REQUIRED
            && type != Type.FORBIDDEN
            && type != Type.TOO_LONG;
    if (printsValue) {
      s.append(": ").append(goValue(badValue));
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }

  /** Go's {@code %v} for numbers and booleans, {@code %q} for strings. */
  static String goValue(Object value) {
    if (value == null) {
      return "\"null\"";
    }
    if (value instanceof String string) {
      return quote(string);
    }
    if (value instanceof Double d) {
      return formatFloat(d);
    }
    return String.valueOf(value);
  }

  /** Go's {@code %v} of a float64: integral values print without a fraction. */
  static String formatFloat(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    return String.valueOf(d);
  }

  /** Go's {@code strconv.Quote} for the printable strings that appear in manifests. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
