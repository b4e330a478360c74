package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Status, JSON body and extra headers of one simulated response. */
record HttpReply(int status, JsonNode body, Map<String, String> headers) {

  HttpReply(int status, JsonNode body) {
    this(status, body, Map.of());
  }
}
