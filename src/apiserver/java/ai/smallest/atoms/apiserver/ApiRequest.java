package ai.smallest.atoms.apiserver;

/**
 * One resource request as the server's counters and fault rules see it.
 *
 * @param client the client's {@code User-Agent} (Fabric8 sets its own, or the one configured with
 *     {@code Config.setUserAgent} or {@code KUBERNETES_USER_AGENT}; kubectl sends {@code
 *     kubectl/v1.32...})
 * @param verb the Kubernetes verb: get, list, watch, create, update, patch, delete,
 *     deletecollection
 * @param resource {@code plural.group} ({@code plural} for the core group), as RBAC names it
 * @param subresource {@code status}, or null
 * @param namespace null for cluster-scoped resources and lists across namespaces
 * @param name the object's name: from the path, or for a create from the body (as the audit log
 *     names it); null for other requests on collections
 * @param involvedObject for writes of Events: the name of the object the Event is about ({@code
 *     involvedObject.name} or {@code regarding.name}), so that Events can be counted per object
 *     like writes to it; null otherwise
 */
public record ApiRequest(
    String client,
    String verb,
    String resource,
    String subresource,
    String namespace,
    String name,
    String involvedObject) {

  /** Whether the verb changes state (everything but get, list and watch). */
  public boolean isWrite() {
    return !(verb.equals("get") || verb.equals("list") || verb.equals("watch"));
  }
}
