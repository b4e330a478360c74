package ai.smallest.atoms.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Maps method + raw path onto an endpoint and its decoded path parameters. */
final class RequestRouter {

  static final String BASE_PATH = "/atoms/v1";

  private static final Route NOT_FOUND = new Route.Unmatched(404, "Not found", null);

  Route route(String method, String rawPath) {
    if (rawPath == null || !rawPath.startsWith(BASE_PATH + "/")) {
      return NOT_FOUND;
    }
    List<String> rawSegments =
        new ArrayList<>(Arrays.asList(rawPath.substring(BASE_PATH.length() + 1).split("/", -1)));
    // Express matches with or without a trailing slash; so do we.
    if (rawSegments.size() > 1 && rawSegments.get(rawSegments.size() - 1).isEmpty()) {
      rawSegments.remove(rawSegments.size() - 1);
    }
    if (rawSegments.size() < 3
        || !rawSegments.get(0).equals("agent")
        || !rawSegments.get(2).equals("versions")) {
      return NOT_FOUND;
    }
    if (rawSegments.size() == 3) {
      return endpoint(method, "GET", Endpoint.LIST_VERSIONS, rawSegments.get(1), null);
    }
    if (rawSegments.size() == 5 && rawSegments.get(4).equals("activate")) {
      return endpoint(
          method, "PATCH", Endpoint.ACTIVATE_VERSION, rawSegments.get(1), rawSegments.get(3));
    }
    return NOT_FOUND;
  }

  private static Route endpoint(
      String method,
      String expectedMethod,
      Endpoint endpoint,
      String rawAgentId,
      String rawVersionId) {
    String agentId;
    String versionId;
    try {
      agentId = PathSegments.decode(rawAgentId);
      versionId = rawVersionId == null ? null : PathSegments.decode(rawVersionId);
    } catch (IllegalArgumentException e) {
      return new Route.Unmatched(400, "Malformed path", null);
    }
    if (agentId.isEmpty() || (rawVersionId != null && versionId.isEmpty())) {
      return NOT_FOUND;
    }
    if (!expectedMethod.equals(method)) {
      return new Route.Unmatched(405, "Method not allowed", expectedMethod);
    }
    return new Route.Matched(endpoint, agentId, versionId);
  }
}
