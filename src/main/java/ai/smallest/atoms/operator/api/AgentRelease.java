package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;
import java.util.Optional;

/**
 * Declares that one Atoms agent should serve one published version.
 *
 * <p>The printer columns are declared here (not on fields) because Ready and Reason come from a
 * filtered JSONPath into the conditions list, which field annotations cannot express.
 */
@JsonClassDescription(AgentRelease.DESCRIPTION)
@Group(AgentRelease.GROUP)
@Version(AgentRelease.VERSION)
@ShortNames("agr")
@Categories(AgentRelease.CATEGORY)
@AdditionalPrinterColumn(
    name = "Agent",
    jsonPath = ".spec.agentId",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.selected.versionNumber",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Active",
    jsonPath = ".status.versionNumber",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Activated",
    jsonPath = ".status.activatedAt",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Desired-ID",
    jsonPath = ".status.selected.versionId",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Active-ID",
    jsonPath = ".status.versionId",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class AgentRelease extends CustomResource<AgentReleaseSpec, AgentReleaseStatus>
    implements Namespaced {

  public static final String GROUP = "atoms.smallest.ai";
  public static final String VERSION = "v1alpha1";

  /** {@code kubectl get atoms} lists every kind of this operator. */
  public static final String CATEGORY = "atoms";

  /** What {@code kubectl explain agr} prints. */
  static final String DESCRIPTION =
      "AgentRelease declares which published version of one Smallest AI Atoms agent should be live."
          + " The atoms-operator activates that version when Atoms reports another one active,"
          + " and reports what is live in status.";

  /**
   * Annotation that asks for an immediate resync (like Flux's reconcile.fluxcd.io/requestedAt): a
   * new value is handled once, and echoed in status.lastHandledReconcileAt.
   */
  public static final String RECONCILE_REQUESTED_AT = "atoms.smallest.ai/reconcile-requested-at";

  /**
   * Annotation on a Namespace, set by cluster admins: the agents AgentReleases in that namespace
   * may manage, comma-separated IDs or {@code prefix*} globs. Releases for other agents are Stalled
   * with reason AgentNotAllowed and make no Atoms call.
   */
  public static final String ALLOWED_AGENTS_ANNOTATION = "atoms.smallest.ai/allowed-agents";

  /**
   * Annotation that lets one pending activation through outside spec.activationWindows: a new value
   * is handled once, and echoed in status.lastHandledActivateNow.
   */
  public static final String ACTIVATE_NOW = "atoms.smallest.ai/activate-now";

  /**
   * Finalizer that holds the deletion of a release with deletionPolicy Restore until the previous
   * version is live again (or the operator gave up). Present only while the policy is Restore.
   */
  public static final String RESTORE_FINALIZER = "atoms.smallest.ai/restore";

  /** Annotation that, set to "true", lets a release with deletionPolicy Restore go unrestored. */
  public static final String SKIP_RESTORE = "atoms.smallest.ai/skip-restore";

  /** Whether the skip-restore annotation says "true". */
  public boolean skipsRestore() {
    return annotation(SKIP_RESTORE).map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
  }

  /** The value of the reconcile-request annotation, if set. */
  public Optional<String> reconcileRequest() {
    return annotation(RECONCILE_REQUESTED_AT);
  }

  /** The value of the activate-now annotation, if set. */
  public Optional<String> activateNowRequest() {
    return annotation(ACTIVATE_NOW);
  }

  /** Whether the activate-now annotation holds a value the operator has not acted on yet. */
  public boolean hasUnhandledActivateNow() {
    String handled = getStatus() == null ? null : getStatus().getLastHandledActivateNow();
    return activateNowRequest().filter(requested -> !requested.equals(handled)).isPresent();
  }

  /** An annotation's value, if set. */
  public Optional<String> annotation(String name) {
    Map<String, String> annotations = getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(name));
  }

  /** Whether the reconcile-request annotation holds a value the operator has not acted on yet. */
  public boolean hasUnhandledReconcileRequest() {
    String handled = getStatus() == null ? null : getStatus().getLastHandledReconcileAt();
    return reconcileRequest().filter(requested -> !requested.equals(handled)).isPresent();
  }

  /** Whether the stored status says Ready=True for the current spec generation. */
  @JsonIgnore
  public boolean isReadyForCurrentGeneration() {
    return getStatus() != null && getStatus().isReadyFor(getMetadata().getGeneration());
  }

  // The getters below are overridden only to carry the descriptions of spec and status into the
  // CRD (kubectl explain agr.spec / agr.status); the fields live in Fabric8's CustomResource.

  @Override
  @JsonPropertyDescription(
      "Desired state: which Atoms agent, which published version should be live, and how the"
          + " operator looks after it.")
  public AgentReleaseSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state, written by the operator only: the live version, the latest activations"
          + " and the Ready, Reconciling and Stalled conditions.")
  public AgentReleaseStatus getStatus() {
    return super.getStatus();
  }

  /** Read leniently: an unreadable spec must not stop the watch (see {@link LenientJson}). */
  @Override
  @JsonDeserialize(using = LenientJson.SpecDeserializer.class)
  public void setSpec(AgentReleaseSpec spec) {
    super.setSpec(spec);
  }

  /** Read leniently: an unreadable status reads as none, and is replaced. */
  @Override
  @JsonDeserialize(using = LenientJson.StatusDeserializer.class)
  public void setStatus(AgentReleaseStatus status) {
    super.setStatus(status);
  }

  // No initStatus() override on purpose: an object without status must stay without one. An empty
  // status object would make the status patch "add /status/<field>" under a missing /status, which
  // a real kube-apiserver rejects (422); with a null status the patch is one "add /status".
}
