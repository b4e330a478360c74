package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Status, body and extra headers of one simulated response. The body is JSON ({@link #body}), or
 * for hostile answers raw bytes ({@link #raw}) or a {@link Streamer} that writes it without a
 * Content-Length.
 */
record HttpReply(
    int status, JsonNode body, Map<String, String> headers, byte[] raw, Streamer streamer) {

  /** Writes a body of unknown length; may take as long as it likes. */
  interface Streamer {
    void write(OutputStream out) throws IOException, InterruptedException;
  }

  HttpReply(int status, JsonNode body) {
    this(status, body, Map.of());
  }

  HttpReply(int status, JsonNode body, Map<String, String> headers) {
    this(status, body, headers, null, null);
  }

  static HttpReply raw(int status, byte[] bytes, Map<String, String> headers) {
    return new HttpReply(status, null, headers, bytes, null);
  }

  static HttpReply streamed(int status, Streamer streamer) {
    return new HttpReply(status, null, Map.of(), null, streamer);
  }

  /** The same reply with the status replaced. */
  HttpReply withStatus(int newStatus) {
    return new HttpReply(newStatus, body, headers, raw, streamer);
  }
}
