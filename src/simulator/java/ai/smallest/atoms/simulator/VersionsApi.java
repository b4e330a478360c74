package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The behaviour of the two endpoints once a request has been routed, counted and let through
 * faults.
 */
final class VersionsApi {

  private final VersionStore store;
  private final ApiKeyRegistry apiKeys;
  private final RequestLog log;

  VersionsApi(VersionStore store, ApiKeyRegistry apiKeys) {
    this(store, apiKeys, new RequestLog());
  }

  VersionsApi(VersionStore store, ApiKeyRegistry apiKeys, RequestLog log) {
    this.store = store;
    this.apiKeys = apiKeys;
    this.log = log;
  }

  VersionStore store() {
    return store;
  }

  java.time.Clock clock() {
    return store.clock();
  }

  boolean isAuthorized(String authorization) {
    return apiKeys.userFor(authorization).isPresent();
  }

  HttpReply handle(Route.Matched route, String authorization, String rawQuery, byte[] body) {
    Optional<String> user = apiKeys.userFor(authorization);
    if (user.isEmpty()) {
      return JsonEnvelopes.error(401, "Unauthorized");
    }
    return switch (route.endpoint()) {
      case LIST_VERSIONS -> listVersions(route.agentId(), rawQuery);
      case ACTIVATE_VERSION -> activate(route.agentId(), route.versionId(), user.get(), body);
    };
  }

  private HttpReply listVersions(String agentId, String rawQuery) {
    ListVersionsQuery query;
    try {
      query = ListVersionsQuery.parse(rawQuery);
    } catch (IllegalArgumentException e) {
      return JsonEnvelopes.error(400, e.getMessage());
    }
    if (store.isForbidden(agentId)) {
      return JsonEnvelopes.forbidden();
    }
    return store
        .publishedPage(agentId, query.isPinned(), query.skip(), query.limit())
        .map(page -> JsonEnvelopes.versionList(page.versions(), page.total()))
        .orElseGet(() -> JsonEnvelopes.error(404, "Agent not found"));
  }

  private HttpReply activate(String agentId, String versionId, String userId, byte[] body) {
    if (!isEmptyOrJson(body)) {
      return JsonEnvelopes.error(400, "Request body must be valid JSON");
    }
    if (store.isForbidden(agentId)) {
      return JsonEnvelopes.forbidden();
    }
    VersionStore.Activation activation = store.activate(agentId, versionId, userId);
    log.activation(SimActivationLog.of(log.now(), agentId, versionId, userId, activation, false));
    return switch (activation.outcome()) {
      case NOT_FOUND -> JsonEnvelopes.error(404, "Agent or version not found");
      case NOT_PUBLISHED -> JsonEnvelopes.error(400, "Only published versions can be activated");
      case ACTIVATED, ALREADY_ACTIVE -> JsonEnvelopes.version(activation.version());
    };
  }

  /**
   * The real backend parses JSON bodies before routing, so garbage yields 400 even though {} is
   * ignored.
   */
  private static boolean isEmptyOrJson(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return true;
    }
    try {
      JsonNode ignored = JsonEnvelopes.MAPPER.readTree(text);
      return ignored != null;
    } catch (IOException e) {
      return false;
    }
  }
}
