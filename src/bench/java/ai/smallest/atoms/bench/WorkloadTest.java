package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.SimVersion;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The workload shape and the ideal call count the benchmark compares against. */
class WorkloadTest {

  @Test
  void tenPercentOfAgentsHave250VersionsAndHalfOfEachKindNeedAnActivation() {
    Workload w = Workload.generate(1000, 10, 7);
    assertThat(w.agents().stream().filter(a -> a.versions() == 250)).hasSize(100);
    assertThat(w.agents().stream().filter(a -> a.versions() == 250 && a.needsActivation()))
        .hasSize(50);
    assertThat(w.agents().stream().filter(a -> a.versions() == 30 && a.needsActivation()))
        .hasSize(450);
    assertThat(w.agents()).filteredOn(a -> a.versions() == 250).allMatch(a -> a.pagesNeeded() == 3);
    assertThat(w.agents()).filteredOn(a -> a.versions() == 30).allMatch(a -> a.pagesNeeded() == 1);
    // 900 x 1 page + 100 x 3 pages + 500 activations
    assertThat(w.idealCalls()).isEqualTo(1700);
    assertThat(Workload.generate(1000, 10, 7).agents()).isEqualTo(w.agents());
  }

  @Test
  void pagesFollowTheNewestFirstOrder() {
    assertThat(Workload.pagesToReach(250, 250)).isEqualTo(1);
    assertThat(Workload.pagesToReach(250, 151)).isEqualTo(1);
    assertThat(Workload.pagesToReach(250, 150)).isEqualTo(2);
    assertThat(Workload.pagesToReach(250, 50)).isEqualTo(3);
    assertThat(Workload.pagesToReach(30, 1)).isEqualTo(1);
  }

  @Test
  void seedingPutsTheLiveVersionWhereTheWorkloadSays() {
    Workload w = Workload.generate(20, 2, 3);
    try (AtomsSimulator sim = AtomsSimulator.start(0, Clock.systemUTC())) {
      w.seed(sim);
      for (Workload.Agent a : w.agents()) {
        assertThat(sim.activeVersion(a.agentId()))
            .map(SimVersion::versionNumber)
            .contains(a.activeBefore());
        assertThat(sim.versions(a.agentId())).hasSize(a.versions());
      }
    }
  }
}
