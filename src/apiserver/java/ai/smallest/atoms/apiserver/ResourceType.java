package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One kind of resource the server serves, with the per-kind behaviour a kube-apiserver derives from
 * its registry (built-in kinds) or from a CustomResourceDefinition.
 *
 * @param statusSubresource writes to the object ignore {@code status}; writes to {@code /status}
 *     change only status
 * @param tracksGeneration {@code metadata.generation} exists and is bumped on spec (non-metadata,
 *     non-status) change
 * @param unconditionalUpdate a PUT without {@code metadata.resourceVersion} is accepted (core
 *     kinds), not 422 (custom resources)
 * @param strategicMergePatch accepts {@code application/strategic-merge-patch+json} (built-in kinds
 *     only, as on a real server)
 * @param schema the OpenAPI v3 schema objects are validated against (custom resources) or checked
 *     for unknown fields (built-ins)
 * @param crdName the defining CRD, or null for built-in kinds
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    List<String> shortNames,
    List<String> categories,
    boolean namespaced,
    boolean statusSubresource,
    boolean tracksGeneration,
    boolean unconditionalUpdate,
    boolean strategicMergePatch,
    JsonNode schema,
    List<PrinterColumn> printerColumns,
    String crdName) {

  /**
   * A printer column of a CRD version ({@code additionalPrinterColumns}) or of a built-in table.
   */
  public record PrinterColumn(
      String name, String type, String format, String description, int priority, String jsonPath) {}

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  public boolean isCustom() {
    return crdName != null;
  }

  /** {@code group/plural}: storage is shared by all versions of a resource. */
  public String storageKey() {
    return group + "/" + plural;
  }

  /**
   * Path prefix of this resource's group version: {@code /api/v1} or {@code /apis/group/version}.
   */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }
}
