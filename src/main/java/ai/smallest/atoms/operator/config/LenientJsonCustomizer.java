package ai.smallest.atoms.operator.config;

import ai.smallest.atoms.operator.api.LenientJson;
import ai.smallest.atoms.operator.api.ReleaseTrimming;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Teaches the Kubernetes client (informers, JOSDK's clones, our writes) to write an unreadable
 * AgentRelease spec back exactly as it was stored ({@link LenientJson}), and to keep of every
 * AgentRelease it reads only what the operator uses ({@link ReleaseTrimming}).
 */
@Singleton
public class LenientJsonCustomizer implements KubernetesClientObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper objectMapper) {
    objectMapper.registerModule(LenientJson.module());
    objectMapper.registerModule(ReleaseTrimming.module());
  }
}
