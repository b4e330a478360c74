package ai.smallest.atoms.bench;

import ai.smallest.atoms.operator.api.ActivationRecord;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.simulator.SimActivation;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the activations that landed on Atoms with the records the operator kept of them (issue
 * #12 point 2). An activation counts when the simulator's activation log shows it switched the live
 * version (outcome ACTIVATED) through the API with one of the operator's keys; its record is an
 * entry of {@code status.history} of any release of that agent with the same version ID and an
 * {@code activatedAt} within {@link #TOLERANCE} of when the simulator performed it, each entry
 * matched at most once. Missing: an activation no release's history holds. Phantom: a history entry
 * that matches no such activation (a version someone else activated, recorded as the operator's, or
 * one activation recorded twice).
 */
final class ActivationRecords {

  /**
   * The simulator stamps {@code activatedAt} and its log entry with two readings of the same clock
   * around one store update.
   */
  static final Duration TOLERANCE = Duration.ofSeconds(2);

  /** What was found. */
  static final class Result {
    int landed;
    int recorded;
    List<String> missing = new ArrayList<>();
    Set<String> agentsWithProblems = new java.util.TreeSet<>();
    List<String> phantom = new ArrayList<>();

    /** Activations older than the oldest entry of a history that reached the history limit. */
    int prunedByHistoryLimit;

    int withoutEvent;
  }

  private ActivationRecords() {}

  static Result compare(
      List<SimActivation> activations,
      Set<String> operatorUsers,
      Collection<AgentRelease> releases,
      List<Event> events,
      int historyLimit) {
    Result result = new Result();
    Map<String, List<AgentRelease>> releasesOfAgent = new HashMap<>();
    for (AgentRelease r : releases) {
      String agent = agentOf(r);
      if (agent != null) {
        releasesOfAgent.computeIfAbsent(agent, k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, List<SimActivation>> landedByAgent = new HashMap<>();
    for (SimActivation a : activations) {
      if (!a.viaConsole()
          && a.outcome() == SimActivation.Outcome.ACTIVATED
          && operatorUsers.contains(a.userId())) {
        landedByAgent.computeIfAbsent(a.agentId(), k -> new ArrayList<>()).add(a);
        result.landed++;
      }
    }
    Map<String, Long> activationEvents = new HashMap<>();
    for (Event e : events) {
      if ("Activated".equals(e.getReason()) || "DriftCorrected".equals(e.getReason())) {
        activationEvents.merge(
            e.getInvolvedObject().getNamespace() + "/" + e.getInvolvedObject().getName(),
            1L,
            Long::sum);
      }
    }

    Set<String> agents = new java.util.TreeSet<>(landedByAgent.keySet());
    releasesOfAgent.forEach(
        (agent, rs) -> {
          if (rs.stream().anyMatch(r -> !history(r).isEmpty())) {
            agents.add(agent);
          }
        });
    for (String agent : agents) {
      List<SimActivation> landed = landedByAgent.getOrDefault(agent, List.of());
      List<Entry> entries = new ArrayList<>();
      Instant prunedBefore = null;
      long eventCount = 0;
      for (AgentRelease r : releasesOfAgent.getOrDefault(agent, List.of())) {
        List<ActivationRecord> history = history(r);
        for (ActivationRecord h : history) {
          entries.add(new Entry(ReadyTracker.key(r), h, parse(h.getActivatedAt())));
        }
        if (history.size() >= historyLimit) {
          Instant oldest = parse(history.get(history.size() - 1).getActivatedAt());
          prunedBefore =
              prunedBefore == null || (oldest != null && oldest.isAfter(prunedBefore))
                  ? oldest
                  : prunedBefore;
        }
        eventCount += activationEvents.getOrDefault(ReadyTracker.key(r), 0L);
      }
      boolean[] used = new boolean[entries.size()];
      for (SimActivation a : landed) {
        int best = -1;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < entries.size(); i++) {
          Entry e = entries.get(i);
          if (used[i] || e.at() == null || !a.versionId().equals(e.record().getVersionId())) {
            continue;
          }
          long gap = Math.abs(Duration.between(a.at(), e.at()).toMillis());
          if (gap <= TOLERANCE.toMillis() && gap < bestGap) {
            best = i;
            bestGap = gap;
          }
        }
        if (best >= 0) {
          used[best] = true;
          result.recorded++;
        } else if (prunedBefore != null && a.at().isBefore(prunedBefore)) {
          result.prunedByHistoryLimit++;
        } else {
          result.agentsWithProblems.add(agent);
          result.missing.add(
              agent
                  + " v"
                  + a.versionNumber()
                  + " ("
                  + a.versionId()
                  + ") activated at "
                  + a.at()
                  + " by "
                  + a.userId());
        }
      }
      for (int i = 0; i < entries.size(); i++) {
        if (!used[i]) {
          result.agentsWithProblems.add(agent);
          Entry e = entries.get(i);
          result.phantom.add(
              e.release()
                  + " history v"
                  + e.record().getVersionNumber()
                  + " ("
                  + e.record().getVersionId()
                  + ") activatedAt "
                  + e.record().getActivatedAt()
                  + " by "
                  + e.record().getBy());
        }
      }
      result.withoutEvent += (int) Math.max(0, landed.size() - eventCount);
    }
    return result;
  }

  private record Entry(String release, ActivationRecord record, Instant at) {}

  private static String agentOf(AgentRelease r) {
    if (r.getSpec() == null || r.getSpec().unreadableReason().isPresent()) {
      return null;
    }
    return r.getSpec().getAgentId();
  }

  private static List<ActivationRecord> history(AgentRelease r) {
    return r.getStatus() == null || r.getStatus().getHistory() == null
        ? List.of()
        : r.getStatus().getHistory();
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
