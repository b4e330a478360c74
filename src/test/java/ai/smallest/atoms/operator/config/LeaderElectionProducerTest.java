package ai.smallest.atoms.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderElectionProducerTest {

  private final OperatorConfig.LeaderElection settings = mock(OperatorConfig.LeaderElection.class);

  @Test
  void disabledLeaderElectionProducesNoConfiguration() {
    when(settings.enabled()).thenReturn(false);
    assertThat(LeaderElectionProducer.fromConfig(settings, Optional.of("ops"))).isNull();
  }

  @Test
  void enabledLeaderElectionUsesTheLeaseInThePodNamespace() {
    when(settings.enabled()).thenReturn(true);
    when(settings.leaseName()).thenReturn("atoms-operator-leader");
    when(settings.leaseNamespace()).thenReturn(Optional.empty());

    LeaderElectionConfiguration config =
        LeaderElectionProducer.fromConfig(settings, Optional.of("ops"));

    assertThat(config.getLeaseName()).isEqualTo("atoms-operator-leader");
    assertThat(config.getLeaseNamespace()).contains("ops");
  }

  @Test
  void explicitLeaseNamespaceWins() {
    when(settings.enabled()).thenReturn(true);
    when(settings.leaseName()).thenReturn("lease");
    when(settings.leaseNamespace()).thenReturn(Optional.of("leases"));

    assertThat(LeaderElectionProducer.fromConfig(settings, Optional.of("ops")).getLeaseNamespace())
        .contains("leases");
  }
}
