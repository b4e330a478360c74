package ai.smallest.atoms.apiserver;

import ai.smallest.atoms.apiserver.ResourceType.PrinterColumn;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds this server serves: a fixed set of built-ins (what the operator and kubectl touch:
 * Namespaces, Secrets, ConfigMaps, Events, Leases, CRDs) plus one entry per served version of each
 * established CustomResourceDefinition, added and removed as CRDs are written.
 */
public final class ResourceRegistry {

  public static final String CRD_GROUP = "apiextensions.k8s.io";

  private final ModelSchemas modelSchemas = new ModelSchemas();
  private final Map<String, ResourceType> builtIns = new LinkedHashMap<>();
  private final Map<String, List<ResourceType>> custom = new ConcurrentHashMap<>();

  public ResourceRegistry() {
    builtIn(
        "", "v1", "Namespace", "namespaces", List.of("ns"), false, true, false, Namespace.class);
    builtIn("", "v1", "Secret", "secrets", List.of(), true, false, false, Secret.class);
    builtIn(
        "", "v1", "ConfigMap", "configmaps", List.of("cm"), true, false, false, ConfigMap.class);
    builtIn("", "v1", "Event", "events", List.of("ev"), true, false, false, Event.class);
    builtIn(
        "coordination.k8s.io", "v1", "Lease", "leases", List.of(), true, false, false, Lease.class);
    builtIn(
        CRD_GROUP,
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        List.of("crd", "crds"),
        false,
        true,
        true,
        CustomResourceDefinition.class);
  }

  private void builtIn(
      String group,
      String version,
      String kind,
      String plural,
      List<String> shortNames,
      boolean namespaced,
      boolean status,
      boolean generation,
      Class<?> model) {
    JsonNode schema = modelSchemas.component(model);
    List<String> categories =
        kind.equals("CustomResourceDefinition") ? List.of("api-extensions") : List.of();
    ResourceType type =
        new ResourceType(
            group,
            version,
            kind,
            plural,
            kind.toLowerCase(),
            shortNames,
            categories,
            namespaced,
            status,
            generation,
            true,
            true,
            schema,
            BuiltInTables.columns(kind),
            null);
    builtIns.put(key(group, version, plural), type);
  }

  ModelSchemas modelSchemas() {
    return modelSchemas;
  }

  /** The schema {@code metadata} of every object is pruned against. */
  JsonNode objectMetaSchema() {
    return modelSchemas.component(ObjectMeta.class);
  }

  public ResourceType crdType() {
    return builtIns.get(key(CRD_GROUP, "v1", "customresourcedefinitions"));
  }

  public ResourceType namespaceType() {
    return builtIns.get(key("", "v1", "namespaces"));
  }

  public ResourceType type(String group, String version, String plural) {
    return lookup(group, version, plural).orElse(null);
  }

  public Optional<ResourceType> lookup(String group, String version, String plural) {
    ResourceType builtIn = builtIns.get(key(group, version, plural));
    if (builtIn != null) {
      return Optional.of(builtIn);
    }
    return custom.values().stream()
        .flatMap(List::stream)
        .filter(
            t ->
                t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /** Every served type, built-ins first, then custom resources ordered by CRD name. */
  public List<ResourceType> all() {
    List<ResourceType> all = new ArrayList<>(builtIns.values());
    custom.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> all.addAll(e.getValue()));
    return all;
  }

  /** Group versions in discovery order: each group's versions as the CRD lists them. */
  public Map<String, List<String>> groupVersions() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ResourceType type : all()) {
      List<String> versions = groups.computeIfAbsent(type.group(), g -> new ArrayList<>());
      if (!versions.contains(type.version())) {
        versions.add(type.version());
      }
    }
    return groups;
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }

  /** Registers (or replaces) the resource types a CRD defines, one per served version. */
  void registerCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(false)) {
        continue;
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode column : version.path("additionalPrinterColumns")) {
        columns.add(
            new PrinterColumn(
                column.path("name").asText(),
                column.path("type").asText("string"),
                column.path("format").asText(""),
                column.path("description").asText(""),
                column.path("priority").asInt(0),
                column.path("jsonPath").asText()));
      }
      types.add(
          new ResourceType(
              spec.path("group").asText(),
              version.path("name").asText(),
              names.path("kind").asText(),
              names.path("plural").asText(),
              names.path("singular").asText(names.path("kind").asText().toLowerCase()),
              strings(names.path("shortNames")),
              strings(names.path("categories")),
              spec.path("scope").asText("Namespaced").equals("Namespaced"),
              version.path("subresources").has("status"),
              true,
              false,
              false,
              version.path("schema").path("openAPIV3Schema"),
              columns,
              Json.name(crd)));
    }
    custom.put(Json.name(crd), types);
  }

  void unregisterCrd(String crdName) {
    custom.remove(crdName);
  }

  Collection<ResourceType> typesOfCrd(String crdName) {
    return custom.getOrDefault(crdName, List.of());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }
}
