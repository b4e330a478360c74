package ai.smallest.atoms.apiserver;

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
 * Reads Kubernetes manifests as {@code kubectl create -f} does: a YAML (multi-document) or JSON
 * file, or every {@code .yml}, {@code .yaml} and {@code .json} file of a directory in name order.
 */
public final class Manifests {

  private Manifests() {}

  public static List<ObjectNode> read(Path fileOrDirectory) {
    List<ObjectNode> objects = new ArrayList<>();
    try {
      List<Path> files;
      if (Files.isDirectory(fileOrDirectory)) {
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
          files = listing.filter(Manifests::isManifest).sorted().toList();
        }
      } else {
        files = List.of(fileOrDirectory);
      }
      for (Path file : files) {
        try (MappingIterator<JsonNode> documents =
            Json.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (documents.hasNext()) {
            if (documents.next() instanceof ObjectNode object && object.size() > 0) {
              objects.add(object);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + fileOrDirectory.toAbsolutePath(), e);
    }
    return objects;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json");
  }
}
