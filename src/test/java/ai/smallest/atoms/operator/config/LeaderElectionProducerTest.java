package ai.smallest.atoms.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionProducerTest {

  @Test
  void disabledLeaderElectionProducesNoConfiguration() {
    Leadership off = new Leadership(false, "pod-1", "lease", Optional.of("ops"));
    assertThat(LeaderElectionProducer.fromLeadership(off)).isNull();
  }

  @Test
  void enabledLeaderElectionUsesTheLeaseAndTheIdentityAndLeavesTheExitToLeadership() {
    Leadership on = new Leadership(true, "pod-1", "atoms-operator-leader", Optional.of("ops"));

    LeaderElectionConfiguration config = LeaderElectionProducer.fromLeadership(on);

    assertThat(config.getLeaseName()).isEqualTo("atoms-operator-leader");
    assertThat(config.getLeaseNamespace()).contains("ops");
    assertThat(config.getIdentity()).contains("pod-1");
    assertThat(config.isExitOnStopLeading()).isFalse();
  }

  @Test
  void losingTheLeaseEndsTheProcessButAStopDuringShutdownDoesNot() {
    AtomicInteger exits = new AtomicInteger();
    Leadership on =
        new Leadership(true, "pod-1", "lease", Optional.empty(), exits::incrementAndGet);
    var callbacks = LeaderElectionProducer.fromLeadership(on).getLeaderCallbacks().orElseThrow();

    callbacks.onStartLeading();
    callbacks.onStopLeading();
    assertThat(exits).hasValue(1);

    callbacks.onStartLeading();
    on.onShutdown(null);
    callbacks.onStopLeading();
    assertThat(on.leading()).isFalse();
    assertThat(exits).as("a graceful stop also stops leading; it must not exit again").hasValue(1);
  }

  @Test
  void callbacksTrackWhetherThisReplicaLeads() {
    Leadership on = new Leadership(true, "pod-1", "lease", Optional.empty(), () -> {});
    var callbacks = LeaderElectionProducer.fromLeadership(on).getLeaderCallbacks().orElseThrow();

    assertThat(on.leading()).isFalse();
    callbacks.onStartLeading();
    assertThat(on.leading()).isTrue();
    callbacks.onStopLeading();
    assertThat(on.leading()).isFalse();
  }

  @Test
  void eachShardCompetesForALeaseOfItsOwnAndTheDefaultInstanceKeepsTheBaseLease() {
    assertThat(Leadership.leaseNameFor("atoms-operator-leader", Optional.of("a")))
        .isEqualTo("atoms-operator-leader-a");
    assertThat(Leadership.leaseNameFor("atoms-operator-leader", Optional.of("b")))
        .isEqualTo("atoms-operator-leader-b");
    assertThat(Leadership.leaseNameFor("atoms-operator-leader", Optional.empty()))
        .isEqualTo("atoms-operator-leader");
    assertThat(Leadership.leaseNameFor("atoms-operator-leader", Optional.of("")))
        .isEqualTo("atoms-operator-leader");
  }
}
