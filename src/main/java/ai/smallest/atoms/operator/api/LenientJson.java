package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a stored AgentRelease whatever its spec and status hold, so one bad object can never stop
 * the watch that serves every release.
 *
 * <p>An API server stores what its CRD admits, and a server that skips validation (or an older or
 * newer CRD) stores anything: {@code versionNumber: 3000000000}, a string where a number belongs, a
 * list where an object belongs. Jackson would throw inside the informer's watch, which Fabric8 then
 * stops for every release in the cluster. Here an unreadable spec becomes an {@link
 * AgentReleaseSpec#unreadable(JsonNode, String) unreadable spec}: it carries the stored JSON, so it
 * is written back unchanged (JOSDK clones objects through JSON), and a reason naming the field,
 * which the reconciler reports as InvalidSpec. An unreadable status reads as no status: the
 * operator writes a fresh one.
 */
public final class LenientJson {

  private LenientJson() {}

  /** Reads spec; never throws on well-formed JSON. */
  public static final class SpecDeserializer extends JsonDeserializer<AgentReleaseSpec> {
    @Override
    public AgentReleaseSpec deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode source = parser.readValueAsTree();
      if (source == null || source.isNull()) {
        return null;
      }
      Optional<String> misshapen = shapeProblem("spec", source, AgentReleaseSpec.class);
      if (misshapen.isPresent()) {
        return AgentReleaseSpec.unreadable(source, misshapen.get());
      }
      try {
        return context.readTreeAsValue(source, AgentReleaseSpec.class);
      } catch (Exception unreadable) { // whatever it is, it must not reach the watch
        return AgentReleaseSpec.unreadable(source, describe("spec", unreadable, source));
      }
    }
  }

  /**
   * Writes an unreadable spec back exactly as it was stored, a readable one as usual. Registered on
   * the Kubernetes client's ObjectMapper (see config.LenientJsonCustomizer) rather than annotated
   * on the model, because the CRD generator reads the model's annotations and would then see an
   * opaque spec. It matters where JOSDK clones a release through JSON: the clone must be unreadable
   * for the same reason.
   */
  public static Module module() {
    return new SimpleModule("atoms-lenient-spec")
        .setSerializerModifier(
            new BeanSerializerModifier() {
              @Override
              @SuppressWarnings("unchecked")
              public JsonSerializer<?> modifySerializer(
                  SerializationConfig config, BeanDescription bean, JsonSerializer<?> serializer) {
                if (bean.getBeanClass() != AgentReleaseSpec.class) {
                  return serializer;
                }
                return new SpecSerializer((JsonSerializer<AgentReleaseSpec>) serializer);
              }
            });
  }

  private static final class SpecSerializer extends StdSerializer<AgentReleaseSpec>
      implements ResolvableSerializer {
    private final JsonSerializer<AgentReleaseSpec> model;

    SpecSerializer(JsonSerializer<AgentReleaseSpec> model) {
      super(AgentReleaseSpec.class);
      this.model = model;
    }

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
      if (model instanceof ResolvableSerializer resolvable) {
        resolvable.resolve(provider);
      }
    }

    @Override
    public void serialize(
        AgentReleaseSpec spec, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      if (spec.unreadableSource() != null) {
        generator.writeTree(spec.unreadableSource());
      } else {
        model.serialize(spec, generator, provider);
      }
    }
  }

  /** Reads status; an unreadable one reads as none, so the operator replaces it. */
  public static final class StatusDeserializer extends JsonDeserializer<AgentReleaseStatus> {
    @Override
    public AgentReleaseStatus deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode source = parser.readValueAsTree();
      if (source == null || !source.isObject()) {
        return null;
      }
      try {
        return context.readTreeAsValue(source, AgentReleaseStatus.class);
      } catch (Exception unreadable) { // whatever it is, it must not reach the watch
        return null;
      }
    }
  }

  /**
   * The first field whose JSON type is not the model's, as a structural-schema API server would
   * refuse it. Jackson alone would coerce ({@code agentId: 7} to "7", {@code versionNumber: 1.5} to
   * 1, "true" to true), accepting what the CRD forbids. Walks the model's fields, so new fields are
   * covered without a list to keep in step.
   */
  static Optional<String> shapeProblem(String path, JsonNode node, Class<?> model) {
    if (!node.isObject()) {
      return Optional.of(path + " cannot be read: it must be an object");
    }
    for (java.lang.reflect.Field field : model.getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(field.getModifiers())
          || field.isAnnotationPresent(JsonIgnore.class)) {
        continue;
      }
      JsonNode value = node.get(field.getName());
      if (value == null || value.isNull()) {
        continue; // absent; an API server prunes nulls of non-nullable fields
      }
      Optional<String> problem =
          valueProblem(
              path + "." + field.getName(), value, field.getType(), field.getGenericType());
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> valueProblem(
      String path, JsonNode value, Class<?> type, java.lang.reflect.Type generic) {
    String expected = typeName(type);
    boolean fits;
    if (type == String.class || type.isEnum()) {
      fits = value.isTextual();
    } else if (type == Integer.class || type == Long.class || type == int.class) {
      fits = value.isIntegralNumber();
    } else if (type == Boolean.class || type == boolean.class) {
      fits = value.isBoolean();
    } else if (java.util.List.class.isAssignableFrom(type)) {
      if (!value.isArray()) {
        fits = false;
      } else {
        Class<?> element =
            generic instanceof java.lang.reflect.ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> c
                ? c
                : Object.class;
        for (int i = 0; i < value.size(); i++) {
          Optional<String> problem =
              valueProblem(path + "[" + i + "]", value.get(i), element, element);
          if (problem.isPresent()) {
            return problem;
          }
        }
        fits = true;
      }
    } else if (type.getName().startsWith("ai.smallest.")) {
      return shapeProblem(path, value, type);
    } else {
      fits = true; // a type this check does not know (e.g. JsonNode): Jackson decides
    }
    return fits ? Optional.empty() : Optional.of(path + " cannot be read: it must be " + expected);
  }

  /**
   * "spec.versionNumber is out of range: ..." from Jackson's failure, without the stored value (it
   * can be huge, and the reason must stay short).
   */
  static String describe(String root, Exception failure, JsonNode source) {
    StringBuilder path = new StringBuilder(root);
    JsonNode value = source;
    if (failure instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append('.').append(ref.getFieldName());
          value = value.path(ref.getFieldName());
        } else {
          path.append('[').append(ref.getIndex()).append(']');
          value = value.path(ref.getIndex());
        }
      }
    }
    Class<?> target =
        failure instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
    boolean integerTarget = target == Integer.class || target == int.class || target == Long.class;
    if (failure instanceof InputCoercionException
        || failure.getCause() instanceof InputCoercionException
        || (integerTarget && value.isIntegralNumber())) {
      return path + " is out of range: it must fit a 32-bit integer (at most 2147483647)";
    }
    return path
        + " cannot be read: it must be "
        + (target == null ? "a value of the documented type" : typeName(target));
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }
}
