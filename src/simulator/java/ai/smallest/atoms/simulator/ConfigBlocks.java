package ai.smallest.atoms.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The 13 config-section block references every AgentVersion carries. */
final class ConfigBlocks {

  /** Contract order, kept so the JSON reads like the documented example. */
  static final List<String> NAMES =
      List.of(
          "workflow_prompt",
          "workflow_tools",
          "workflow_graph",
          "llm",
          "voice",
          "language",
          "call_handling",
          "detection",
          "analytics",
          "timeouts",
          "audio",
          "privacy",
          "widget");

  private ConfigBlocks() {}

  /**
   * Deterministic refs derived from the version id, so distinct versions point at distinct blocks.
   */
  static Map<String, String> forVersion(String versionId) {
    String suffix = versionId.substring(versionId.length() - 6);
    Map<String, String> blocks = new LinkedHashMap<>();
    for (String name : NAMES) {
      blocks.put(name, name + "_" + suffix);
    }
    return Collections.unmodifiableMap(blocks);
  }
}
