package ai.smallest.atoms.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a version exactly as the contract's AgentVersion schema: every field present, nulls
 * explicit.
 */
final class VersionJson {

  /** JavaScript's Date#toISOString shape, which is what the Node backend emits. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private VersionJson() {}

  static String timestamp(Instant instant) {
    return instant == null ? null : ISO_MILLIS.format(instant);
  }

  static ObjectNode toJson(SimVersion v) {
    ObjectNode json = JsonEnvelopes.MAPPER.createObjectNode();
    json.put("_id", v.id());
    json.put("agent", v.agentId());
    json.put("status", v.status());
    json.put("versionNumber", v.versionNumber());
    json.put("label", v.label());
    json.put("description", v.description());
    json.put("isPinned", v.isPinned());
    json.put("publishedBy", v.publishedBy());
    json.put("publishedAt", timestamp(v.publishedAt()));
    json.put("activatedBy", v.activatedBy());
    json.put("activatedAt", timestamp(v.activatedAt()));
    json.put("draftId", v.draftId());
    json.put("draftName", v.draftName());
    json.put("draftRevision", v.draftRevision());
    json.put("sourceVersionId", v.sourceVersionId());
    ObjectNode blocks = json.putObject("blocks");
    v.blocks().forEach(blocks::put);
    json.put("workflowType", v.workflowType());
    json.put("parentVersion", v.parentVersion());
    json.put("isActive", v.isActive());
    json.put("createdBy", v.createdBy());
    json.put("createdAt", timestamp(v.createdAt()));
    json.put("updatedAt", timestamp(v.updatedAt()));
    json.put("publishedByName", v.publishedByName());
    json.put("activatedByName", v.activatedByName());
    return json;
  }
}
