package ai.smallest.atoms.bench;

import ai.smallest.atoms.simulator.AtomsSimulator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The malformed manifests and edge cases of the chaos suite (35 kinds), with the simulator agents
 * and Secrets they need. All live in namespace {@link #NAMESPACE}. The CRD's schema and CEL rules
 * refuse most of them; the suite plants them with the embedded API server's admission off, as a
 * cluster with an older or laxer CRD holds them, so the operator sees all of them as written.
 */
final class BadInputs {

  static final String NAMESPACE = "chaos-bad";

  private BadInputs() {}

  /**
   * Seeds the simulator and creates Secrets, and returns the cases.
   *
   * @param goodAgent an agent managed by a good release (for the Conflict case)
   * @param goodAgentVersion a version of that agent no good release desires
   */
  static List<BadInput> prepare(
      AtomsSimulator sim,
      KubernetesClient kube,
      String apiKey,
      String secretName,
      String goodAgent,
      int goodAgentVersion) {
    secret(kube, secretName, Map.of("apiKey", apiKey));
    secret(kube, "secret-without-key", Map.of("token", apiKey));
    secret(kube, "secret-empty-value", Map.of("apiKey", ""));
    secret(kube, "secret-invalid-key", Map.of("apiKey", "not-a-valid-atoms-key-0000"));
    secret(kube, "secret-trailing-newline", Map.of("apiKey", apiKey + "\n"));

    sim.agent("bad-archived").publishedVersions(5).activeVersion(5).archived(1);
    String draft =
        sim.agent("bad-draft").publishedVersions(3).activeVersion(3).draft("work in progress").id();
    String archivedId =
        sim.agent("bad-archived-id").publishedVersions(4).activeVersion(4).archived(2).id();
    sim.agent("bad-forbidden").publishedVersions(3).activeVersion(3);
    sim.forbid("bad-forbidden");
    sim.agent("агент-🚀-ünïcode").publishedVersions(12).activeVersion(12);
    sim.agent("edge-newline-key").publishedVersions(8).activeVersion(8);
    sim.agent("edge-observe").publishedVersions(8).activeVersion(8);
    sim.agent("edge-suspended").publishedVersions(8).activeVersion(8);
    sim.agent("bad-drift-enum").publishedVersions(8).activeVersion(8);
    sim.agent("bad-management-enum").publishedVersions(8).activeVersion(8);
    sim.agent("edge-page-3-by-id").publishedVersions(250).activeVersion(250);
    String page3Id = sim.agent("edge-page-3-by-id").versionNumber(7).id();

    List<BadInput> cases = new ArrayList<>();
    // Rejected by the operator's own validation: no API call, not retried until the spec changes.
    cases.add(invalid("huge-agent-id", "a".repeat(300), spec("a".repeat(300), 1)));
    cases.add(invalid("agent-id-with-slash", "team/agent", spec("team/agent", 1)));
    cases.add(invalid("agent-id-with-whitespace", "agent one", spec("agent one", 1)));
    cases.add(invalid("agent-id-with-newline", "agent\nnext", spec("agent\nnext", 1)));
    cases.add(invalid("agent-id-empty", null, spec("", 1)));
    cases.add(invalid("agent-id-missing", null, with(new LinkedHashMap<>(), "versionNumber", 1)));
    cases.add(
        invalid(
            "negative-version-number",
            fresh(sim, "negative-version-number"),
            spec(fresh(sim, "negative-version-number"), -3)));
    cases.add(
        invalid(
            "zero-version-number",
            fresh(sim, "zero-version-number"),
            spec(fresh(sim, "zero-version-number"), 0)));
    cases.add(
        invalid(
            "both-version-fields",
            fresh(sim, "both-version-fields"),
            with(
                spec(fresh(sim, "both-version-fields"), 2),
                "versionId",
                "665f1e000000000000000001")));
    cases.add(
        invalid(
            "neither-version-field",
            fresh(sim, "neither-version-field"),
            with(new LinkedHashMap<>(), "agentId", fresh(sim, "neither-version-field"))));
    cases.add(
        invalid(
            "version-id-with-whitespace",
            fresh(sim, "version-id-with-whitespace"),
            idSpec(fresh(sim, "version-id-with-whitespace"), "abc def")));
    cases.add(
        invalid(
            "interval-not-a-duration",
            fresh(sim, "interval-not-a-duration"),
            with(spec(fresh(sim, "interval-not-a-duration"), 3), "interval", "5 minutes")));
    cases.add(
        invalid(
            "interval-below-1s",
            fresh(sim, "interval-below-1s"),
            with(spec(fresh(sim, "interval-below-1s"), 3), "interval", "500ms")));
    cases.add(
        invalid(
            "empty-secret-ref-name",
            fresh(sim, "empty-secret-ref-name"),
            withRef(spec(fresh(sim, "empty-secret-ref-name"), 3), "", null)));
    cases.add(
        new BadInput(
            "unknown-drift-policy",
            "bad-drift-enum",
            with(spec("bad-drift-enum", 3), "driftPolicy", "Sometimes"),
            "InvalidSpec",
            0));
    cases.add(
        new BadInput(
            "unknown-management-policy",
            "bad-management-enum",
            with(spec("bad-management-enum", 3), "managementPolicy", "ObserveOnly"),
            "InvalidSpec",
            0));
    // Credentials: no API call until the Secret is fixed.
    cases.add(
        new BadInput(
            "missing-secret",
            fresh(sim, "missing-secret"),
            withRef(spec(fresh(sim, "missing-secret"), 3), "no-such-secret", null),
            "SecretNotFound",
            0));
    cases.add(
        new BadInput(
            "secret-without-the-key",
            fresh(sim, "secret-without-the-key"),
            withRef(spec(fresh(sim, "secret-without-the-key"), 3), "secret-without-key", null),
            "SecretNotFound",
            0));
    cases.add(
        new BadInput(
            "secret-with-other-key-name",
            fresh(sim, "secret-with-other-key-name"),
            withRef(spec(fresh(sim, "secret-with-other-key-name"), 3), secretName, "token"),
            "SecretNotFound",
            0));
    cases.add(
        new BadInput(
            "secret-empty-value",
            fresh(sim, "secret-empty-value"),
            withRef(spec(fresh(sim, "secret-empty-value"), 3), "secret-empty-value", null),
            "SecretNotFound",
            0));
    // Answered by the Atoms API: one look, then the long error interval.
    cases.add(
        new BadInput(
            "invalid-api-key",
            fresh(sim, "invalid-api-key"),
            withRef(spec(fresh(sim, "invalid-api-key"), 3), "secret-invalid-key", null),
            "Unauthorized",
            1));
    cases.add(
        new BadInput(
            "version-number-not-published",
            fresh(sim, "version-number-not-published"),
            spec(fresh(sim, "version-number-not-published"), 999),
            "VersionNotFound",
            1));
    cases.add(
        new BadInput(
            "version-number-max-int",
            fresh(sim, "version-number-max-int"),
            spec(fresh(sim, "version-number-max-int"), Integer.MAX_VALUE),
            "VersionNotFound",
            1));
    cases.add(
        new BadInput(
            "version-number-archived",
            "bad-archived",
            spec("bad-archived", 1),
            "VersionNotFound",
            1));
    cases.add(
        new BadInput(
            "version-id-of-a-draft",
            "bad-draft",
            idSpec("bad-draft", draft),
            "VersionNotPublished",
            2));
    cases.add(
        new BadInput(
            "version-id-archived",
            "bad-archived-id",
            idSpec("bad-archived-id", archivedId),
            "VersionNotPublished",
            2));
    cases.add(
        new BadInput(
            "version-id-unknown",
            fresh(sim, "version-id-unknown"),
            idSpec(fresh(sim, "version-id-unknown"), "665f1e00ffffffffffffffff"),
            "VersionNotFound",
            2));
    cases.add(
        new BadInput(
            "unknown-agent", "no-such-agent", spec("no-such-agent", 1), "AgentNotFound", 1));
    // IDs that would not stay one path segment, or leave the unreserved characters, are refused
    // before any call (issue #11: IDs are data, never path).
    cases.add(
        new BadInput(
            "unknown-unicode-agent",
            "агент-🚀-missing",
            spec("агент-🚀-missing", 1),
            "InvalidSpec",
            0));
    cases.add(new BadInput("agent-id-dot-dot", "..", spec("..", 1), "InvalidSpec", 0));
    cases.add(
        new BadInput(
            "agent-id-percent-encoded-slash", "a%2Fb", spec("a%2Fb", 1), "InvalidSpec", 0));
    cases.add(
        new BadInput("forbidden-agent", "bad-forbidden", spec("bad-forbidden", 2), "Forbidden", 1));
    cases.add(
        new BadInput(
            "second-release-same-agent",
            goodAgent,
            spec(goodAgent, goodAgentVersion),
            "Conflict",
            0));
    cases.add(
        new BadInput(
            "unicode-agent-id", "агент-🚀-ünïcode", spec("агент-🚀-ünïcode", 4), "InvalidSpec", 0));
    // Edge cases that must simply work.
    cases.add(
        new BadInput(
            "api-key-with-trailing-newline",
            "edge-newline-key",
            withRef(spec("edge-newline-key", 2), "secret-trailing-newline", null),
            "Activated",
            2));
    cases.add(
        new BadInput(
            "version-id-on-page-3",
            "edge-page-3-by-id",
            idSpec("edge-page-3-by-id", page3Id),
            "Activated",
            4));
    cases.add(
        new BadInput(
            "suspended",
            "edge-suspended",
            with(spec("edge-suspended", 2), "suspend", true),
            "Suspended",
            0));
    cases.add(
        new BadInput(
            "observe-only",
            "edge-observe",
            with(spec("edge-observe", 2), "managementPolicy", "Observe"),
            "ObserveOnly",
            1));
    return cases;
  }

  /** A dedicated agent with 30 published versions (v30 live), named after the case. */
  private static String fresh(AtomsSimulator sim, String caseName) {
    String agentId = "bad-" + caseName;
    try {
      sim.versions(agentId);
    } catch (java.util.NoSuchElementException firstUse) {
      sim.agent(agentId).publishedVersions(30).activeVersion(30);
    }
    return agentId;
  }

  private static BadInput invalid(String name, String agentId, Map<String, Object> spec) {
    return new BadInput(name, agentId, spec, "InvalidSpec", 0);
  }

  static Map<String, Object> spec(String agentId, int versionNumber) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("agentId", agentId);
    spec.put("versionNumber", versionNumber);
    return spec;
  }

  private static Map<String, Object> idSpec(String agentId, String versionId) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("agentId", agentId);
    spec.put("versionId", versionId);
    return spec;
  }

  private static Map<String, Object> with(Map<String, Object> spec, String key, Object value) {
    spec.put(key, value);
    return spec;
  }

  private static Map<String, Object> withRef(Map<String, Object> spec, String name, String key) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", name);
    if (key != null) {
      ref.put("key", key);
    }
    spec.put("apiKeySecretRef", ref);
    return spec;
  }

  private static void secret(KubernetesClient kube, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    kube.secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }
}
