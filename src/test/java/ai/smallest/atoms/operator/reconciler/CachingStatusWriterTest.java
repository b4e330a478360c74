package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status patch: only what differs between the stored status and the new one, under /status, and
 * the whole status in one add when there is none yet.
 */
class CachingStatusWriterTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AgentReleaseStatus ready(String syncedAt) {
    AgentReleaseStatus status = new AgentReleaseStatus();
    status.setObservedGeneration(1L);
    status.setVersionNumber(3);
    status.setLastSyncedAt(syncedAt);
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("UpToDate")
                .withMessage("serves 3")
                .build()));
    return status;
  }

  private static JsonNode patch(AgentReleaseStatus from, AgentReleaseStatus to) throws Exception {
    String patch = CachingStatusWriter.patch(from, to, SERIALIZATION);
    return patch == null ? null : JSON.readTree(patch);
  }

  @Test
  void aReleaseWithoutStatusGetsTheWholeStatusInOneAdd() throws Exception {
    JsonNode patch = patch(null, ready("2026-01-01T00:00:00Z"));

    assertThat(patch).hasSize(1);
    assertThat(patch.at("/0/op").asText()).isEqualTo("add");
    assertThat(patch.at("/0/path").asText()).isEqualTo("/status");
    assertThat(patch.at("/0/value/lastSyncedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(patch.at("/0/value/conditions/0/reason").asText()).isEqualTo("UpToDate");
  }

  @Test
  void aResyncPatchesOnlyTheFieldsThatChanged() throws Exception {
    JsonNode patch = patch(ready("2026-01-01T00:00:00Z"), ready("2026-01-01T00:10:00Z"));

    assertThat(patch).hasSize(1);
    assertThat(patch.at("/0/op").asText()).isEqualTo("replace");
    assertThat(patch.at("/0/path").asText()).isEqualTo("/status/lastSyncedAt");
    assertThat(patch.at("/0/value").asText()).isEqualTo("2026-01-01T00:10:00Z");
  }

  @Test
  void aChangedConditionIsPatchedInPlace() throws Exception {
    AgentReleaseStatus after = ready("2026-01-01T00:00:00Z");
    after.getConditions().get(0).setReason("Activated");

    JsonNode patch = patch(ready("2026-01-01T00:00:00Z"), after);

    assertThat(patch).hasSize(1);
    assertThat(patch.at("/0/path").asText()).isEqualTo("/status/conditions/0/reason");
  }

  @Test
  void equalStatusesNeedNoWrite() throws Exception {
    assertThat(patch(ready("2026-01-01T00:00:00Z"), ready("2026-01-01T00:00:00Z"))).isNull();
  }
}
