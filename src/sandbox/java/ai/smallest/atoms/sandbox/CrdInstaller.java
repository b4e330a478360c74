package ai.smallest.atoms.sandbox;

import ai.smallest.atoms.apiserver.Json;
import ai.smallest.atoms.apiserver.ResourceOperations;
import ai.smallest.atoms.apiserver.ResourceOperations.WriteOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Installs the project's CRDs ({@code crds/*.yml}) into the embedded API server before the operator
 * starts, as a cluster admin would with {@code kubectl apply -f crds/}: the operator needs the CRD
 * to start its informer. The objects carry the same last-applied annotation kubectl would write, so
 * the README's {@code kubectl apply} of the CRD reports "unchanged".
 */
final class CrdInstaller {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CrdInstaller() {}

  /**
   * @return the names of the installed CRDs
   */
  static List<String> install(Path crdDirectory, ResourceOperations operations) {
    List<String> installed = new ArrayList<>();
    for (ObjectNode crd : read(crdDirectory)) {
      operations.create(
          operations.registry().crdType(), null, withLastApplied(crd), WriteOptions.DEFAULT);
      installed.add(Json.name(crd));
    }
    if (installed.isEmpty()) {
      throw new IllegalStateException(
          "no CustomResourceDefinition found in " + crdDirectory.toAbsolutePath());
    }
    return installed;
  }

  /** What {@code kubectl apply} stores: the manifest, annotated with its own Go-encoded JSON. */
  static ObjectNode withLastApplied(ObjectNode manifest) {
    ObjectNode applied = manifest.deepCopy();
    ObjectNode metadata = Json.metadata(applied);
    ObjectNode annotations =
        metadata.has("annotations")
            ? (ObjectNode) metadata.get("annotations")
            : metadata.putObject("annotations");
    annotations.remove(LAST_APPLIED);
    String lastApplied = GoJson.encode(applied) + "\n";
    annotations.put(LAST_APPLIED, lastApplied);
    return applied;
  }

  static List<ObjectNode> read(Path crdDirectory) {
    List<ObjectNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(crdDirectory)) {
      for (Path file : files.filter(CrdInstaller::isManifest).sorted().toList()) {
        try (MappingIterator<JsonNode> documents =
            Json.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (documents.hasNext()) {
            JsonNode document = documents.next();
            if (document instanceof ObjectNode object
                && "CustomResourceDefinition".equals(Json.text(object, "kind"))) {
              crds.add(object);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from " + crdDirectory.toAbsolutePath(), e);
    }
    return crds;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json");
  }
}
