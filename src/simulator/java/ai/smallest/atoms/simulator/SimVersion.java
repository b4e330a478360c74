package ai.smallest.atoms.simulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable snapshot of one AgentVersion record.
 *
 * <p>The store replaces snapshots instead of mutating them, so a snapshot handed to a test (or
 * being serialised by a request thread) never changes underneath its reader.
 */
public final class SimVersion {

  public static final String PUBLISHED = "published";
  public static final String DRAFT = "draft";
  public static final String ARCHIVED = "archived";

  private final Fields f;

  private SimVersion(Fields fields) {
    this.f = fields.copy();
  }

  static SimVersion of(Fields fields) {
    Objects.requireNonNull(fields.id, "id");
    Objects.requireNonNull(fields.agentId, "agentId");
    Objects.requireNonNull(fields.status, "status");
    return new SimVersion(fields);
  }

  /** A copy of this snapshot with {@code change} applied. */
  SimVersion with(Consumer<Fields> change) {
    Fields copy = f.copy();
    change.accept(copy);
    return of(copy);
  }

  public String id() {
    return f.id;
  }

  public String agentId() {
    return f.agentId;
  }

  public String status() {
    return f.status;
  }

  public Integer versionNumber() {
    return f.versionNumber;
  }

  public String label() {
    return f.label;
  }

  public String description() {
    return f.description;
  }

  public boolean isPinned() {
    return f.isPinned;
  }

  public String publishedBy() {
    return f.publishedBy;
  }

  public String publishedByName() {
    return f.publishedByName;
  }

  public Instant publishedAt() {
    return f.publishedAt;
  }

  public String activatedBy() {
    return f.activatedBy;
  }

  public String activatedByName() {
    return f.activatedByName;
  }

  public Instant activatedAt() {
    return f.activatedAt;
  }

  public String draftId() {
    return f.draftId;
  }

  public String draftName() {
    return f.draftName;
  }

  public Integer draftRevision() {
    return f.draftRevision;
  }

  public String sourceVersionId() {
    return f.sourceVersionId;
  }

  public Map<String, String> blocks() {
    return f.blocks;
  }

  public String workflowType() {
    return f.workflowType;
  }

  public String parentVersion() {
    return f.parentVersion;
  }

  public boolean isActive() {
    return f.isActive;
  }

  public String createdBy() {
    return f.createdBy;
  }

  public Instant createdAt() {
    return f.createdAt;
  }

  public Instant updatedAt() {
    return f.updatedAt;
  }

  public boolean isPublished() {
    return PUBLISHED.equals(f.status);
  }

  @Override
  public String toString() {
    return "SimVersion{id="
        + f.id
        + ", agent="
        + f.agentId
        + ", status="
        + f.status
        + ", versionNumber="
        + f.versionNumber
        + ", label="
        + f.label
        + ", isActive="
        + f.isActive
        + ", isPinned="
        + f.isPinned
        + "}";
  }

  /** Mutable bag of AgentVersion fields, only ever touched while building a new snapshot. */
  static final class Fields {
    String id;
    String agentId;
    String status;
    Integer versionNumber;
    String label;
    String description;
    boolean isPinned;
    String publishedBy;
    String publishedByName;
    Instant publishedAt;
    String activatedBy;
    String activatedByName;
    Instant activatedAt;
    String draftId;
    String draftName;
    Integer draftRevision;
    String sourceVersionId;
    Map<String, String> blocks = Map.of();
    String workflowType;
    String parentVersion;
    boolean isActive;
    String createdBy;
    Instant createdAt;
    Instant updatedAt;

    Fields copy() {
      Fields c = new Fields();
      c.id = id;
      c.agentId = agentId;
      c.status = status;
      c.versionNumber = versionNumber;
      c.label = label;
      c.description = description;
      c.isPinned = isPinned;
      c.publishedBy = publishedBy;
      c.publishedByName = publishedByName;
      c.publishedAt = publishedAt;
      c.activatedBy = activatedBy;
      c.activatedByName = activatedByName;
      c.activatedAt = activatedAt;
      c.draftId = draftId;
      c.draftName = draftName;
      c.draftRevision = draftRevision;
      c.sourceVersionId = sourceVersionId;
      c.blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
      c.workflowType = workflowType;
      c.parentVersion = parentVersion;
      c.isActive = isActive;
      c.createdBy = createdBy;
      c.createdAt = createdAt;
      c.updatedAt = updatedAt;
      return c;
    }
  }
}
