package ai.smallest.atoms.operator.atoms;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The Atoms endpoints as a Quarkus REST client interface, paths relative to the configured base URL
 * (e.g. {@code https://api.smallest.ai/atoms/v1}). Built programmatically by {@link
 * AtomsClientProducer} so base URL and timeouts come from the operator's own configuration.
 */
@Path("/agent/{id}/versions")
@Produces(MediaType.APPLICATION_JSON)
public interface AtomsRestApi {

  @GET
  Envelopes.ListVersionsResponse listPublishedVersions(
      @PathParam("id") String agentId,
      @QueryParam("limit") int limit,
      @QueryParam("skip") int skip,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

  @PATCH
  @Path("/{versionId}/activate")
  @Consumes(MediaType.APPLICATION_JSON)
  Envelopes.ActivateResponse activateVersion(
      @PathParam("id") String agentId,
      @PathParam("versionId") String versionId,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      Map<String, Object> emptyBody);
}
