package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.ManagementPolicy;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.status.ConditionList;
import org.junit.jupiter.api.Test;

/** Issue #12 point 3: a release that cannot act never blocks another release of its agent. */
class ReleaseIndexTest {

  private static AgentRelease withReady(AgentRelease release, String status, Reason reason) {
    ConditionList conditions = new ConditionList(null);
    conditions.set("Ready", status, reason.value(), "m", 1L, "2026-12-01T00:00:00Z");
    AgentReleaseStatus s = new AgentReleaseStatus();
    s.setConditions(conditions.toList());
    release.setStatus(s);
    return release;
  }

  private static AgentRelease release() {
    return TestReleases.byNumber("team-a", "older", "agent-1", 1, "atoms");
  }

  @Test
  void aHealthyOrNewReleaseCanAct() {
    assertThat(ReleaseIndex.canAct(release())).isTrue();
    assertThat(ReleaseIndex.canAct(withReady(release(), "True", Reason.UpToDate))).isTrue();
    assertThat(ReleaseIndex.canAct(withReady(release(), "False", Reason.ApiUnavailable))).isTrue();
  }

  @Test
  void aReleaseThatLostAConflictStillCountsAsOneThatWouldAct() {
    assertThat(ReleaseIndex.canAct(withReady(release(), "False", Reason.Conflict))).isTrue();
  }

  @Test
  void stalledSuspendedObservingOrInvalidReleasesCannotAct() {
    assertThat(ReleaseIndex.canAct(withReady(release(), "False", Reason.Unauthorized))).isFalse();
    assertThat(ReleaseIndex.canAct(withReady(release(), "False", Reason.AgentNotAllowed)))
        .isFalse();
    assertThat(ReleaseIndex.canAct(withReady(release(), "False", Reason.SecretNotFound))).isFalse();

    AgentRelease suspended = release();
    suspended.getSpec().setSuspend(true);
    assertThat(ReleaseIndex.canAct(suspended)).isFalse();

    AgentRelease observing = release();
    observing.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    assertThat(ReleaseIndex.canAct(observing)).isFalse();

    AgentRelease invalid = release();
    invalid.getSpec().setVersionId("64b8f9a2e4b0c123456789ab");
    assertThat(ReleaseIndex.canAct(invalid)).isFalse();
  }
}
