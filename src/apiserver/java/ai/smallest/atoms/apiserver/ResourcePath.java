package ai.smallest.atoms.apiserver;

import java.util.List;

/**
 * A request path below {@code /api/v1} or {@code /apis/<group>/<version>}, resolved against the
 * registry: {@code [namespaces/<ns>/]<plural>[/<name>[/<subresource>]]}.
 *
 * @param namespace null for cluster-scoped resources and for lists across all namespaces
 * @param name null for collections
 * @param subresource null, or {@code status}
 */
record ResourcePath(ResourceType type, String namespace, String name, String subresource) {

  static ResourcePath parse(
      String group, String version, List<String> rest, ResourceRegistry registry) {
    String namespace = null;
    String plural;
    String name = null;
    String subresource = null;
    boolean coreNamespaceSubresource =
        group.isEmpty()
            && rest.size() == 3
            && rest.get(0).equals("namespaces")
            && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
    if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !coreNamespaceSubresource) {
      namespace = rest.get(1);
      plural = rest.get(2);
      name = rest.size() > 3 ? rest.get(3) : null;
      subresource = rest.size() > 4 ? rest.get(4) : null;
      if (rest.size() > 5) {
        throw notFound();
      }
    } else {
      plural = rest.get(0);
      name = rest.size() > 1 ? rest.get(1) : null;
      subresource = rest.size() > 2 ? rest.get(2) : null;
      if (rest.size() > 3) {
        throw notFound();
      }
    }
    ResourceType type = registry.lookup(group, version, plural).orElseThrow(ResourcePath::notFound);
    if (!type.namespaced() && namespace != null) {
      throw notFound();
    }
    if (type.namespaced() && namespace == null && name != null) {
      throw notFound();
    }
    if (subresource != null && !(subresource.equals("status") && type.statusSubresource())) {
      throw notFound();
    }
    return new ResourcePath(type, namespace, name, subresource);
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }

  static ApiException notFound() {
    return ApiException.notFound("the server could not find the requested resource");
  }
}
