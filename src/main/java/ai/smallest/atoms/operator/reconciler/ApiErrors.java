package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.status.Outcome;

/**
 * Maps a classified Atoms failure to an outcome with a message a person can act on. Which call
 * failed matters for a 404 that does not say what is missing: on the list it is the agent, on
 * activate the agent or the version. Only a 400 whose body says so means "not published"; any other
 * refusal of the request is BadRequest.
 */
final class ApiErrors {

  enum Call {
    LIST,
    ACTIVATE
  }

  private ApiErrors() {}

  static Outcome toOutcome(
      AtomsApiException e, Call call, String agentId, String desired, String keySource) {
    String detail = e.getMessage();
    // A failed list taught us nothing about what is live; a failed activate came after a list that
    // showed the declared version inactive.
    boolean liveUnseen = call == Call.LIST;
    return switch (e.kind()) {
      case UNAUTHORIZED ->
          Outcome.notReady(
              Reason.Unauthorized,
              "The Atoms API rejected the API key from "
                  + keySource
                  + " ("
                  + detail
                  + "). Update the Secret with a valid key.");
      case FORBIDDEN ->
          Outcome.notReady(
              Reason.Forbidden,
              "The API key from "
                  + keySource
                  + " may not manage agent "
                  + agentId
                  + " ("
                  + detail
                  + "). workflow_graph agents need conversational agents access for the organisation.");
      case INVALID_ID ->
          Outcome.notReady(
              Reason.InvalidSpec,
              "spec."
                  + e.parameter().orElse("agentId")
                  + " cannot be used: "
                  + String.join("; ", e.errors())
                  + ". Fix the AgentRelease spec.");
      case AGENT_NOT_FOUND -> agentNotFound(agentId, detail);
      case VERSION_NOT_FOUND -> versionNotFound(agentId, desired, detail);
      case NOT_FOUND ->
          call == Call.LIST
              ? agentNotFound(agentId, detail)
              : Outcome.notReady(
                  Reason.VersionNotFound,
                  "Agent "
                      + agentId
                      + " or its "
                      + desired
                      + " was not found on Atoms ("
                      + detail
                      + ").");
      case VERSION_NOT_PUBLISHED ->
          Outcome.notReady(
              Reason.VersionNotPublished,
              desired
                  + " of agent "
                  + agentId
                  + " cannot be activated ("
                  + detail
                  + "). Only published versions can be activated: publish it in the Atoms console or choose a published version.");
      case BAD_REQUEST ->
          Outcome.notReady(
              Reason.BadRequest,
              "The Atoms API refused the request for agent " + agentId + " (" + detail + ").");
      case RATE_LIMITED ->
          Outcome.retrying(
              Reason.RateLimited,
              "The Atoms API is rate limiting this account ("
                  + detail
                  + "); retrying with backoff.",
              e.retryAfter().orElse(null),
              liveUnseen);
      case MALFORMED_RESPONSE ->
          Outcome.retrying(
              Reason.MalformedResponse,
              "The Atoms API answered with something the operator cannot use ("
                  + detail
                  + "); retrying with backoff.",
              e.retryAfter().orElse(null),
              liveUnseen);
      case SERVER_ERROR, NETWORK, TIMEOUT ->
          Outcome.retrying(
              Reason.ApiUnavailable,
              "The Atoms API is unavailable (" + detail + "); retrying with backoff.",
              e.retryAfter().orElse(null),
              liveUnseen);
    };
  }

  private static Outcome agentNotFound(String agentId, String detail) {
    return Outcome.notReady(
        Reason.AgentNotFound,
        "Agent " + agentId + " was not found on Atoms (" + detail + "). Check spec.agentId.");
  }

  private static Outcome versionNotFound(String agentId, String desired, String detail) {
    return Outcome.notReady(
        Reason.VersionNotFound,
        desired + " of agent " + agentId + " was not found on Atoms (" + detail + ").");
  }
}
