package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates manifests against the Kubernetes API types, so that a misspelled or misplaced field
 * fails the build instead of being silently dropped by the API server:
 *
 * <ul>
 *   <li>built-in kinds (and the ServiceMonitor) are read into Fabric8's generated models, which are
 *       the Kubernetes OpenAPI types; a field the type does not declare lands in the model's
 *       additionalProperties, and any such field anywhere in the object is reported; a wrong type
 *       fails to deserialize;
 *   <li>AgentRelease is checked against the checked-in CRD's schema, made strict;
 *   <li>an Argo CD Application against {@code argocd-application.schema.json}, Flux's
 *       GitRepository, Kustomization and HelmRelease against {@code flux.schema.json} (test
 *       fixtures).
 * </ul>
 */
final class ManifestValidator {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Schema AGENT_RELEASE =
      JsonSchemas.strictCrdSchema(Yaml.document(Repo.CRD_FILE), "v1alpha1");
  private static final Schema ARGO_APPLICATION =
      JsonSchemas.draft7(Yaml.document(Repo.FIXTURES.resolve("argocd-application.schema.json")));

  private static final JsonNode FLUX = Yaml.document(Repo.FIXTURES.resolve("flux.schema.json"));
  private static final Map<String, Schema> FLUX_KINDS =
      Map.of(
          "source.toolkit.fluxcd.io/v1 GitRepository", flux("GitRepository"),
          "kustomize.toolkit.fluxcd.io/v1 Kustomization", flux("Kustomization"),
          "helm.toolkit.fluxcd.io/v2 HelmRelease", flux("HelmRelease"));

  private ManifestValidator() {}

  private static Schema flux(String kind) {
    com.fasterxml.jackson.databind.node.ObjectNode schema = FLUX.deepCopy();
    schema.putArray("allOf").addObject().put("$ref", "#/definitions/" + kind);
    return JsonSchemas.draft7(schema);
  }

  /**
   * Problems found in one object, each prefixed with the object's kind and name; empty when valid.
   */
  static List<String> problems(JsonNode object) {
    List<String> problems = new ArrayList<>();
    String id = K8s.id(object);
    if (object.path("apiVersion").asText().isEmpty() || K8s.kind(object).isEmpty()) {
      return List.of(id + ": apiVersion and kind are required");
    }
    if (K8s.name(object).isEmpty()) {
      problems.add(id + ": metadata.name is required");
    }
    String apiVersion = object.path("apiVersion").asText();
    if ("atoms.smallest.ai/v1alpha1".equals(apiVersion)
        && "AgentRelease".equals(K8s.kind(object))) {
      JsonSchemas.problems(AGENT_RELEASE, object).forEach(p -> problems.add(id + ": " + p));
      strict(object.path("metadata"), ObjectMeta.class, id + " metadata", problems);
    } else if ("argoproj.io/v1alpha1".equals(apiVersion)
        && "Application".equals(K8s.kind(object))) {
      JsonSchemas.problems(ARGO_APPLICATION, object).forEach(p -> problems.add(id + ": " + p));
      strict(object.path("metadata"), ObjectMeta.class, id + " metadata", problems);
    } else if (apiVersion.contains(".toolkit.fluxcd.io/")) {
      Schema flux = FLUX_KINDS.get(apiVersion + " " + K8s.kind(object));
      if (flux == null) {
        problems.add(id + ": flux.schema.json does not describe " + apiVersion);
      } else {
        JsonSchemas.problems(flux, object).forEach(p -> problems.add(id + ": " + p));
        strict(object.path("metadata"), ObjectMeta.class, id + " metadata", problems);
      }
    } else {
      strict(object, KubernetesResource.class, id, problems);
    }
    return problems;
  }

  static List<String> problems(Collection<? extends JsonNode> objects) {
    return objects.stream().flatMap(o -> problems(o).stream()).toList();
  }

  private static void strict(JsonNode json, Class<?> type, String id, List<String> problems) {
    Object model;
    try {
      model = SERIALIZATION.unmarshal(json.toString(), type);
    } catch (RuntimeException e) {
      problems.add(id + ": does not match the API type: " + rootMessage(e));
      return;
    }
    if (model instanceof GenericKubernetesResource) {
      problems.add(
          id
              + ": no Kubernetes API model for "
              + json.path("apiVersion").asText()
              + " "
              + K8s.kind(json));
      return;
    }
    walk(model, "", id, problems);
  }

  /** Reports every additionalProperties entry (a field the API type does not declare). */
  private static void walk(Object value, String path, String id, List<String> problems) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, id, problems));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", id, problems);
      }
      return;
    }
    if (!(value instanceof KubernetesResource)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Class<?> type = getter.getReturnType();
      boolean extra = getter.getName().equals("getAdditionalProperties");
      if (!extra
          && !KubernetesResource.class.isAssignableFrom(type)
          && !Map.class.isAssignableFrom(type)
          && !Collection.class.isAssignableFrom(type)) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (extra) {
        if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          problems.add(
              id
                  + ": unknown field(s) "
                  + unknown.keySet()
                  + " at "
                  + (path.isEmpty() ? "." : path));
        }
      } else {
        walk(child, path + "." + property(getter.getName()), id, problems);
      }
    }
  }

  private static String property(String getter) {
    return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
