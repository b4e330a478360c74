package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.status.Outcome;

/**
 * Maps a classified Atoms failure to an outcome with a message a person can act on. Which call
 * failed matters: a 404 on the list means the agent is unknown, on activate that the version is,
 * and a 400 on activate is how Atoms refuses a version that is not published.
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
      case NOT_FOUND ->
          call == Call.LIST
              ? Outcome.notReady(
                  Reason.AgentNotFound,
                  "Agent "
                      + agentId
                      + " was not found on Atoms ("
                      + detail
                      + "). Check spec.agentId.")
              : Outcome.notReady(
                  Reason.VersionNotFound,
                  desired + " of agent " + agentId + " was not found on Atoms (" + detail + ").");
      case BAD_REQUEST ->
          call == Call.ACTIVATE
              ? Outcome.notReady(
                  Reason.VersionNotPublished,
                  desired
                      + " of agent "
                      + agentId
                      + " cannot be activated ("
                      + detail
                      + "). Only published versions can be activated: publish it in the Atoms console or choose a published version.")
              : Outcome.notReady(
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
      case SERVER_ERROR, NETWORK, MALFORMED_RESPONSE ->
          Outcome.retrying(
              Reason.ApiUnavailable,
              "The Atoms API is unavailable (" + detail + "); retrying with backoff.",
              e.retryAfter().orElse(null),
              liveUnseen);
    };
  }
}
