package ai.smallest.atoms.sandbox;

import ai.smallest.atoms.simulator.AgentBuilder;
import ai.smallest.atoms.simulator.AtomsSimulator;

/**
 * The sandbox's Atoms account: API key {@value #API_KEY}, and agents that show every state the
 * operator deals with. Seeding is deterministic, so version IDs are the same in every run and
 * {@code examples/agentrelease-by-version-id.yaml} can name one.
 *
 * <ul>
 *   <li>{@code agent-support}: v2–v6 published, v5 active, v3 pinned, v1 archived, one draft;
 *   <li>{@code agent-sales}: 120 published versions (the list API pages by 100), v120 active;
 *   <li>{@code agent-onboarding}: v1–v3 published, v3 active and pinned;
 *   <li>{@code agent-billing}: v1–v2 published, v2 active (examples/ restricts it to activation
 *       windows, so changing it shows a release waiting for its window);
 *   <li>{@code agent-faq}: v1–v4 published, v4 live, v3 labelled "stable" (examples/ selects the
 *       latest "stable" version, so publishing or labelling another one shows a new selection).
 * </ul>
 */
public final class DemoAgents {

  public static final String API_KEY = "sandbox-key";
  public static final String API_USER = "user_sandbox";

  /** Who the admin endpoint's console activations are attributed to. */
  public static final String CONSOLE_USER = "user_console";

  private DemoAgents() {}

  public static void seed(AtomsSimulator simulator) {
    simulator.addApiKey(API_KEY, API_USER);

    AgentBuilder support =
        simulator.agent("agent-support").workflowType("single_prompt").publishedVersions(6);
    support.archived(1);
    support.pinned(3).activeVersion(5);
    support.draft("Work in progress");

    simulator
        .agent("agent-sales")
        .workflowType("workflow_graph")
        .publishedVersions(120)
        .activeVersion(120);

    simulator
        .agent("agent-onboarding")
        .workflowType("single_prompt")
        .publishedVersions(3)
        .pinned(3)
        .activeVersion(3);

    simulator
        .agent("agent-billing")
        .workflowType("single_prompt")
        .publishedVersions(2)
        .activeVersion(2);

    simulator
        .agent("agent-faq")
        .workflowType("single_prompt")
        .publishedVersions(4)
        .label(3, "stable")
        .activeVersion(4);
  }
}
