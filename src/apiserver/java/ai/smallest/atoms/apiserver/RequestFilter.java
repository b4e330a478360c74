package ai.smallest.atoms.apiserver;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests a count or a fault rule is about. Every field is optional (null matches anything);
 * fields given must all match.
 *
 * @param client a substring of the client's {@code User-Agent}
 * @param verbs the verbs (get, list, watch, create, update, patch, delete, deletecollection)
 * @param resource {@code plural} (any group) or {@code plural.group}
 * @param subresource {@code status}, or {@code ""} for requests on the object itself
 * @param namespace the namespace
 * @param name the object's name, or for Event writes the name of the object the Event is about
 */
public record RequestFilter(
    String client,
    Set<String> verbs,
    String resource,
    String subresource,
    String namespace,
    String name)
    implements Predicate<ApiRequest> {

  public static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  public RequestFilter {
    if (verbs != null) {
      verbs = Set.copyOf(verbs.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
      for (String verb : verbs) {
        if (!VERBS.contains(verb)) {
          throw new IllegalArgumentException("unknown verb " + verb + "; one of " + VERBS);
        }
      }
    }
  }

  /** Every request. */
  public static RequestFilter any() {
    return new RequestFilter(null, null, null, null, null, null);
  }

  public RequestFilter client(String userAgentPart) {
    return new RequestFilter(userAgentPart, verbs, resource, subresource, namespace, name);
  }

  public RequestFilter verbs(String... verbs) {
    return new RequestFilter(client, Set.of(verbs), resource, subresource, namespace, name);
  }

  /** Writes: create, update, patch, delete and deletecollection. */
  public RequestFilter writes() {
    return verbs("create", "update", "patch", "delete", "deletecollection");
  }

  public RequestFilter resource(String resource) {
    return new RequestFilter(client, verbs, resource, subresource, namespace, name);
  }

  public RequestFilter subresource(String subresource) {
    return new RequestFilter(client, verbs, resource, subresource, namespace, name);
  }

  /** Only requests on the object or collection itself, not on a subresource. */
  public RequestFilter noSubresource() {
    return subresource("");
  }

  public RequestFilter namespace(String namespace) {
    return new RequestFilter(client, verbs, resource, subresource, namespace, name);
  }

  public RequestFilter name(String name) {
    return new RequestFilter(client, verbs, resource, subresource, namespace, name);
  }

  @Override
  public boolean test(ApiRequest request) {
    if (client != null && (request.client() == null || !request.client().contains(client))) {
      return false;
    }
    if (verbs != null && !verbs.contains(request.verb())) {
      return false;
    }
    if (resource != null
        && !resource.equals(request.resource())
        && !(resource.indexOf('.') < 0 && request.resource().startsWith(resource + "."))) {
      return false;
    }
    if (subresource != null
        && !subresource.equals(request.subresource() == null ? "" : request.subresource())) {
      return false;
    }
    if (namespace != null && !namespace.equals(request.namespace())) {
      return false;
    }
    if (name != null && !name.equals(request.name()) && !name.equals(request.involvedObject())) {
      return false;
    }
    return true;
  }
}
