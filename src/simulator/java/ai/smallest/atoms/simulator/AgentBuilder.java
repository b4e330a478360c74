package ai.smallest.atoms.simulator;

/** Seeds one agent's versions for a test scenario. Not counted as API calls. */
public final class AgentBuilder {

  private final VersionStore store;
  private final String agentId;

  AgentBuilder(VersionStore store, String agentId) {
    this.store = store;
    this.agentId = agentId;
    store.createAgentIfAbsent(agentId);
  }

  public String agentId() {
    return agentId;
  }

  /**
   * {@code "workflow_graph"} or {@code "single_prompt"} (the default); applies to existing versions
   * too.
   */
  public AgentBuilder workflowType(String type) {
    store.setWorkflowType(agentId, type);
    return this;
  }

  /**
   * Appends {@code n} published versions numbered after the highest existing number, labelled
   * "v&lt;N&gt;".
   */
  public AgentBuilder publishedVersions(int n) {
    store.appendPublished(agentId, n);
    return this;
  }

  /** Makes that published version the active one, as if a human did it in the console. */
  public AgentBuilder activeVersion(int versionNumber) {
    SimVersion version = store.byNumber(agentId, versionNumber);
    VersionStore.Activation activation =
        store.activate(agentId, version.id(), VersionStore.CONSOLE_USER);
    if (activation.outcome() == VersionStore.Activation.Outcome.NOT_PUBLISHED) {
      throw new IllegalStateException(
          "version " + versionNumber + " of " + agentId + " is " + version.status());
    }
    return this;
  }

  public AgentBuilder pinned(int versionNumber) {
    store.pin(agentId, versionNumber);
    return this;
  }

  /** Unpins that version, as someone in the console might. */
  public AgentBuilder unpinned(int versionNumber) {
    store.setPinned(agentId, versionNumber, false);
    return this;
  }

  /** Sets that version's label (null clears it), as someone in the console might. */
  public AgentBuilder label(int versionNumber, String label) {
    store.setLabel(agentId, versionNumber, label);
    return this;
  }

  /**
   * Publishes a new version, numbered after the highest number ever used, as someone publishing in
   * the console would, and returns it. Not an API call.
   *
   * @param label null for "v&lt;N&gt;"
   */
  public SimVersion publish(String label) {
    return store.publish(agentId, label, VersionStore.PUBLISHER);
  }

  /** Adds a draft revision (no version number) and returns it. */
  public SimVersion draft(String label) {
    return store.addDraft(agentId, label);
  }

  /**
   * Archives an existing published version: it disappears from listings and cannot be activated.
   */
  public SimVersion archived(int versionNumber) {
    return store.archive(agentId, versionNumber);
  }

  public SimVersion versionNumber(int n) {
    return store.byNumber(agentId, n);
  }
}
