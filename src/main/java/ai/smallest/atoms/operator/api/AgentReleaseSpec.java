package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Optional;

/**
 * What a team declares in Git. The CEL rules below make the API server reject a bad manifest at
 * {@code kubectl apply} time; the reconciler validates again (see {@code SpecValidator}) because
 * older clusters and test servers may not enforce CEL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = AgentReleaseSpec.EXACTLY_ONE_VERSION_RULE,
    message = AgentReleaseSpec.EXACTLY_ONE_VERSION_MESSAGE)
// Unknown fields are ignored, as a server that prunes by the CRD schema would drop them.
@JsonIgnoreProperties(ignoreUnknown = true)
public class AgentReleaseSpec {

  static final String EXACTLY_ONE_VERSION_RULE =
      "(has(self.versionNumber) ? 1 : 0) + (has(self.versionId) ? 1 : 0)"
          + " + (has(self.versionSelector) ? 1 : 0) == 1";

  public static final String EXACTLY_ONE_VERSION_MESSAGE =
      "exactly one of spec.versionNumber, spec.versionId or spec.versionSelector must be set";

  /**
   * Agent IDs go into URL paths, so only RFC 3986 unreserved characters, and never a leading dot:
   * "." and ".." would be dot-segments that a normalising proxy turns into another endpoint. Atoms
   * issues 24-hex ObjectIds; this admits them and readable test IDs alike. Mirrored by
   * SpecValidator; the Atoms client checks again whatever the CRD says.
   */
  public static final String AGENT_ID_PATTERN = "^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$";

  public static final int AGENT_ID_MAX_LENGTH = 128;

  /** Version IDs are what Atoms issues: 24-hex MongoDB ObjectIds (the contract's _id). */
  public static final String VERSION_ID_PATTERN = "^[0-9a-f]{24}$";

  /** Go-style durations as Flux uses them: 30s, 5m, 1h30m, 500ms. Mirrored by IntervalParser. */
  static final String INTERVAL_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  @Required
  @Size(min = 1, max = AGENT_ID_MAX_LENGTH)
  @Pattern(AGENT_ID_PATTERN)
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.agentId is immutable: create a new AgentRelease to manage another agent")
  @JsonPropertyDescription(
      "ID of the Atoms agent whose live version this release controls. Immutable.")
  private String agentId;

  @Min(1)
  @Max(Integer.MAX_VALUE) // the model holds a 32-bit integer; a larger number must be refused
  @JsonPropertyDescription(
      "Published version number that should be live (>= 1). Set exactly one of versionNumber, versionId or versionSelector.")
  private Integer versionNumber;

  @Pattern(VERSION_ID_PATTERN)
  @JsonPropertyDescription(
      "ID (_id, 24 hex characters) of the published version that should be live. Set exactly one of versionNumber, versionId or versionSelector.")
  private String versionId;

  @JsonPropertyDescription(
      "Chooses the version that should be live at every check instead of naming it: the latest published, the latest pinned, or the latest with a label, optionally never below minVersionNumber. A newly published (pinned, labelled) version is picked up at the next resync or reconcile request. Set exactly one of versionNumber, versionId or versionSelector.")
  private VersionSelector versionSelector;

  @JsonPropertyDescription(
      "Secret in this namespace holding the Atoms API key. When absent, the operator-wide default Secret is used.")
  private SecretKeyReference apiKeySecretRef;

  @Default("false")
  @JsonPropertyDescription(
      "When true the operator makes no Atoms API call for this release and reports Suspended.")
  private Boolean suspend = false;

  @Pattern(AgentReleaseSpec.INTERVAL_PATTERN)
  @JsonPropertyDescription(
      "How often to re-check the live version against Atoms: a duration of at least 1s such as 30s, 5m or 1h30m. Defaults to the operator's resync interval (atoms.resync-interval, 10m).")
  private String interval;

  // An unknown value (possible only where the API server skips schema validation) reads as null,
  // which SpecValidator reports as InvalidSpec instead of the informer failing to parse the object.
  // ALWAYS keeps that null in JSON: JOSDK hands the reconciler a JSON clone of the cached object,
  // and with NON_NULL the clone would drop the field and get the initialiser's default back, so a
  // typo such as "ObserveOnly" would silently mean Manage.
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @Default("Enforce")
  @JsonPropertyDescription(
      "Enforce re-activates the declared version when someone changes it in Atoms; Report only reports the drift.")
  private DriftPolicy driftPolicy = DriftPolicy.Enforce;

  @JsonInclude(JsonInclude.Include.ALWAYS) // see driftPolicy
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @Default("Manage")
  @JsonPropertyDescription(
      "Manage activates the declared version; Observe never calls activate and reports what Manage would do.")
  private ManagementPolicy managementPolicy = ManagementPolicy.Manage;

  @JsonInclude(JsonInclude.Include.ALWAYS) // see driftPolicy
  @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
  @Default("Orphan")
  @JsonPropertyDescription(
      "What deleting this AgentRelease does on Atoms. Orphan (default) leaves the live version as it is. Restore re-activates the version that was live before this release's first activation (status.previousVersion), if it is still published, before the release goes away; a finalizer (atoms.smallest.ai/restore) holds the deletion meanwhile, for a bounded number of attempts. Suspended and Observe releases never restore.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Orphan;

  /** More windows than this are refused: each one is evaluated on every reconcile. */
  public static final int MAX_ACTIVATION_WINDOWS = 16;

  @Size(max = MAX_ACTIVATION_WINDOWS)
  @JsonPropertyDescription(
      "When set, the operator changes the live version (a declared change, a new selection, a drift correction) only while one of these windows is open; otherwise the release waits with reason OutsideActivationWindow until the next window opens. The annotation atoms.smallest.ai/activate-now with a new value lets one pending activation through at once. Empty: any time.")
  private List<ActivationWindow> activationWindows;

  @JsonPropertyDescription(
      "Drift-loop guard: when drift corrections exceed maxCorrections within window, something keeps activating another version, and the operator stops enforcing (Ready=False, Stalled=True, reason DriftLoop) until a spec change or a reconcile request. Defaults come from the operator's atoms.drift.* settings.")
  private DriftGuard driftGuard;

  /** The stored JSON of a spec that could not be read, written back unchanged; else null. */
  @JsonIgnore private JsonNode unreadableSource;

  /** Why the stored spec could not be read, naming the field; else null. */
  @JsonIgnore private String unreadableReason;

  /**
   * A spec the API server stored but the model cannot hold (see {@link LenientJson}): it reports
   * {@code reason} as InvalidSpec and serializes back to {@code source}.
   */
  public static AgentReleaseSpec unreadable(JsonNode source, String reason) {
    AgentReleaseSpec spec = new AgentReleaseSpec();
    spec.unreadableSource = source;
    spec.unreadableReason = reason;
    // Only the agent ID is salvaged, when it is a plain string, so conflicts still see the agent.
    JsonNode agentId = source.path("agentId");
    spec.agentId = agentId.isTextual() ? agentId.asText() : null;
    spec.driftPolicy = null;
    spec.managementPolicy = null;
    spec.deletionPolicy = null;
    return spec;
  }

  @JsonIgnore
  public JsonNode unreadableSource() {
    return unreadableSource;
  }

  @JsonIgnore
  public Optional<String> unreadableReason() {
    return Optional.ofNullable(unreadableReason);
  }

  public String getAgentId() {
    return agentId;
  }

  public void setAgentId(String agentId) {
    this.agentId = agentId;
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

  public SecretKeyReference getApiKeySecretRef() {
    return apiKeySecretRef;
  }

  public void setApiKeySecretRef(SecretKeyReference apiKeySecretRef) {
    this.apiKeySecretRef = apiKeySecretRef;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public DriftPolicy getDriftPolicy() {
    return driftPolicy;
  }

  public void setDriftPolicy(DriftPolicy driftPolicy) {
    this.driftPolicy = driftPolicy;
  }

  public ManagementPolicy getManagementPolicy() {
    return managementPolicy;
  }

  public void setManagementPolicy(ManagementPolicy managementPolicy) {
    this.managementPolicy = managementPolicy;
  }

  public List<ActivationWindow> getActivationWindows() {
    return activationWindows;
  }

  public void setActivationWindows(List<ActivationWindow> activationWindows) {
    this.activationWindows = activationWindows;
  }

  /** The activation windows, empty when none are declared. */
  @JsonIgnore
  public List<ActivationWindow> windows() {
    return activationWindows == null ? List.of() : activationWindows;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  @JsonIgnore
  public boolean restoresOnDelete() {
    return deletionPolicy == DeletionPolicy.Restore;
  }

  public DriftGuard getDriftGuard() {
    return driftGuard;
  }

  public void setDriftGuard(DriftGuard driftGuard) {
    this.driftGuard = driftGuard;
  }

  @JsonIgnore
  public boolean isObserveOnly() {
    return managementPolicy == ManagementPolicy.Observe;
  }

  @JsonIgnore
  public boolean isReportDriftOnly() {
    return driftPolicy == DriftPolicy.Report;
  }

  @JsonIgnore
  public boolean isSuspended() {
    return Boolean.TRUE.equals(suspend);
  }

  /** Human form of the desired version, for messages and events. */
  public String describeDesiredVersion() {
    if (versionSelector != null) {
      return versionSelector.describe();
    }
    return versionNumber != null ? "version " + versionNumber : "version id " + versionId;
  }

  public VersionSelector getVersionSelector() {
    return versionSelector;
  }

  public void setVersionSelector(VersionSelector versionSelector) {
    this.versionSelector = versionSelector;
  }
}
