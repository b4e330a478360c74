package ai.smallest.atoms.operator.atoms;

import jakarta.ws.rs.ProcessingException;
import java.util.List;
import java.util.Map;

/**
 * {@link AtomsClient} over the Quarkus REST client. Adds what the generated client does not: the
 * Bearer header from an {@link ApiKey}, connection failures mapped to {@link ErrorKind#NETWORK},
 * and a check that a 2xx body really is the documented {@code {status:true, data}} envelope.
 */
public class RestAtomsClient implements AtomsClient {

  private final AtomsRestApi api;

  public RestAtomsClient(AtomsRestApi api) {
    this.api = api;
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, int limit, int skip) {
    Envelopes.ListVersionsResponse response =
        call(() -> api.listPublishedVersions(agentId, limit, skip, apiKey.bearerHeader()));
    if (response == null || !Boolean.TRUE.equals(response.status()) || response.data() == null) {
      throw malformed("list versions");
    }
    List<AgentVersion> versions = response.data().versions();
    int total = response.data().total() == null ? -1 : response.data().total();
    return new VersionPage(versions, total);
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    Envelopes.ActivateResponse response =
        call(() -> api.activateVersion(agentId, versionId, apiKey.bearerHeader(), Map.of()));
    if (response == null || !Boolean.TRUE.equals(response.status()) || response.data() == null) {
      throw malformed("activate version");
    }
    return response.data();
  }

  private static <T> T call(java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (AtomsApiException classified) {
      throw classified;
    } catch (ProcessingException noHttpAnswer) {
      // Timeouts, refused and reset connections. The message names the failure type only: the
      // underlying text can include the request line, which is harmless, but we keep it short.
      Throwable root = rootCause(noHttpAnswer);
      throw AtomsApiException.network(
          root.getClass().getSimpleName() + describe(root), noHttpAnswer);
    }
  }

  private static String describe(Throwable root) {
    String message = root.getMessage();
    return message == null || message.isBlank() ? "" : ": " + message;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable current = t;
    while (current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  private static AtomsApiException malformed(String operation) {
    return new AtomsApiException(
        ErrorKind.MALFORMED_RESPONSE,
        200,
        List.of(operation + ": response is not the documented {status:true, data} envelope"),
        null,
        null);
  }
}
