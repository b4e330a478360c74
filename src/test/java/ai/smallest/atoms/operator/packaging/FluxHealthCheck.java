package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Flux Kustomization's {@code healthCheckExprs} entry, evaluated the way kustomize-controller
 * evaluates it (fluxcd/pkg {@code runtime/cel}: {@code StatusEvaluator.Evaluate} and {@code
 * NewExpression}):
 *
 * <ol>
 *   <li>if the object has {@code status.observedGeneration} and it differs from {@code
 *       metadata.generation}: InProgress, without evaluating anything;
 *   <li>then {@code inProgress}, {@code failed}, {@code current}, in this order: the first that is
 *       true decides; none true: InProgress;
 *   <li>an expression that fails (a field that does not exist, a result that is not a bool) makes
 *       the whole check fail: kstatus then reports the object Unknown, which Flux treats like
 *       InProgress (it keeps waiting, and names the CEL error if it times out).
 * </ol>
 *
 * <p>The object's top-level fields are the expression's variables ({@code status}, {@code
 * metadata}, ...), in Flux's CEL environment: standard macros, optional types, cross-type numeric
 * comparisons, the strings, sets and encoders extensions. Flux only parses the expressions (it
 * cannot know a CRD's types); CEL-Java evaluates checked expressions only, so the variables are
 * declared {@code dyn}, which checks nothing more than parsing does.
 */
final class FluxHealthCheck {

  /** kstatus' statuses that a custom health check can produce. */
  enum Status {
    Current,
    InProgress,
    Failed,
    Unknown
  }

  /** The verdict, and for Unknown the error Flux would report. */
  record Result(Status status, String error) {
    static Result of(Status status) {
      return new Result(status, null);
    }
  }

  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
          .addCompilerLibraries(
              CelOptionalLibrary.INSTANCE,
              CelExtensions.strings(),
              CelExtensions.sets(CelOptions.DEFAULT),
              CelExtensions.encoders())
          .addRuntimeLibraries(
              CelOptionalLibrary.INSTANCE,
              CelExtensions.strings(),
              CelExtensions.sets(CelOptions.DEFAULT),
              CelExtensions.encoders())
          .addVar("apiVersion", SimpleType.DYN)
          .addVar("kind", SimpleType.DYN)
          .addVar("metadata", SimpleType.DYN)
          .addVar("spec", SimpleType.DYN)
          .addVar("status", SimpleType.DYN)
          .build();

  private final String apiVersion;
  private final String kind;
  private final CelRuntime.Program current;
  private final CelRuntime.Program inProgress;
  private final CelRuntime.Program failed;

  /**
   * @param entry one item of a Kustomization's spec.healthCheckExprs
   */
  FluxHealthCheck(JsonNode entry) {
    this.apiVersion = entry.path("apiVersion").asText();
    this.kind = entry.path("kind").asText();
    if (!entry.hasNonNull("current")) {
      throw new IllegalArgumentException("expression Current not specified");
    }
    this.current = program(entry.get("current").asText());
    this.inProgress =
        entry.hasNonNull("inProgress") ? program(entry.get("inProgress").asText()) : null;
    this.failed = entry.hasNonNull("failed") ? program(entry.get("failed").asText()) : null;
  }

  String apiVersion() {
    return apiVersion;
  }

  String kind() {
    return kind;
  }

  private static CelRuntime.Program program(String expression) {
    try {
      return CEL.createProgram(CEL.compile(expression).getAst());
    } catch (CelValidationException e) {
      throw new IllegalArgumentException(
          "failed to parse the CEL expression '" + expression + "': " + e.getMessage(), e);
    } catch (dev.cel.common.CelException e) {
      throw new IllegalArgumentException(expression, e);
    }
  }

  Result evaluate(JsonNode object) {
    JsonNode observed = object.at("/status/observedGeneration");
    JsonNode generation = object.at("/metadata/generation");
    if (observed.isIntegralNumber()
        && generation.isIntegralNumber()
        && observed.longValue() != generation.longValue()) {
      return Result.of(Status.InProgress);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> variables = (Map<String, Object>) value(object);
    record Check(CelRuntime.Program program, Status status) {}
    List<Check> order = new ArrayList<>();
    order.add(new Check(inProgress, Status.InProgress));
    order.add(new Check(failed, Status.Failed));
    order.add(new Check(current, Status.Current));
    for (Check check : order) {
      if (check.program() == null) {
        continue;
      }
      Object result;
      try {
        result = check.program().eval(variables);
      } catch (Exception e) {
        return new Result(Status.Unknown, e.getMessage());
      }
      if (!(result instanceof Boolean verdict)) {
        // CEL-Java answers an unbound variable with an "unknown" value where cel-go errors.
        return new Result(Status.Unknown, "not a boolean: " + result);
      }
      if (verdict) {
        return Result.of(check.status());
      }
    }
    return Result.of(Status.InProgress);
  }

  /** JSON as Kubernetes' unstructured content: integers are int64, other numbers float64. */
  private static Object value(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(value(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return node.asText();
  }
}
