package ai.smallest.atoms.harness;

import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.AtomsApiException;
import ai.smallest.atoms.operator.atoms.AtomsClient;
import ai.smallest.atoms.operator.atoms.PageRequest;
import ai.smallest.atoms.operator.atoms.VersionPage;
import ai.smallest.atoms.simulator.SimVersion;
import ai.smallest.atoms.simulator.SimulatorStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory Atoms client for unit tests: the simulator's store and rules (paging, total, pin
 * filter, activation outcomes) without HTTP, answering as the real client would (the same error
 * kinds), and counting calls. Faster and more faithful than a Mockito stub of each page.
 */
public final class FakeAtomsClient implements AtomsClient {

  public static final String USER = "user_fake";

  private final SimulatorStore store;
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicInteger activations = new AtomicInteger();

  public FakeAtomsClient(Clock clock) {
    this.store = SimulatorStore.create(clock);
  }

  /** The store, to seed agents and to look at what is live. */
  public SimulatorStore store() {
    return store;
  }

  public int listCalls() {
    return lists.get();
  }

  public int activateCalls() {
    return activations.get();
  }

  public int calls() {
    return listCalls() + activateCalls();
  }

  public void resetCounters() {
    lists.set(0);
    activations.set(0);
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
    lists.incrementAndGet();
    if (store.isForbidden(agentId)) {
      throw AtomsApiException.http(403, List.of(), null);
    }
    return store
        .list(agentId, request.pinned(), request.skip(), request.limit())
        .map(
            page ->
                new VersionPage(
                    page.versions().stream().map(FakeAtomsClient::toAgentVersion).toList(),
                    page.total()))
        .orElseThrow(() -> AtomsApiException.http(404, List.of("Agent not found"), null));
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    activations.incrementAndGet();
    if (store.isForbidden(agentId)) {
      throw AtomsApiException.http(403, List.of(), null);
    }
    SimulatorStore.Activation done = store.activate(agentId, versionId, USER);
    return switch (done.outcome()) {
      case ACTIVATED, ALREADY_ACTIVE -> toAgentVersion(done.version());
      case NOT_FOUND ->
          throw AtomsApiException.http(404, List.of("Agent or version not found"), null);
      case NOT_PUBLISHED ->
          throw AtomsApiException.http(
              400, List.of("Only published versions can be activated"), null);
    };
  }

  private static AgentVersion toAgentVersion(SimVersion v) {
    return new AgentVersion(
        v.id(),
        v.agentId(),
        v.status(),
        v.versionNumber(),
        v.label(),
        v.isActive(),
        v.activatedAt() == null ? null : v.activatedAt().toString(),
        v.activatedBy(),
        v.isPinned(),
        v.activatedByName());
  }
}
