package ai.smallest.atoms.operator.config;

import ai.smallest.atoms.operator.api.LenientJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Teaches the Kubernetes client (informers, JOSDK's clones, our writes) to write an unreadable
 * AgentRelease spec back exactly as it was stored; see {@link LenientJson}.
 */
@Singleton
public class LenientJsonCustomizer implements KubernetesClientObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper objectMapper) {
    objectMapper.registerModule(LenientJson.module());
  }
}
