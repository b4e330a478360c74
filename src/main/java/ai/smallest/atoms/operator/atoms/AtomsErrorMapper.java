package ai.smallest.atoms.operator.atoms;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every non-2xx answer into an {@link AtomsApiException}, reading the documented {@code
 * {status:false, errors:[…]}} body (403 answers carry {@code {status:false, data:{}}}, so a missing
 * errors array is normal) and the {@code Retry-After} header (seconds or HTTP date).
 */
public class AtomsErrorMapper implements ResponseExceptionMapper<AtomsApiException> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_TEXT = 300;

  @Override
  public AtomsApiException toThrowable(Response response) {
    return AtomsApiException.http(
        response.getStatus(),
        errorsOf(response),
        retryAfter(response.getHeaderString("Retry-After"), Instant.now()));
  }

  @Override
  public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
    return status >= 400;
  }

  static List<String> errorsOf(Response response) {
    try {
      response.bufferEntity();
      String body = response.readEntity(String.class);
      if (body == null || body.isBlank()) {
        return List.of();
      }
      Envelopes.ErrorResponse parsed = JSON.readValue(body, Envelopes.ErrorResponse.class);
      if (parsed.errors() == null) {
        return List.of();
      }
      return parsed.errors().stream().map(AtomsErrorMapper::truncate).toList();
    } catch (Exception notTheDocumentedEnvelope) {
      // A proxy's HTML error page or similar: the status code alone still classifies it.
      return List.of();
    }
  }

  /** Parses Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static String truncate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
  }
}
