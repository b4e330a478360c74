package ai.smallest.atoms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What one chaos run did and found; public fields so it serialises to JSON as is. */
public final class ChaosResult {

  /** One bad input's end state. */
  public static final class BadOutcome {
    public String name;
    public String expected;
    public String actual;
    public String message;
    public int atomsCalls;
    public int callBudget;
    public int writeBudget;
    public int kubeWrites;
    public boolean passed;
  }

  /** One hostile case's end state (see {@link HostileCase}). */
  public static final class HostileOutcome {
    public String name;
    public String group;
    public String where;
    public String description;
    public String expected;
    public String actual;
    public String message;
    public java.util.Set<String> reasonsSeen;
    public double seconds;
    public int atomsCalls;
    public int minCalls;
    public int callBudget;
    public int kubeWrites;
    public int writeBudget;
    public int intentWrites;
    public int intentBudget;
    public int reconciles;
    public int reconcileBudget;
    public List<String> problems = new ArrayList<>();
    public boolean passed;
  }

  public String config;
  public int goodReleases;
  public int hostileKinds;
  public int lateReleases;
  public int lateReady;
  public double lateReadySecondsMedian;
  public double lateReadySecondsMax;
  public int badInputKinds;

  /** Operator log lines saying an informer stopped watching (see ChaosRunner#stopsAWatch). */
  public List<String> watchStops = new ArrayList<>();

  // injected
  public int restarts;
  public List<Integer> inFlightAtKill = new ArrayList<>();
  public int drifts;
  public int specEdits;
  public Map<String, Integer> faultsInjected;
  public int activateTimeouts;
  public int statusConflictsInjected;
  public int atomsRequests;
  public int statusWrites;
  public int eventWrites;
  // outcomes
  public double runSeconds;
  public int liveConvergedUnderFaults;
  public double liveConvergedUnderFaultsSeconds;
  public Map<String, Integer> readyFlapsUnderFaults;
  public boolean convergedInTime;
  public double convergedAfterChaosSeconds;
  public int goodConverged;
  public List<String> notConverged = new ArrayList<>();
  public List<String> stuckUnknown = new ArrayList<>();
  public int operatorActivationCalls;
  public int operatorActivations;
  public int duplicateActivations;

  /** Each duplicate activation with what preceded it (see ChaosRunner#evaluate). */
  public List<String> duplicateActivationDetails = new ArrayList<>();

  public int consoleDriftActivations;
  public List<String> neverDesiredActivations = new ArrayList<>();
  public List<String> keyLeaks = new ArrayList<>();
  public int operatorLogLines;
  public int errorLogLines;
  public int warnLogLines;
  public List<String> unboundedTexts = new ArrayList<>();
  public List<String> changedByGracefulStop = new ArrayList<>();
  public int events;
  public List<BadOutcome> badOutcomes = new ArrayList<>();
  public List<String> badInputFailures = new ArrayList<>();
  public List<HostileOutcome> hostileOutcomes = new ArrayList<>();
  public List<String> hostileFailures = new ArrayList<>();
  public List<String> callsForUnnamedAgents = new ArrayList<>();
  // activation records (issue #12 point 2)
  public int activationsLanded;
  public int activationsRecorded;
  public List<String> activationsMissingFromHistory = new ArrayList<>();
  public List<String> activationRecordPhantoms = new ArrayList<>();
  public int activationsPrunedByHistoryLimit;
  public int activationsWithoutEvent;
  public int intentWrites;
  public int intentWritesGood;
  public int activateCallsGood;
  public int activationsLandedGood;
  public Map<String, Long> lastOperatorMetrics;

  /**
   * Upper bound for redundant activate calls: each can only come from an ambiguous outcome or a
   * restart.
   */
  public int duplicateBudget() {
    return activateTimeouts + restarts * 8 + statusConflictsInjected + 2;
  }

  /**
   * Intents the good releases may write: one per activate call, plus those a kill -9 cut off
   * between the intent and the call.
   */
  public int intentBudget() {
    return activateCallsGood + restarts * 8;
  }

  /** The invariants the issue asks for (known operator issues are reported, not counted). */
  public List<String> violations() {
    List<String> v = new ArrayList<>();
    if (goodConverged != goodReleases) {
      v.add((goodReleases - goodConverged) + " good releases did not converge: " + notConverged);
    }
    if (!stuckUnknown.isEmpty()) {
      v.add("stuck without a Ready verdict: " + stuckUnknown);
    }
    if (!neverDesiredActivations.isEmpty()) {
      v.add("activations of never-desired versions: " + neverDesiredActivations);
    }
    if (duplicateActivations > duplicateBudget()) {
      v.add(duplicateActivations + " duplicate activations exceed the bound " + duplicateBudget());
    }
    if (!keyLeaks.isEmpty()) {
      v.add("API key found in: " + keyLeaks);
    }
    if (!watchStops.isEmpty()) {
      v.add("informers that stopped watching: " + watchStops);
    }
    if (lateReady < lateReleases) {
      v.add(
          (lateReleases - lateReady)
              + " of "
              + lateReleases
              + " releases created after the poison objects never became Ready (a stopped or"
              + " stalled watch)");
    }
    if (errorLogLines > 0) {
      v.add(errorLogLines + " ERROR log lines");
    }
    if (!unboundedTexts.isEmpty()) {
      v.add("messages or names over their bounds: " + unboundedTexts);
    }
    v.addAll(badInputFailures);
    v.addAll(hostileFailures);
    if (!callsForUnnamedAgents.isEmpty()) {
      v.add("Atoms calls for agents no release names: " + callsForUnnamedAgents);
    }
    if (!activationsMissingFromHistory.isEmpty()) {
      v.add(
          activationsMissingFromHistory.size()
              + " landed activations missing from every status.history: "
              + activationsMissingFromHistory);
    }
    if (!activationRecordPhantoms.isEmpty()) {
      v.add(
          activationRecordPhantoms.size()
              + " status.history entries match no operator activation: "
              + activationRecordPhantoms);
    }
    if (intentWritesGood > intentBudget()) {
      v.add(
          intentWritesGood
              + " activation intents written for "
              + activateCallsGood
              + " activate calls (bound "
              + intentBudget()
              + ")");
    }
    return v;
  }
}
