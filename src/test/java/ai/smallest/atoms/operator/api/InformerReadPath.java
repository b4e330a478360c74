package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Reads a stored AgentRelease the way the operator does: Fabric8's watch-event parsing (with its
 * fallback for objects that do not fit the event model), on a mapper customised as the Quarkus
 * Kubernetes client's is ({@code LenientJsonCustomizer}), then JOSDK's clone through JSON, which is
 * what the reconciler is handed.
 */
public final class InformerReadPath {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(LenientJson.module())
          .registerModule(ReleaseTrimming.module());
  public static final KubernetesSerialization SERIALIZATION =
      new KubernetesSerialization(MAPPER, true);

  private InformerReadPath() {}

  /** The object as the informer caches it and as the reconciler receives it. */
  public static AgentRelease read(String storedObjectJson) {
    String event = "{\"type\":\"ADDED\",\"object\":" + storedObjectJson + "}";
    AgentRelease cached = (AgentRelease) watchEvent(event).getObject();
    return SERIALIZATION.clone(cached);
  }

  /** Fabric8 7.4's AbstractWatchManager.contextAwareWatchEventDeserializer, step for step. */
  private static WatchEvent watchEvent(String message) {
    SERIALIZATION.registerKubernetesResource(AgentRelease.class);
    try {
      WatchEvent event = SERIALIZATION.unmarshal(message, WatchEvent.class);
      if (event.getObject() instanceof AgentRelease) {
        return event;
      }
    } catch (Exception notTheEventModel) {
      // fall through, as Fabric8 does
    }
    JsonNode json = SERIALIZATION.unmarshal(message, JsonNode.class);
    JsonNode object = ((ObjectNode) json).remove("object");
    WatchEvent event = SERIALIZATION.convertValue(json, WatchEvent.class);
    event.setObject(SERIALIZATION.convertValue(object, AgentRelease.class));
    return event;
  }
}
