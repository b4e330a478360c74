package ai.smallest.atoms.operator;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.SecretKeyReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Builds AgentRelease objects for tests. */
public final class TestReleases {

  private TestReleases() {}

  public static AgentRelease byNumber(
      String namespace, String name, String agentId, int versionNumber, String secret) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agentId);
    spec.setVersionNumber(versionNumber);
    return release(namespace, name, spec, secret);
  }

  public static AgentRelease byId(
      String namespace, String name, String agentId, String versionId, String secret) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agentId);
    spec.setVersionId(versionId);
    return release(namespace, name, spec, secret);
  }

  public static AgentRelease release(
      String namespace, String name, AgentReleaseSpec spec, String secret) {
    if (secret != null) {
      spec.setApiKeySecretRef(new SecretKeyReference(secret, "apiKey"));
    }
    AgentRelease release = new AgentRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withUid(namespace + "-" + name)
            .withGeneration(1L)
            .build());
    release.setSpec(spec);
    return release;
  }
}
