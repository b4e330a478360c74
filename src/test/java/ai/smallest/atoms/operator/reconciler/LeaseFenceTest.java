package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.smallest.atoms.operator.config.Leadership;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only the holder of an unexpired Lease may activate (issue #12, failover fencing). */
class LeaseFenceTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static Lease lease(String holder, Instant renewed, int seconds) {
    return new LeaseBuilder()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .withLeaseDurationSeconds(seconds)
        .endSpec()
        .build();
  }

  private static LeaseFence fence(boolean leading, Lease lease) {
    Leadership leadership = new Leadership(true, "pod-a", "lease", Optional.of("ops"));
    if (leading) {
      leadership.callbacks().onStartLeading();
    }
    return new LeaseFence(leadership, () -> lease, CLOCK);
  }

  @Test
  void theHolderOfAnUnexpiredLeaseMayActivate() {
    assertThatCode(() -> fence(true, lease("pod-a", NOW.minusSeconds(5), 15)).check())
        .doesNotThrowAnyException();
  }

  @Test
  void aReplicaToldItStoppedLeadingMayNot() {
    assertThatThrownBy(() -> fence(false, lease("pod-a", NOW, 15)).check())
        .isInstanceOf(LeaseFence.NotLeaderException.class);
  }

  @Test
  void aReplicaWhoseLeaseAnotherHoldsMayNot() {
    assertThatThrownBy(() -> fence(true, lease("pod-b", NOW, 15)).check())
        .hasMessageContaining("held by pod-b");
  }

  @Test
  void aReplicaWhoseLeaseExpiredMayNotEvenIfNobodyTookIt() {
    assertThatThrownBy(() -> fence(true, lease("pod-a", NOW.minusSeconds(16), 15)).check())
        .hasMessageContaining("expired");
  }

  @Test
  void aMissingLeaseFencesOff() {
    assertThatThrownBy(() -> fence(true, null).check())
        .isInstanceOf(LeaseFence.NotLeaderException.class);
  }

  @Test
  void withoutLeaderElectionTheLeaseIsNeverRead() {
    assertThatCode(TestPolicies.NO_LEADER_ELECTION::check).doesNotThrowAnyException();
  }
}
