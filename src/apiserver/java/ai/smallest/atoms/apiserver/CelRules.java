package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a schema node's {@code x-kubernetes-validations} with the CEL reference implementation,
 * reporting failures in the apiextensions-apiserver's words ({@code Invalid value: "object":
 * <message>}). Kubernetes' CEL extension libraries (quantity, url, extended strings) are not
 * available: a rule that uses them reports a compile error instead of passing silently.
 */
final class CelRules {

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();

  /** Rules are compiled once per text; CRDs repeat them on every write. */
  private static final Map<String, Object> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  /**
   * @param old the value at the same path before an update, or null on create; rules that read
   *     {@code oldSelf} (transition rules) only run when it exists, as on a real server
   */
  static List<FieldError> check(JsonNode schema, JsonNode value, JsonNode old, String path) {
    return check(schema, value, old, path, false);
  }

  /**
   * @param ratchet the value is unchanged by an update: rules without {@code oldSelf} are skipped
   *     (validation ratcheting, on by default since Kubernetes 1.30)
   */
  static List<FieldError> check(
      JsonNode schema, JsonNode value, JsonNode old, String path, boolean ratchet) {
    JsonNode rules = schema.get("x-kubernetes-validations");
    if (rules == null || !rules.isArray()) {
      return List.of();
    }
    String type = schema.path("type").asText("object");
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode rule : rules) {
      String expression = rule.path("rule").asText();
      boolean transition = expression.contains("oldSelf");
      if (transition && old == null || !transition && ratchet) {
        continue;
      }
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", toCel(value));
      if (transition) {
        vars.put("oldSelf", toCel(old));
      }
      String errorPath = path + rule.path("fieldPath").asText("");
      Object result;
      try {
        result = program(expression).eval(vars);
      } catch (CompileFailure e) {
        errors.add(
            FieldError.invalid(
                PathText.of(errorPath), type, "rule compile error: " + e.getMessage()));
        continue;
      } catch (CelEvaluationException e) {
        errors.add(
            FieldError.invalid(
                PathText.of(errorPath),
                type,
                e.getMessage() + " evaluating rule: " + ruleText(rule)));
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        errors.add(failure(rule, PathText.of(errorPath), type, message(rule, vars)));
      }
    }
    return errors;
  }

  private static String message(JsonNode rule, Map<String, Object> vars) {
    String messageExpression = rule.path("messageExpression").asText("");
    if (!messageExpression.isEmpty()) {
      try {
        Object message = program(messageExpression).eval(vars);
        if (message instanceof String text && !text.isBlank()) {
          return text.trim();
        }
      } catch (CompileFailure | CelEvaluationException e) {
        // Falls back to the static message, as the API server does when messageExpression fails.
      }
    }
    String message = rule.path("message").asText("").trim();
    return message.isEmpty() ? "failed rule: " + ruleText(rule) : message;
  }

  private static String ruleText(JsonNode rule) {
    String message = rule.path("message").asText("").trim();
    return message.isEmpty() ? rule.path("rule").asText().trim() : message;
  }

  private static FieldError failure(JsonNode rule, String path, String type, String message) {
    return switch (rule.path("reason").asText("FieldValueInvalid")) {
      case "FieldValueForbidden" -> FieldError.forbidden(path, message);
      case "FieldValueRequired" -> FieldError.required(path, message);
      default -> FieldError.invalid(path, type, message);
    };
  }

  /** Null when {@code expression} compiles; the compiler's message otherwise. */
  static String compileError(String expression) {
    try {
      program(expression);
      return null;
    } catch (CompileFailure e) {
      return e.getMessage();
    }
  }

  private static CelRuntime.Program program(String expression) {
    Object program =
        PROGRAMS.computeIfAbsent(
            expression,
            text -> {
              try {
                CelAbstractSyntaxTree ast = CEL.compile(text).getAst();
                return CEL.createProgram(ast);
              } catch (CelValidationException | CelEvaluationException e) {
                return new CompileFailure(e.getMessage());
              }
            });
    if (program instanceof CompileFailure failure) {
      throw failure;
    }
    return (CelRuntime.Program) program;
  }

  /** JSON to the values CEL expects: maps, lists, int64, double, string, bool. */
  static Object toCel(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  map.put(e.getKey(), toCel(e.getValue()));
                }
              });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static final class CompileFailure extends RuntimeException {
    CompileFailure(String message) {
      super(message, null, false, false);
    }
  }
}
