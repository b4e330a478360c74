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

  public String config;
  public int goodReleases;
  public int badInputKinds;
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
  public int consoleDriftActivations;
  public List<String> neverDesiredActivations = new ArrayList<>();
  public List<String> keyLeaks = new ArrayList<>();
  public int operatorLogLines;
  public int errorLogLines;
  public int events;
  public List<BadOutcome> badOutcomes = new ArrayList<>();
  public List<String> badInputFailures = new ArrayList<>();
  public int activationsMissingFromHistory;
  public int activationsWithoutEvent;
  public Map<String, Long> lastOperatorMetrics;

  /**
   * Upper bound for redundant activate calls: each can only come from an ambiguous outcome or a
   * restart.
   */
  public int duplicateBudget() {
    return activateTimeouts + restarts * 8 + statusConflictsInjected + 2;
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
    v.addAll(badInputFailures);
    return v;
  }
}
