package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator observed. Written only through the status subresource, and only when a field
 * here changes (see {@code StatusUpdater}), so an unchanged reconcile is silent.
 */
// Unknown fields are ignored, as a server that prunes by the CRD schema would drop them.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentReleaseStatus {

  @Min(0)
  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  // Version numbers in status are what Atoms reported, which the operator checks only for int
  // range (atoms.Answers): a tighter minimum here would let an odd answer make every status write
  // of this release fail, so the bounds are the model's. The same holds in history and
  // pendingActivation.
  @Min(Integer.MIN_VALUE)
  @Max(Integer.MAX_VALUE)
  @JsonPropertyDescription("Version number that is live on Atoms after the last reconcile.")
  private Integer versionNumber;

  @JsonPropertyDescription(
      "ID (_id) of the version that is live on Atoms after the last reconcile.")
  private String versionId;

  @JsonPropertyDescription("Label of the live version.")
  private String label;

  @JsonPropertyDescription("When the live version was activated (RFC 3339), as reported by Atoms.")
  private String activatedAt;

  @JsonPropertyDescription("Atoms user that activated the live version, as reported by Atoms.")
  private String activatedBy;

  @JsonPropertyDescription(
      "Whether this operator made the activation call during the last change (false when the version was already live, or someone else activated it).")
  private Boolean activated;

  @JsonPropertyDescription(
      "When the operator last wrote a confirmation of the live version against the Atoms API (RFC 3339): with any other status change, and otherwise once per atoms.status-heartbeat (1h by default), so a release whose status does not change shows a lastSyncedAt up to that heartbeat plus one resync interval old.")
  private String lastSyncedAt;

  @JsonPropertyDescription(
      "Value of the atoms.smallest.ai/reconcile-requested-at annotation the operator last acted on.")
  private String lastHandledReconcileAt;

  @JsonPropertyDescription(
      "Value of the atoms.smallest.ai/activate-now annotation the operator last acted on (it lets one activation through outside spec.activationWindows).")
  private String lastHandledActivateNow;

  @JsonPropertyDescription(
      "When enforcement last resumed after a DriftLoop (RFC 3339): drift corrections before it are not counted by the drift-loop guard.")
  private String driftGuardResetAt;

  @JsonPropertyDescription(
      "The published version the spec resolves to (versionNumber, versionId or versionSelector), and since when; the DESIRED column of kubectl get.")
  private SelectedVersion selected;

  @JsonPropertyDescription(
      "With deletionPolicy Restore: the version that was live before this release's first activation, re-activated when the release is deleted. Empty when no version was live.")
  private VersionReference previousVersion;

  @Min(0)
  @JsonPropertyDescription(
      "Failed attempts to restore previousVersion while the release is being deleted; after atoms.restore.max-attempts the release is let go.")
  private Integer restoreAttempts;

  @JsonPropertyDescription(
      "An activation the operator has asked Atoms for and not yet seen confirmed: set just before"
          + " the activate call, cleared once the outcome is known.")
  private PendingActivation pendingActivation;

  @JsonPropertyDescription(
      "The latest activations this operator made, newest first, at most atoms.history-limit (default 10).")
  private List<ActivationRecord> history = new ArrayList<>();

  // Fabric8's Condition has no schema annotations: the CRD takes metav1.Condition's from
  // ConditionSchema.
  @SchemaFrom(type = ConditionSchema.List.class)
  @JsonPropertyDescription(
      "The latest observations of the release's state, one per type: Ready (True when the"
          + " desired version is live on Atoms), Reconciling (present while work is under way) and"
          + " Stalled (present while progress needs a person), as kstatus, kubectl wait, Argo CD"
          + " and Flux read them.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getVersionNumber() {
    return versionNumber;
  }

  public void setVersionNumber(Integer versionNumber) {
    this.versionNumber = versionNumber;
  }

  public String getVersionId() {
    return versionId;
  }

  public void setVersionId(String versionId) {
    this.versionId = versionId;
  }

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public String getActivatedAt() {
    return activatedAt;
  }

  public void setActivatedAt(String activatedAt) {
    this.activatedAt = activatedAt;
  }

  public String getActivatedBy() {
    return activatedBy;
  }

  public void setActivatedBy(String activatedBy) {
    this.activatedBy = activatedBy;
  }

  public Boolean getActivated() {
    return activated;
  }

  public void setActivated(Boolean activated) {
    this.activated = activated;
  }

  public String getLastSyncedAt() {
    return lastSyncedAt;
  }

  public void setLastSyncedAt(String lastSyncedAt) {
    this.lastSyncedAt = lastSyncedAt;
  }

  public String getLastHandledReconcileAt() {
    return lastHandledReconcileAt;
  }

  public void setLastHandledReconcileAt(String lastHandledReconcileAt) {
    this.lastHandledReconcileAt = lastHandledReconcileAt;
  }

  public String getLastHandledActivateNow() {
    return lastHandledActivateNow;
  }

  public void setLastHandledActivateNow(String lastHandledActivateNow) {
    this.lastHandledActivateNow = lastHandledActivateNow;
  }

  public String getDriftGuardResetAt() {
    return driftGuardResetAt;
  }

  public void setDriftGuardResetAt(String driftGuardResetAt) {
    this.driftGuardResetAt = driftGuardResetAt;
  }

  public SelectedVersion getSelected() {
    return selected;
  }

  public void setSelected(SelectedVersion selected) {
    this.selected = selected;
  }

  public VersionReference getPreviousVersion() {
    return previousVersion;
  }

  public void setPreviousVersion(VersionReference previousVersion) {
    this.previousVersion = previousVersion;
  }

  public Integer getRestoreAttempts() {
    return restoreAttempts;
  }

  public void setRestoreAttempts(Integer restoreAttempts) {
    this.restoreAttempts = restoreAttempts;
  }

  public PendingActivation getPendingActivation() {
    return pendingActivation;
  }

  public void setPendingActivation(PendingActivation pendingActivation) {
    this.pendingActivation = pendingActivation;
  }

  public List<ActivationRecord> getHistory() {
    return history;
  }

  public void setHistory(List<ActivationRecord> history) {
    this.history = history == null ? new ArrayList<>() : history;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /**
   * The condition of this type, looked up in place (the metrics gauges read it on every scrape).
   */
  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  /** The Ready condition, if written yet. */
  public Optional<Condition> ready() {
    return condition(Conditions.READY);
  }

  /** Whether this status says Ready=True for {@code generation} of the spec. */
  public boolean isReadyFor(Long generation) {
    return generation != null
        && Objects.equals(observedGeneration, generation)
        && ready().map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentReleaseStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(versionNumber, other.versionNumber)
        && Objects.equals(versionId, other.versionId)
        && Objects.equals(label, other.label)
        && Objects.equals(activatedAt, other.activatedAt)
        && Objects.equals(activatedBy, other.activatedBy)
        && Objects.equals(activated, other.activated)
        && Objects.equals(lastSyncedAt, other.lastSyncedAt)
        && Objects.equals(lastHandledReconcileAt, other.lastHandledReconcileAt)
        && Objects.equals(lastHandledActivateNow, other.lastHandledActivateNow)
        && Objects.equals(driftGuardResetAt, other.driftGuardResetAt)
        && Objects.equals(selected, other.selected)
        && Objects.equals(previousVersion, other.previousVersion)
        && Objects.equals(restoreAttempts, other.restoreAttempts)
        && Objects.equals(pendingActivation, other.pendingActivation)
        && Objects.equals(history, other.history)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        versionNumber,
        versionId,
        label,
        activatedAt,
        activatedBy,
        activated,
        lastSyncedAt,
        lastHandledReconcileAt,
        lastHandledActivateNow,
        driftGuardResetAt,
        selected,
        previousVersion,
        restoreAttempts,
        pendingActivation,
        history,
        conditions);
  }
}
