package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.HostileAnswer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hostile section's budgets follow from what disturbed a case, and a case over one fails. */
class HostileBudgetTest {

  private static final Duration RESYNC = Duration.ofSeconds(15);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
  private static final int MAX_MESSAGE = 1024;
  private static final String MESSAGE = "Atoms answered 500 on activate; retrying with backoff.";

  private static HostileCase answerCase(
      HostileAnswer answer, Endpoint endpoint, String reason, HostileCase.Budget budget) {
    return new HostileCase(
        "h-" + answer.name().toLowerCase(java.util.Locale.ROOT),
        HostileCase.Group.ANSWER,
        answer.name(),
        "agent-" + answer.ordinal(),
        Map.of("agentId", "agent-" + answer.ordinal(), "versionNumber", 2),
        null,
        Map.of(),
        answer,
        endpoint,
        2,
        reason,
        null,
        null,
        budget,
        2,
        1);
  }

  private static final HostileCase RETRYING_ACTIVATE =
      answerCase(
          HostileAnswer.INTERNAL_ERROR,
          Endpoint.ACTIVATE_VERSION,
          "ApiUnavailable",
          HostileCase.Budget.RETRYING);

  private static final HostileCase STALLED_LIST =
      answerCase(
          HostileAnswer.UNAUTHORIZED,
          Endpoint.LIST_VERSIONS,
          "Unauthorized",
          HostileCase.Budget.STALLED);

  private static HostileBudget.Disturbances calm(double seconds) {
    return new HostileBudget.Disturbances(seconds, 0, 0, 0);
  }

  private static HostileBudget.Observed observed(
      String reason, int calls, int writes, int intents, int reconciles) {
    return new HostileBudget.Observed(
        reason, true, MESSAGE, Set.of(reason), calls, writes, intents, reconciles);
  }

  @Test
  void aRetriedActivationMayCallMoreOverTimeButNeedsNoNewIntent() {
    HostileBudget minute = HostileBudget.of(RETRYING_ACTIVATE, calm(60), RESYNC, BACKOFF_MAX);
    HostileBudget tenMinutes = HostileBudget.of(RETRYING_ACTIVATE, calm(600), RESYNC, BACKOFF_MAX);

    assertThat(tenMinutes.atomsCalls()).isGreaterThan(minute.atomsCalls());
    assertThat(tenMinutes.minAtomsCalls()).isEqualTo(9);
    assertThat(tenMinutes.intents()).isEqualTo(minute.intents()).isEqualTo(1);
  }

  @Test
  void everyRestartAndConflictEarnsTheRetriedActivationOneMoreIntent() {
    HostileBudget disturbed =
        HostileBudget.of(
            RETRYING_ACTIVATE, new HostileBudget.Disturbances(60, 2, 3, 0), RESYNC, BACKOFF_MAX);

    assertThat(disturbed.intents()).isEqualTo(1 + 2 + 3);
  }

  @Test
  void aListThatNeedsAPersonIsLookedAtOncePerDisturbanceAndNeverWritesAnIntent() {
    HostileBudget calmBudget = HostileBudget.of(STALLED_LIST, calm(600), RESYNC, BACKOFF_MAX);
    HostileBudget restarted =
        HostileBudget.of(
            STALLED_LIST, new HostileBudget.Disturbances(600, 1, 0, 0), RESYNC, BACKOFF_MAX);

    assertThat(calmBudget.looks()).isEqualTo(1);
    assertThat(calmBudget.atomsCalls()).isEqualTo(2);
    assertThat(calmBudget.intents()).isZero();
    assertThat(restarted.looks()).isEqualTo(3);
  }

  @Test
  void aPoisonObjectMayNotCallAtoms() {
    HostileCase poison =
        new HostileCase(
            "p-huge-number",
            HostileCase.Group.OBJECT,
            "versionNumber beyond 32 bits",
            null,
            Map.of("agentId", "a", "versionNumber", 3_000_000_000L),
            null,
            Map.of(),
            null,
            null,
            null,
            "InvalidSpec",
            null,
            "spec.versionNumber",
            HostileCase.Budget.NO_CALLS,
            0,
            1);
    HostileBudget.Disturbances d = calm(120);
    HostileBudget budget = HostileBudget.of(poison, d, RESYNC, BACKOFF_MAX);
    String message = "spec.versionNumber is not a 32-bit integer. Fix the AgentRelease spec.";

    assertThat(budget.atomsCalls()).isZero();
    assertThat(
            budget.problems(
                poison,
                d,
                new HostileBudget.Observed(
                    "InvalidSpec", true, message, Set.of("InvalidSpec"), 1, 2, 0, 1),
                MAX_MESSAGE))
        .containsExactly("Atoms calls 1 > budget 0");
    assertThat(
            budget.problems(
                poison,
                d,
                new HostileBudget.Observed(
                    "InvalidSpec", true, message, Set.of("InvalidSpec"), 0, 2, 0, 1),
                MAX_MESSAGE))
        .isEmpty();
  }

  @Test
  void aCaseWithinEveryBudgetPasses() {
    HostileBudget.Disturbances d = calm(120);
    HostileBudget budget = HostileBudget.of(RETRYING_ACTIVATE, d, RESYNC, BACKOFF_MAX);

    assertThat(
            budget.problems(
                RETRYING_ACTIVATE, d, observed("ApiUnavailable", 10, 4, 1, 10), MAX_MESSAGE))
        .isEmpty();
  }

  @Test
  void anIntentPerRetryFailsTheCase() {
    HostileBudget.Disturbances d = calm(120);
    HostileBudget budget = HostileBudget.of(RETRYING_ACTIVATE, d, RESYNC, BACKOFF_MAX);

    assertThat(
            budget.problems(
                RETRYING_ACTIVATE, d, observed("ApiUnavailable", 10, 4, 5, 10), MAX_MESSAGE))
        .containsExactly("activation intents 5 > budget 1");
  }

  @Test
  void overspendingCallsWritesOrReconcilesFailsTheCase() {
    HostileBudget.Disturbances d = calm(120);
    HostileBudget budget = HostileBudget.of(RETRYING_ACTIVATE, d, RESYNC, BACKOFF_MAX);

    assertThat(
            budget.problems(
                RETRYING_ACTIVATE,
                d,
                observed(
                    "ApiUnavailable",
                    budget.atomsCalls() + 1,
                    budget.kubeWrites() + 1,
                    0,
                    budget.reconciles() + 1),
                MAX_MESSAGE))
        .hasSize(3)
        .allMatch(p -> p.contains(" > budget "));
  }

  @Test
  void aRetriedCaseThatARetryAfterParkedFails() {
    HostileBudget.Disturbances d = calm(600);
    HostileBudget budget = HostileBudget.of(RETRYING_ACTIVATE, d, RESYNC, BACKOFF_MAX);

    assertThat(
            budget.problems(
                RETRYING_ACTIVATE, d, observed("ApiUnavailable", 2, 4, 1, 2), MAX_MESSAGE))
        .containsExactly("Atoms calls 2 < 9: parked");
  }

  @Test
  void theWrongReasonAnOldGenerationOrAnUnboundedMessageFailsTheCase() {
    HostileBudget.Disturbances d = calm(120);
    HostileBudget budget = HostileBudget.of(STALLED_LIST, d, RESYNC, BACKOFF_MAX);

    assertThat(budget.problems(STALLED_LIST, d, observed("UpToDate", 0, 0, 0, 0), MAX_MESSAGE))
        .containsExactly("expected Unauthorized, got UpToDate");
    assertThat(
            budget.problems(
                STALLED_LIST,
                d,
                new HostileBudget.Observed(
                    "Unauthorized", false, MESSAGE, Set.of("Unauthorized"), 0, 0, 0, 0),
                MAX_MESSAGE))
        .containsExactly("status is for an older generation");
    assertThat(
            budget.problems(
                STALLED_LIST,
                d,
                new HostileBudget.Observed(
                    "Unauthorized", true, "x".repeat(1025), Set.of("Unauthorized"), 0, 0, 0, 0),
                MAX_MESSAGE))
        .containsExactly("message of 1025 characters");
  }

  @Test
  void aLogLineOfAnInformerThatGaveUpIsAStoppedWatch() {
    assertThat(
            ChaosRunner.stopsAWatch(
                "2026-12-01 14:00:00,000 WARN  [io.fab.kub.cli.inf.imp.cac.Reflector]"
                    + " Watch failed for v1alpha1/agentreleases, will stop"))
        .isTrue();
    assertThat(
            ChaosRunner.stopsAWatch(
                "ERROR [io.jav.ope.pro.eve.sou.inf.InformerWrapper] Informer startup error."
                    + " Operator will be stopped. Informer: agentreleases"))
        .isTrue();
    assertThat(
            ChaosRunner.stopsAWatch(
                "INFO  [io.fab.kub.cli.inf.imp.cac.Reflector] Watch failed for secrets,"
                    + " will retry"))
        .isFalse();
  }
}
