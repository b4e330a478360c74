package ai.smallest.atoms.operator.atoms;

/**
 * The fields of the Atoms {@code AgentVersion} schema that the operator uses, as checked by {@link
 * Answers}: {@code id} is a safe path segment, {@code isActive} is present, {@code activatedAt} is
 * an ISO-8601 date-time or null, and free-text fields are at most {@link Answers#MAX_TEXT_CHARS}
 * characters. Other fields (blocks, drafts, …) are not read, so additions on the Atoms side never
 * break parsing.
 */
public record AgentVersion(
    String id,
    String agent,
    String status,
    Integer versionNumber,
    String label,
    Boolean isActive,
    String activatedAt,
    String activatedBy,
    Boolean isPinned,
    String activatedByName) {

  public static final String STATUS_PUBLISHED = "published";

  /** Without the fields added for version selection and drift attribution (pinned, who). */
  public AgentVersion(
      String id,
      String agent,
      String status,
      Integer versionNumber,
      String label,
      Boolean isActive,
      String activatedAt,
      String activatedBy) {
    this(id, agent, status, versionNumber, label, isActive, activatedAt, activatedBy, null, null);
  }

  public boolean active() {
    return Boolean.TRUE.equals(isActive);
  }

  /** Absent {@code isPinned} is false, the contract's default. */
  public boolean pinned() {
    return Boolean.TRUE.equals(isPinned);
  }

  /** A missing status is taken as published: the list endpoint only returns published versions. */
  public boolean published() {
    return status == null || STATUS_PUBLISHED.equals(status);
  }
}
