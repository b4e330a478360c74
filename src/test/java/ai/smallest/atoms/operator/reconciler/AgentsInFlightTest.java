package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentsInFlightTest {

  private final AgentsInFlight agents = new AgentsInFlight();

  @Test
  void aSecondSyncOfABusyAgentIsToldToLookAgainAndTheFirstOneLetsItIn() {
    AgentsInFlight.Entered first = agents.enter("agent-1");

    assertThatThrownBy(() -> agents.enter("agent-1"))
        .isInstanceOfSatisfying(
            LookAgainLater.class,
            later -> assertThat(later.after()).isEqualTo(AgentsInFlight.AGENT_BUSY));
    agents.enter("agent-2").close();

    first.close();
    agents.enter("agent-1").close();
  }

  @Test
  void onlyAgentsSyncingRightNowAreRemembered() {
    for (int i = 0; i < 10_000; i++) {
      try (AgentsInFlight.Entered agent = agents.enter("agent-" + i)) {
        assertThat(agents.inFlight()).isEqualTo(1);
      }
    }

    assertThat(agents.inFlight()).isZero();
  }
}
