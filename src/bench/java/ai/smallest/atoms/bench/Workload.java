package ai.smallest.atoms.bench;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.simulator.AtomsSimulator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The benchmark workload: N AgentReleases across N agents; each agent has 30 published
 * versions, except 10% with 250 (whose desired version sits on page 3 of the newest-first list);
 * exactly half of the agents of each kind need an activation, the others already serve the desired
 * version. Deterministic for a given seed.
 */
public final class Workload {

  public static final int PAGE_SIZE = 100;
  public static final int SMALL_VERSIONS = 30;
  public static final int BIG_VERSIONS = 250;

  /** One agent and its release. */
  public record Agent(
      int index,
      String agentId,
      String namespace,
      String releaseName,
      int versions,
      int desired,
      int activeBefore) {

    public boolean needsActivation() {
      return desired != activeBefore;
    }

    /** List pages the operator needs to reach the desired version (newest first, 100 per page). */
    public int pagesNeeded() {
      return pagesToReach(versions, desired);
    }

    /** Ideal Atoms calls to converge: the pages, plus one activation when needed. */
    public int idealCalls() {
      return pagesNeeded() + (needsActivation() ? 1 : 0);
    }
  }

  private final List<Agent> agents;

  private Workload(List<Agent> agents) {
    this.agents = List.copyOf(agents);
  }

  /**
   * @param namespaces releases are spread over this many namespaces ({@code bench-0} …)
   */
  public static Workload generate(int n, int namespaces, long seed) {
    return generate(n, namespaces, seed, "");
  }

  /** The same shape with agent and release names prefixed (e.g. for a warm-up set). */
  public static Workload generate(int n, int namespaces, long seed, String prefix) {
    Random random = new Random(seed);
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    Collections.shuffle(order, random);
    int bigCount = Math.round(n * 0.1f);
    boolean[] big = new boolean[n];
    boolean[] activate = new boolean[n];
    int bigSeen = 0;
    int smallSeen = 0;
    for (int position = 0; position < n; position++) {
      int i = order.get(position);
      if (position < bigCount) {
        big[i] = true;
        activate[i] = bigSeen++ % 2 == 0;
      } else {
        activate[i] = smallSeen++ % 2 == 0;
      }
    }
    List<Agent> agents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int versions = big[i] ? BIG_VERSIONS : SMALL_VERSIONS;
      // Big agents: a version <= 50, which is on page 3 of 250 listed newest first.
      int desired = big[i] ? 1 + random.nextInt(50) : 1 + random.nextInt(SMALL_VERSIONS - 1);
      int activeBefore = activate[i] ? versions : desired;
      agents.add(
          new Agent(
              i,
              prefix + String.format("agent-%05d", i),
              "bench-" + (i % namespaces),
              prefix + String.format("release-%05d", i),
              versions,
              desired,
              activeBefore));
    }
    return new Workload(agents);
  }

  public static int pagesToReach(int versions, int desired) {
    int position = versions - desired + 1; // 1-based position in the newest-first list
    return (position + PAGE_SIZE - 1) / PAGE_SIZE;
  }

  public List<Agent> agents() {
    return agents;
  }

  public int size() {
    return agents.size();
  }

  /** Sum over releases of list pages needed plus activations needed. */
  public long idealCalls() {
    return agents.stream().mapToLong(Agent::idealCalls).sum();
  }

  public long idealListCalls() {
    return agents.stream().mapToLong(Agent::pagesNeeded).sum();
  }

  public long idealActivations() {
    return agents.stream().filter(Agent::needsActivation).count();
  }

  /**
   * List calls one steady-state resync of every release costs at best (pages to the desired
   * version).
   */
  public long idealListCallsPerResync() {
    return idealListCalls();
  }

  /** Creates the agents, their published versions and the live version on the simulator. */
  public void seed(AtomsSimulator simulator) {
    for (Agent agent : agents) {
      simulator
          .agent(agent.agentId())
          .publishedVersions(agent.versions())
          .activeVersion(agent.activeBefore());
    }
  }

  /** The AgentRelease of an agent; no apiKeySecretRef: the operator's default Secret is used. */
  public static AgentRelease release(Agent agent) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.setAgentId(agent.agentId());
    spec.setVersionNumber(agent.desired());
    AgentRelease release = new AgentRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(agent.namespace())
            .withName(agent.releaseName())
            .build());
    release.setSpec(spec);
    return release;
  }
}
