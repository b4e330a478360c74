package ai.smallest.atoms.bench;

import ai.smallest.atoms.simulator.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The budgets of one hostile case ({@link HostileCase}) and the check of what it cost against them:
 * pure arithmetic on what disturbed the case during the run, so {@code HostileBudgetTest} can pin
 * it down without a chaos run.
 *
 * @param looks how many times the operator may look at it (reconcile it to the end)
 * @param atomsCalls Atoms calls at most
 * @param minAtomsCalls Atoms calls at least (a transient case must not be parked by a Retry-After)
 * @param kubeWrites status patches and Events at most
 * @param intents activation intents (status patches setting a new status.pendingActivation) at most
 * @param reconciles reconciles that ended not Ready at most
 */
record HostileBudget(
    int looks, int atomsCalls, int minAtomsCalls, int kubeWrites, int intents, int reconciles) {

  /** What disturbed one case between its planting and the evaluation. */
  record Disturbances(double seconds, int restartsAfter, int conflicts, int faults) {}

  /** What one case cost and how it ended. */
  record Observed(
      String readyReason,
      boolean currentGeneration,
      String message,
      Set<String> reasonsSeen,
      int atomsCalls,
      int kubeWrites,
      int intents,
      int reconciles) {}

  static HostileBudget of(HostileCase h, Disturbances d, Duration resync, Duration backoffMax) {
    // Each operator start looks twice at most (the release's ADD and its Secret's ADD).
    int disturbances = 1 + 2 * d.restartsAfter() + d.conflicts() + d.faults();
    int periods = (int) Math.ceil(d.seconds() / (resync.toMillis() / 1000.0 * 0.9)) + 1;
    int looks =
        switch (h.budget()) {
          case STALLED -> disturbances;
          // Nothing reschedules them, so JOSDK's maxReconciliationInterval (the resync interval)
          // looks once a period: no call, no write.
          case NO_CALLS, READY -> disturbances + periods;
          // Backoff from 0.5 s doubling to its maximum, each delay at least half its ceiling: a
          // few fast looks after each start, then at most one per half backoff maximum.
          case RETRYING ->
              6 * (1 + d.restartsAfter())
                  + (int) Math.ceil(d.seconds() / (backoffMax.toMillis() / 2000.0))
                  + d.conflicts()
                  + d.faults();
        };
    boolean activates = h.endpoint() == Endpoint.ACTIVATE_VERSION || h.expectsReady();
    // The activation intent: one status patch before each activate call of a look that gets that
    // far. A look retried with backoff asks for the same activation, so it needs no new one: the
    // intent budget of a transient case does not grow with time.
    int intents =
        !activates
            ? 0
            : switch (h.budget()) {
              case STALLED -> disturbances;
              case RETRYING, READY -> 1 + d.restartsAfter() + d.conflicts();
              case NO_CALLS -> 0;
            };
    int calls = h.budget() == HostileCase.Budget.NO_CALLS ? 0 : looks * h.callsPerAttempt();
    int minCalls =
        h.budget() == HostileCase.Budget.RETRYING ? (int) Math.floor((d.seconds() - 60) / 60) : 0;
    // A status patch and an Event when the reason changes: a random fault changes it and the next
    // look changes it back (4); a restart or a 409 may cost the write again (2); Ready releases
    // refresh status.lastSyncedAt once a resync; and the activation intents.
    int writes =
        2
            + 4 * d.faults()
            + 2 * (1 + 2 * d.restartsAfter() + d.conflicts())
            + (h.expectsReady() ? 2 * periods : 0)
            + intents;
    return new HostileBudget(looks, calls, Math.max(0, minCalls), writes, intents, looks + 1);
  }

  /** Everything wrong with how {@code h} ended and what it cost; empty when it passed. */
  List<String> problems(HostileCase h, Disturbances d, Observed o, int maxMessageChars) {
    List<String> problems = new ArrayList<>();
    if (o.readyReason() == null || !h.accepts(o.readyReason())) {
      problems.add("expected " + h.expectedReason() + ", got " + o.readyReason());
    } else if (!o.currentGeneration()) {
      problems.add("status is for an older generation");
    }
    String message = o.message() == null ? "" : o.message();
    if (message.length() < 20 || message.length() > maxMessageChars) {
      problems.add("message of " + message.length() + " characters");
    }
    if (h.mustMention() != null && !message.contains(h.mustMention())) {
      problems.add("message does not name " + h.mustMention());
    }
    // A 409 on the one status write that would have shown it can hide it: not checked then.
    if (h.seenOnTheWay() != null
        && d.conflicts() == 0
        && !o.reasonsSeen().contains(h.seenOnTheWay())) {
      problems.add("never reported " + h.seenOnTheWay() + " on the way");
    }
    if (o.atomsCalls() > atomsCalls) {
      problems.add("Atoms calls " + o.atomsCalls() + " > budget " + atomsCalls);
    }
    if (o.atomsCalls() < minAtomsCalls) {
      problems.add("Atoms calls " + o.atomsCalls() + " < " + minAtomsCalls + ": parked");
    }
    if (o.intents() > intents) {
      problems.add("activation intents " + o.intents() + " > budget " + intents);
    }
    if (o.kubeWrites() > kubeWrites) {
      problems.add("Kubernetes writes " + o.kubeWrites() + " > budget " + kubeWrites);
    }
    if (o.reconciles() > reconciles) {
      problems.add("reconciles " + o.reconciles() + " > budget " + reconciles);
    }
    return problems;
  }
}
