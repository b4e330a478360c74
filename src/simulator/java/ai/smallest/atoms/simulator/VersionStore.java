package ai.smallest.atoms.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * In-memory agents and their versions, with the activation rules of the real API.
 *
 * <p>One lock guards all agents: the data set is tiny and a single lock makes "exactly one active
 * version per agent" trivially true under concurrent activations.
 */
final class VersionStore {

  static final String WORKFLOW_GRAPH = "workflow_graph";
  static final String SINGLE_PROMPT = "single_prompt";
  static final String CONSOLE_USER = "user_console";
  static final String PUBLISHER = "user_publisher";

  private final Object lock = new Object();
  private final Map<String, AgentRecord> agents = new HashMap<>();
  private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
  private final Map<String, String> displayNames = new ConcurrentHashMap<>();
  private volatile ListOrder order = ListOrder.NEWEST_FIRST;
  private final VersionIds ids = new VersionIds();
  private final Clock clock;

  VersionStore(Clock clock) {
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  /** What an activation attempt did; the HTTP layer and the console API map it differently. */
  record Activation(Outcome outcome, SimVersion version) {
    enum Outcome {
      ACTIVATED,
      ALREADY_ACTIVE,
      NOT_FOUND,
      NOT_PUBLISHED
    }
  }

  record VersionPage(List<SimVersion> versions, int total) {}

  private static final class AgentRecord {
    String workflowType = SINGLE_PROMPT;

    /** Creation order; listing order is computed on demand. */
    final List<SimVersion> versions = new ArrayList<>();
  }

  // ---- agents -------------------------------------------------------------------------------

  void createAgentIfAbsent(String agentId) {
    requireId(agentId, "agentId");
    synchronized (lock) {
      agents.computeIfAbsent(agentId, id -> new AgentRecord());
    }
  }

  boolean hasAgent(String agentId) {
    synchronized (lock) {
      return agents.containsKey(agentId);
    }
  }

  void forbid(String agentId) {
    forbidden.add(agentId);
  }

  void allow(String agentId) {
    forbidden.remove(agentId);
  }

  boolean isForbidden(String agentId) {
    return forbidden.contains(agentId);
  }

  void setWorkflowType(String agentId, String workflowType) {
    if (!WORKFLOW_GRAPH.equals(workflowType) && !SINGLE_PROMPT.equals(workflowType)) {
      throw new IllegalArgumentException(
          "workflowType must be workflow_graph or single_prompt, was " + workflowType);
    }
    synchronized (lock) {
      AgentRecord agent = agent(agentId);
      agent.workflowType = workflowType;
      // The type is an agent-level property in practice; keep existing versions consistent.
      agent.versions.replaceAll(v -> v.with(f -> f.workflowType = workflowType));
    }
  }

  // ---- seeding ------------------------------------------------------------------------------

  void appendPublished(String agentId, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        publish(agentId, null, PUBLISHER);
      }
    }
  }

  /**
   * Publishes a new version numbered after the highest number ever used (archived versions keep
   * theirs), as someone publishing in the console would; {@code label} null means "v&lt;N&gt;".
   */
  SimVersion publish(String agentId, String label, String publisherId) {
    synchronized (lock) {
      AgentRecord agent = agent(agentId);
      Optional<SimVersion> previous = newestNumbered(agent);
      int number = previous.map(SimVersion::versionNumber).orElse(0) + 1;
      String previousId = previous.map(SimVersion::id).orElse(null);
      Instant now = now();
      SimVersion.Fields f = new SimVersion.Fields();
      f.id = ids.next();
      f.agentId = agentId;
      f.status = SimVersion.PUBLISHED;
      f.versionNumber = number;
      f.label = label == null ? "v" + number : label;
      f.description = "Published version " + number;
      f.publishedBy = publisherId;
      f.publishedByName = displayName(publisherId);
      f.publishedAt = now;
      f.sourceVersionId = previousId;
      f.parentVersion = previousId;
      f.blocks = ConfigBlocks.forVersion(f.id);
      f.workflowType = agent.workflowType;
      f.createdBy = publisherId;
      f.createdAt = now;
      f.updatedAt = now;
      SimVersion published = SimVersion.of(f);
      agent.versions.add(published);
      return published;
    }
  }

  SimVersion addDraft(String agentId, String label) {
    synchronized (lock) {
      AgentRecord agent = agent(agentId);
      String sourceId = newestPublished(agent).map(SimVersion::id).orElse(null);
      Instant now = now();
      SimVersion.Fields f = new SimVersion.Fields();
      f.id = ids.next();
      f.agentId = agentId;
      f.status = SimVersion.DRAFT;
      f.label = label;
      f.draftId = ids.next();
      f.draftName = label;
      f.draftRevision = 1;
      f.sourceVersionId = sourceId;
      f.parentVersion = sourceId;
      f.blocks = ConfigBlocks.forVersion(f.id);
      f.workflowType = agent.workflowType;
      f.createdBy = CONSOLE_USER;
      f.createdAt = now;
      f.updatedAt = now;
      SimVersion draft = SimVersion.of(f);
      agent.versions.add(draft);
      return draft;
    }
  }

  void pin(String agentId, int versionNumber) {
    setPinned(agentId, versionNumber, true);
  }

  SimVersion setPinned(String agentId, int versionNumber, boolean pinned) {
    synchronized (lock) {
      return touch(agentId, byNumber(agentId, versionNumber), f -> f.isPinned = pinned);
    }
  }

  SimVersion setLabel(String agentId, int versionNumber, String label) {
    synchronized (lock) {
      return touch(agentId, byNumber(agentId, versionNumber), f -> f.label = label);
    }
  }

  /**
   * A console edit of one version: the change, a new updatedAt, stored in place. Holds the lock.
   */
  private SimVersion touch(String agentId, SimVersion version, Consumer<SimVersion.Fields> change) {
    Instant now = now();
    SimVersion changed =
        version.with(
            f -> {
              change.accept(f);
              f.updatedAt = now;
            });
    replace(agentId, changed);
    return changed;
  }

  SimVersion archive(String agentId, int versionNumber) {
    synchronized (lock) {
      SimVersion version = byNumber(agentId, versionNumber);
      if (SimVersion.ARCHIVED.equals(version.status())) {
        return version;
      }
      if (version.isActive()) {
        // The console refuses to archive what serves live traffic; seeding should not invent that
        // state.
        throw new IllegalStateException(
            "cannot archive the active version " + versionNumber + " of " + agentId);
      }
      return touch(agentId, version, f -> f.status = SimVersion.ARCHIVED);
    }
  }

  /**
   * Archives the published version with the highest number that is not active, as someone in the
   * console might between two list calls; nothing when there is none.
   */
  Optional<SimVersion> archiveNewestInactive(String agentId) {
    synchronized (lock) {
      AgentRecord agent = agents.get(agentId);
      if (agent == null) {
        return Optional.empty();
      }
      Optional<SimVersion> newest =
          agent.versions.stream()
              .filter(v -> v.isPublished() && !v.isActive())
              .max(Comparator.comparing(SimVersion::versionNumber));
      return newest.map(v -> archive(agentId, v.versionNumber()));
    }
  }

  // ---- activation ---------------------------------------------------------------------------

  Activation activate(String agentId, String versionId, String userId) {
    synchronized (lock) {
      AgentRecord agent = agents.get(agentId);
      if (agent == null) {
        return new Activation(Activation.Outcome.NOT_FOUND, null);
      }
      int index = indexOf(agent, versionId);
      if (index < 0) {
        return new Activation(Activation.Outcome.NOT_FOUND, null);
      }
      SimVersion target = agent.versions.get(index);
      if (!target.isPublished()) {
        return new Activation(Activation.Outcome.NOT_PUBLISHED, target);
      }
      if (target.isActive()) {
        return new Activation(Activation.Outcome.ALREADY_ACTIVE, target);
      }
      Instant now = now();
      agent.versions.replaceAll(
          v ->
              v.isActive()
                  ? v.with(
                      f -> {
                        f.isActive = false;
                        f.updatedAt = now;
                      })
                  : v);
      SimVersion activated =
          target.with(
              f -> {
                f.isActive = true;
                f.activatedAt = now;
                f.activatedBy = userId;
                f.activatedByName = displayName(userId);
                f.updatedAt = now;
              });
      agent.versions.set(index, activated);
      return new Activation(Activation.Outcome.ACTIVATED, activated);
    }
  }

  // ---- queries ------------------------------------------------------------------------------

  /**
   * Published versions in the configured {@link ListOrder} (newest first unless set otherwise: the
   * contract promises no order); {@code total} is the count of all published versions, whatever the
   * pin filter, as the contract documents.
   */
  Optional<VersionPage> publishedPage(String agentId, Boolean pinned, long skip, int limit) {
    synchronized (lock) {
      AgentRecord agent = agents.get(agentId);
      if (agent == null) {
        return Optional.empty();
      }
      List<SimVersion> published =
          agent.versions.stream().filter(SimVersion::isPublished).sorted(listOrder()).toList();
      List<SimVersion> page =
          published.stream()
              .filter(v -> pinned == null || v.isPinned() == pinned)
              .skip(skip)
              .limit(limit)
              .toList();
      return Optional.of(new VersionPage(page, published.size()));
    }
  }

  SimVersion byNumber(String agentId, int versionNumber) {
    synchronized (lock) {
      return agent(agentId).versions.stream()
          .filter(v -> v.versionNumber() != null && v.versionNumber() == versionNumber)
          .findFirst()
          .orElseThrow(
              () ->
                  new NoSuchElementException(
                      "agent " + agentId + " has no version number " + versionNumber));
    }
  }

  SimVersion byId(String agentId, String versionId) {
    synchronized (lock) {
      AgentRecord agent = agent(agentId);
      int index = indexOf(agent, versionId);
      if (index < 0) {
        throw new NoSuchElementException("agent " + agentId + " has no version " + versionId);
      }
      return agent.versions.get(index);
    }
  }

  List<SimVersion> all(String agentId) {
    synchronized (lock) {
      return List.copyOf(agent(agentId).versions);
    }
  }

  Optional<SimVersion> active(String agentId) {
    synchronized (lock) {
      return agent(agentId).versions.stream().filter(SimVersion::isActive).findFirst();
    }
  }

  private Comparator<SimVersion> listOrder() {
    Comparator<SimVersion> oldestFirst = Comparator.comparing(SimVersion::versionNumber);
    return switch (order) {
      case NEWEST_FIRST -> oldestFirst.reversed();
      case OLDEST_FIRST -> oldestFirst;
      case SHUFFLED ->
          Comparator.comparingLong((SimVersion v) -> mix(v.id())).thenComparing(oldestFirst);
    };
  }

  /** A stable, well-spread hash (the finaliser of SplitMix64). */
  private static long mix(String id) {
    long z = id.hashCode() * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** What the console shows next to a user id: the name given, else the id itself. */
  String displayName(String userId) {
    return userId == null ? null : displayNames.getOrDefault(userId, userId);
  }

  void setDisplayName(String userId, String name) {
    requireId(userId, "userId");
    requireId(name, "name");
    displayNames.put(userId, name);
  }

  void setOrder(ListOrder order) {
    this.order = java.util.Objects.requireNonNull(order, "order");
  }

  private AgentRecord agent(String agentId) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null) {
      throw new NoSuchElementException("unknown agent " + agentId);
    }
    return agent;
  }

  private void replace(String agentId, SimVersion version) {
    AgentRecord agent = agent(agentId);
    agent.versions.set(indexOf(agent, version.id()), version);
  }

  private static int indexOf(AgentRecord agent, String versionId) {
    for (int i = 0; i < agent.versions.size(); i++) {
      if (agent.versions.get(i).id().equals(versionId)) {
        return i;
      }
    }
    return -1;
  }

  /** Includes archived versions: version numbers are never reused. */
  private static Optional<SimVersion> newestNumbered(AgentRecord agent) {
    return agent.versions.stream()
        .filter(v -> v.versionNumber() != null)
        .max(Comparator.comparing(SimVersion::versionNumber));
  }

  private static Optional<SimVersion> newestPublished(AgentRecord agent) {
    return agent.versions.stream()
        .filter(SimVersion::isPublished)
        .max(Comparator.comparing(SimVersion::versionNumber));
  }

  /**
   * Millisecond precision, like the Mongo dates behind the real API, so JSON round-trips exactly.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void requireId(String id, String name) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(name + " must be non-empty");
    }
  }
}
