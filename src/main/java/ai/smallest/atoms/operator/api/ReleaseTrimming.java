package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator keeps of a stored AgentRelease: everything it reads (spec, status, labels,
 * finalizers, owner references, its own {@code atoms.smallest.ai/} annotations), nothing else.
 * Applied to every AgentRelease the operator's Kubernetes client reads (informer lists and watch
 * events, answers to its writes, JOSDK's clones), so the informer cache, which holds every release
 * the operator reconciles, holds only that.
 *
 * <p>Dropped: {@code metadata.managedFields} (a real API server keeps one entry per writer, each
 * with the set of fields it wrote, often larger than the object itself) and foreign annotations
 * such as kubectl's {@code last-applied-configuration} (a second copy of the manifest). Neither is
 * ever written back: status is written with a JSON patch of status fields only, and the operator
 * writes nothing else to an AgentRelease. Repeated small strings (namespace, kind, apiVersion,
 * condition types, statuses and reasons) are interned, so 50,000 releases share one copy of each.
 *
 * <p>Why here and not in an informer item store: JOSDK 5.2 hands the one item store of a controller
 * to each of its per-namespace informers, and an informer that relists (at start, after a 410 Gone)
 * removes from its store every key it did not list, i.e. the other namespaces' releases. Trimming
 * while reading works for any number of watched namespaces.
 */
public final class ReleaseTrimming {

  /** Annotations of this prefix are the operator's own and kept. */
  public static final String OWN_ANNOTATION_PREFIX = AgentRelease.GROUP + "/";

  private ReleaseTrimming() {}

  /**
   * The Jackson module that trims every AgentRelease read; register it with {@link LenientJson}.
   */
  public static Module module() {
    return new SimpleModule("atoms-release-trimming")
        .setDeserializerModifier(
            new BeanDeserializerModifier() {
              @Override
              public JsonDeserializer<?> modifyDeserializer(
                  DeserializationConfig config,
                  BeanDescription bean,
                  JsonDeserializer<?> deserializer) {
                return bean.getBeanClass() == AgentRelease.class
                    ? new Trimming(deserializer)
                    : deserializer;
              }
            });
  }

  /** Trims {@code release} in place (see the class comment) and returns it. */
  public static AgentRelease trim(AgentRelease release) {
    if (release == null) {
      return null;
    }
    internTypeNames(release);
    ObjectMeta metadata = release.getMetadata();
    if (metadata != null) {
      metadata.setNamespace(intern(metadata.getNamespace()));
      if (metadata.getManagedFields() != null && !metadata.getManagedFields().isEmpty()) {
        metadata.setManagedFields(new ArrayList<>());
      }
      metadata.setAnnotations(ownAnnotations(metadata.getAnnotations()));
    }
    AgentReleaseStatus status = release.getStatus();
    if (status != null) {
      status.setActivatedBy(intern(status.getActivatedBy()));
      for (Condition condition : status.getConditions()) {
        condition.setType(intern(condition.getType()));
        condition.setStatus(intern(condition.getStatus()));
        condition.setReason(intern(condition.getReason()));
      }
      for (ActivationRecord record : status.getHistory()) {
        if (record != null) {
          record.setBy(intern(record.getBy()));
        }
      }
    }
    return release;
  }

  private static Map<String, String> ownAnnotations(Map<String, String> annotations) {
    if (annotations == null
        || annotations.keySet().stream().allMatch(k -> k.startsWith(OWN_ANNOTATION_PREFIX))) {
      return annotations;
    }
    Map<String, String> own = new LinkedHashMap<>();
    annotations.forEach(
        (key, value) -> {
          if (key.startsWith(OWN_ANNOTATION_PREFIX)) {
            own.put(key, value);
          }
        });
    return own;
  }

  /**
   * Fabric8's CustomResource computes its type's names (apiVersion, kind, plural, singular, CRD
   * name) anew in every instance's constructor and keeps them in private final fields: about 300
   * bytes per release. They are the same for every AgentRelease, so each is replaced with its
   * interned copy. Reflection on a library's private fields is a deliberate exception here; should
   * the fields change, the copies are simply kept.
   */
  private static void internTypeNames(AgentRelease release) {
    for (Field field : TYPE_NAME_FIELDS) {
      try {
        field.set(release, intern((String) field.get(release)));
      } catch (ReflectiveOperationException | RuntimeException notPossible) {
        return;
      }
    }
  }

  private static final List<Field> TYPE_NAME_FIELDS = typeNameFields();

  private static List<Field> typeNameFields() {
    List<Field> fields = new ArrayList<>();
    try {
      for (Field field : CustomResource.class.getDeclaredFields()) {
        if (field.getType() == String.class && !Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          fields.add(field);
        }
      }
    } catch (RuntimeException notAccessible) {
      return List.of();
    }
    return List.copyOf(fields);
  }

  /**
   * One shared copy of a repeated value. Interned strings are garbage-collected once unreferenced,
   * so values from odd objects do not accumulate.
   */
  private static String intern(String value) {
    return value == null ? null : value.intern();
  }

  /** AgentRelease's own deserializer, followed by {@link #trim}. */
  private static final class Trimming extends DelegatingDeserializer {

    Trimming(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
      return new Trimming(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      Object read = super.deserialize(parser, context);
      return read instanceof AgentRelease release ? trim(release) : read;
    }
  }
}
