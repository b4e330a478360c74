package ai.smallest.atoms.simulator;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The simulator's versions without HTTP: the same store, listing and activation rules the {@link
 * AtomsSimulator} serves, for in-memory fakes in unit tests (harness.FakeAtomsClient). Seeding
 * works as on the simulator ({@link #agent}).
 */
public final class SimulatorStore {

  /** One page of published versions; {@code total} counts all published versions of the agent. */
  public record Page(List<SimVersion> versions, int total) {}

  /** What an activation did, as the HTTP layer would map it. */
  public enum ActivationOutcome {
    ACTIVATED,
    ALREADY_ACTIVE,
    NOT_FOUND,
    NOT_PUBLISHED
  }

  public record Activation(ActivationOutcome outcome, SimVersion version) {}

  private final VersionStore store;

  private SimulatorStore(VersionStore store) {
    this.store = store;
  }

  public static SimulatorStore create(Clock clock) {
    return new SimulatorStore(new VersionStore(clock));
  }

  public AgentBuilder agent(String agentId) {
    return new AgentBuilder(store, agentId);
  }

  /** The page, or empty when the agent is unknown (the API answers 404). */
  public Optional<Page> list(String agentId, Boolean pinned, int skip, int limit) {
    return store
        .publishedPage(agentId, pinned, skip, limit)
        .map(page -> new Page(page.versions(), page.total()));
  }

  public Activation activate(String agentId, String versionId, String userId) {
    VersionStore.Activation done = store.activate(agentId, versionId, userId);
    return new Activation(ActivationOutcome.valueOf(done.outcome().name()), done.version());
  }

  public Optional<SimVersion> active(String agentId) {
    return store.active(agentId);
  }

  public boolean isForbidden(String agentId) {
    return store.isForbidden(agentId);
  }
}
