package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.HostileAnswer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hostile section's catalogue covers what issue #11 asks for, and expects real reasons. */
class HostileCasesTest {

  private final AtomsSimulator sim = AtomsSimulator.start();

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void everyHostileAnswerIsPlayedOnEveryEndpointItAppliesTo() {
    List<HostileCase> cases = HostileCases.cases(sim, HostileCases.Selection.ALL);

    Set<String> played =
        cases.stream()
            .filter(c -> c.answer() != null)
            .map(c -> c.answer() + "@" + c.endpoint())
            .collect(Collectors.toSet());
    Set<String> possible = new HashSet<>();
    for (HostileAnswer kind : HostileAnswer.values()) {
      kind.endpoints().forEach(e -> possible.add(kind + "@" + e));
    }
    assertThat(played).isEqualTo(possible);
  }

  @Test
  void atLeastFortyKindsOfHostileObjectsAndAtLeastFortyOfAnswers() {
    List<HostileCase> cases = HostileCases.cases(sim, HostileCases.Selection.ALL);

    assertThat(cases.stream().map(HostileCase::name).distinct()).hasSameSizeAs(cases);
    assertThat(cases).filteredOn(c -> c.group() != HostileCase.Group.ANSWER).hasSizeGreaterThan(40);
    assertThat(cases).filteredOn(c -> c.group() == HostileCase.Group.ANSWER).hasSizeGreaterThan(40);
    assertThat(cases).filteredOn(c -> c.wave() == 2).isNotEmpty();
  }

  @Test
  void everyCaseExpectsAReasonTheOperatorWrites() {
    for (HostileCase c : HostileCases.cases(sim, HostileCases.Selection.ALL)) {
      if (!HostileCase.READY.equals(c.expectedReason())) {
        assertThat(Reason.of(c.expectedReason())).as(c.name()).isPresent();
      }
      if (c.group() == HostileCase.Group.OBJECT) {
        assertThat(c.expectedReason()).as(c.name()).isEqualTo("InvalidSpec");
        assertThat(c.mustMention()).as(c.name()).startsWith("spec");
        assertThat(c.callsPerAttempt()).isZero();
      } else {
        assertThat(c.agentId()).as(c.name()).matches(AgentReleaseSpec.AGENT_ID_PATTERN);
        assertThat(sim.versions(c.agentId())).as(c.name()).isNotEmpty();
      }
    }
  }

  @Test
  void landedButDamagedActivateAnswersMustEndActivatedAndTheirLiesOnTheListMalformed() {
    for (HostileAnswer kind : HostileCases.LANDED_THEN_DAMAGED) {
      assertThat(HostileCases.expected(kind, Endpoint.ACTIVATE_VERSION).reason())
          .isEqualTo("Activated");
      assertThat(HostileCases.expected(kind, Endpoint.LIST_VERSIONS).reason())
          .isIn("MalformedResponse", "ApiUnavailable");
    }
  }

  @Test
  void theSmokeSelectionNamesCasesOfTheCatalogue() {
    List<HostileCase> smoke = HostileCases.cases(sim, HostileCases.Selection.SMOKE);

    assertThat(smoke.stream().map(HostileCase::name))
        .containsExactlyInAnyOrderElementsOf(HostileCases.SMOKE);
  }
}
