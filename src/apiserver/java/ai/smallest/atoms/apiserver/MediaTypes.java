package ai.smallest.atoms.apiserver;

import java.util.HashMap;
import java.util.Map;

/** Content negotiation of the Accept header, in the client's order of preference. */
final class MediaTypes {

  /** What a response body is. */
  enum Representation {
    JSON,
    YAML,
    TABLE,
    PARTIAL_METADATA
  }

  private MediaTypes() {}

  /**
   * @throws ApiException 406 when nothing acceptable is offered (protobuf alone, for instance):
   *     client-go then knows to ask again with JSON
   */
  static Representation negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return Representation.JSON;
    }
    for (String offer : accept.split(",")) {
      String[] parts = offer.trim().split(";");
      String type = parts[0].trim().toLowerCase();
      Map<String, String> params = new HashMap<>();
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].trim().split("=", 2);
        if (kv.length == 2) {
          params.put(kv[0].trim().toLowerCase(), kv[1].trim());
        }
      }
      boolean json =
          type.equals("application/json") || type.equals("application/*") || type.equals("*/*");
      if (json && params.containsKey("as")) {
        String as = params.get("as");
        String group = params.getOrDefault("g", "");
        if (as.equals("Table") && group.equals("meta.k8s.io")) {
          return Representation.TABLE;
        }
        if ((as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))
            && group.equals("meta.k8s.io")) {
          return Representation.PARTIAL_METADATA;
        }
        // Aggregated discovery and other transformations are declined: try the next offer.
        continue;
      }
      if (json) {
        return Representation.JSON;
      }
      if (type.equals("application/yaml")) {
        return Representation.YAML;
      }
    }
    throw ApiException.notAcceptable(
        "only the following media types are accepted: application/json, application/yaml, "
            + "application/json;as=Table;v=v1;g=meta.k8s.io");
  }
}
