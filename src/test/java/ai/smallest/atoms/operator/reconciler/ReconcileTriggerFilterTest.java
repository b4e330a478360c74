package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileTriggerFilterTest {

  private final ReconcileTriggerFilter filter = new ReconcileTriggerFilter();

  private static AgentRelease release() {
    return TestReleases.byNumber("ns", "r", "agent", 1, "s");
  }

  @Test
  void specChangeTriggersAReconcile() {
    AgentRelease before = release();
    AgentRelease after = release();
    after.getMetadata().setGeneration(2L);
    assertThat(filter.accept(after, before)).isTrue();
  }

  @Test
  void statusOnlyUpdateDoesNotTrigger() {
    AgentRelease before = release();
    AgentRelease after = release();
    after.setStatus(new AgentReleaseStatus());
    after.getStatus().setVersionNumber(1);
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void labelOnlyUpdateDoesNotTrigger() {
    AgentRelease before = release();
    AgentRelease after = release();
    after.getMetadata().setLabels(Map.of("team", "voice"));
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void newReconcileRequestAnnotationTriggersAReconcile() {
    AgentRelease before = release();
    AgentRelease after = release();
    after
        .getMetadata()
        .setAnnotations(Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "2026-11-23T10:00:00Z"));
    assertThat(filter.accept(after, before)).isTrue();

    AgentRelease same = release();
    same.getMetadata()
        .setAnnotations(Map.of(AgentRelease.RECONCILE_REQUESTED_AT, "2026-11-23T10:00:00Z"));
    assertThat(filter.accept(same, after)).isFalse();
  }

  @Test
  void newActivateNowAnnotationTriggersAReconcile() {
    AgentRelease before = release();
    AgentRelease after = release();
    after.getMetadata().setAnnotations(Map.of(AgentRelease.ACTIVATE_NOW, "1"));
    assertThat(filter.accept(after, before)).isTrue();

    AgentRelease again = release();
    again.getMetadata().setAnnotations(Map.of(AgentRelease.ACTIVATE_NOW, "1"));
    assertThat(filter.accept(again, after)).isFalse();
  }
}
