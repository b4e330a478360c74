package ai.smallest.atoms.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

/**
 * The operator keeps of a stored AgentRelease what reconciling reads: spec, status, labels and its
 * own annotations; a real API server's managedFields and kubectl's last-applied copy are dropped as
 * the object is read, so the informer cache of 50,000 releases does not hold them.
 */
class ReleaseTrimmingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An AgentRelease as a kube-apiserver returns it after kubectl apply and a status write. */
  static final String STORED =
      """
      {"apiVersion":"atoms.smallest.ai/v1alpha1","kind":"AgentRelease",
       "metadata":{"name":"support","namespace":"team-a","uid":"u-1","generation":2,
         "resourceVersion":"41","creationTimestamp":"2026-01-02T03:04:05Z",
         "labels":{"atoms.smallest.ai/shard":"b","app":"support"},
         "annotations":{
           "kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"atoms.smallest.ai/v1alpha1\\",\\"kind\\":\\"AgentRelease\\",\\"metadata\\":{\\"name\\":\\"support\\"},\\"spec\\":{\\"agentId\\":\\"agent-support\\",\\"versionNumber\\":3}}",
           "atoms.smallest.ai/reconcile-requested-at":"2026-01-02T03:05:00Z",
           "argocd.argoproj.io/tracking-id":"apps:atoms.smallest.ai/AgentRelease:team-a/support"},
         "finalizers":["example.com/keep"],
         "managedFields":[
           {"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"atoms.smallest.ai/v1alpha1",
            "time":"2026-01-02T03:04:05Z","fieldsType":"FieldsV1",
            "fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}},
                        "f:labels":{".":{},"f:app":{}}},
                        "f:spec":{".":{},"f:agentId":{},"f:versionNumber":{}}}},
           {"manager":"atoms-operator","operation":"Update","apiVersion":"atoms.smallest.ai/v1alpha1",
            "time":"2026-01-02T03:04:09Z","fieldsType":"FieldsV1","subresource":"status",
            "fieldsV1":{"f:status":{".":{},"f:conditions":{".":{},"k:{\\"type\\":\\"Ready\\"}":{".":{},"f:reason":{}}}}}}]},
       "spec":{"agentId":"agent-support","versionNumber":3,"suspend":false,"driftPolicy":"Enforce",
               "managementPolicy":"Manage","deletionPolicy":"Orphan"},
       "status":{"observedGeneration":2,"versionNumber":3,"versionId":"v3","activatedBy":"user_1",
         "lastSyncedAt":"2026-01-02T03:04:09Z",
         "history":[{"versionNumber":3,"versionId":"v3","activatedAt":"2026-01-02T03:04:08Z","by":"Operator"}],
         "conditions":[{"type":"Ready","status":"True","reason":"Activated","message":"Agent agent-support serves version 3",
                        "lastTransitionTime":"2026-01-02T03:04:09Z","observedGeneration":2}]}}
      """;

  @Test
  void managedFieldsAndForeignAnnotationsAreDroppedAsTheReleaseIsRead() {
    AgentRelease release = InformerReadPath.read(STORED);

    assertThat(release.getMetadata().getManagedFields()).isEmpty();
    assertThat(release.getMetadata().getAnnotations())
        .containsOnlyKeys(AgentRelease.RECONCILE_REQUESTED_AT);
    assertThat(release.reconcileRequest()).contains("2026-01-02T03:05:00Z");
  }

  @Test
  void everythingReconcilingReadsIsKept() throws Exception {
    AgentRelease release = InformerReadPath.read(STORED);
    // Read back from text, so that numbers compare by value (a Long field writes a LongNode).
    JsonNode stored = JSON.readTree(STORED);
    JsonNode kept = JSON.readTree(JSON.writeValueAsString(release));

    assertThat(kept.get("spec")).isEqualTo(stored.get("spec"));
    assertThat(kept.get("status")).isEqualTo(stored.get("status"));
    ObjectNode storedMetadata = ((ObjectNode) stored.get("metadata")).deepCopy();
    storedMetadata.remove("managedFields");
    ((ObjectNode) storedMetadata.get("annotations")).retain(AgentRelease.RECONCILE_REQUESTED_AT);
    assertThat(kept.get("metadata")).isEqualTo(storedMetadata);
  }

  @Test
  void repeatedStringsAreSharedBetweenReleases() {
    AgentRelease one = InformerReadPath.read(STORED);
    AgentRelease other = InformerReadPath.read(STORED.replace("\"support\"", "\"sales\""));
    Condition a = one.getStatus().ready().orElseThrow();
    Condition b = other.getStatus().ready().orElseThrow();

    assertThat(other.getMetadata().getName()).isEqualTo("sales");
    assertThat(other.getMetadata().getNamespace()).isSameAs(one.getMetadata().getNamespace());
    assertThat(other.getApiVersion()).isSameAs(one.getApiVersion());
    assertThat(other.getKind()).isSameAs(one.getKind());
    assertThat(other.getPlural()).isSameAs(one.getPlural());
    assertThat(other.getCRDName()).isSameAs(one.getCRDName());
    assertThat(b.getType()).isSameAs(a.getType());
    assertThat(b.getStatus()).isSameAs(a.getStatus());
    assertThat(b.getReason()).isSameAs(a.getReason());
  }

  @Test
  void aTrimmedReleaseReadsTheSameWhenJosdkClonesItAgain() throws Exception {
    AgentRelease once = InformerReadPath.read(STORED);
    AgentRelease twice = InformerReadPath.SERIALIZATION.clone(once);

    JsonNode first = JSON.valueToTree(once);
    JsonNode second = JSON.valueToTree(twice);
    assertThat(second).isEqualTo(first);
  }
}
