package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;

/**
 * Build-time hook (quarkus.operator-sdk.crd.post-processor) that finishes the generated
 * AgentRelease CRD with what the annotations of Fabric8's generator 7.4.0 (the one Quarkus 3.30
 * brings) cannot express. Everything else comes from annotations on the model. Runs only during the
 * build and in CrdDriftTest.
 *
 * <ul>
 *   <li>printer columns in declaration order ({@link PrinterColumnOrder});
 *   <li>the descriptions of the root and of a condition, from {@code @JsonClassDescription} on
 *       {@link AgentRelease} and {@link ConditionSchema}: 7.4.0 reads property descriptions only
 *       (7.8 reads class descriptions too, and then this step finds them set and leaves them);
 *   <li>status.conditions as a map keyed by type ({@code x-kubernetes-list-type: map}, {@code
 *       x-kubernetes-list-map-keys: [type]}), as metav1.Condition lists are declared: the API
 *       server then refuses two conditions of one type, and server-side apply merges conditions by
 *       type. No 7.4.0 annotation sets list types (7.5 adds {@code @SchemaCustomizer}).
 * </ul>
 */
public class AgentReleaseCrdPostProcessor implements CRDPostProcessor {

  private final PrinterColumnOrder printerColumnOrder = new PrinterColumnOrder();

  @Override
  public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
    if (!(generated instanceof CustomResourceDefinition crd)
        || !AgentRelease.class.getSimpleName().equals(crd.getSpec().getNames().getKind())) {
      return generated;
    }
    printerColumnOrder.process(crd, crdSpecVersion);
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      describe(root, AgentRelease.class);
      JSONSchemaProps conditions = conditions(root);
      describe(conditions.getItems().getSchema(), ConditionSchema.class);
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
    }
    return crd;
  }

  private static void describe(JSONSchemaProps schema, Class<?> type) {
    JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
    if (description != null
        && (schema.getDescription() == null || schema.getDescription().isEmpty())) {
      schema.setDescription(description.value());
    }
  }

  private static JSONSchemaProps conditions(JSONSchemaProps root) {
    JSONSchemaProps status = root.getProperties().get("status");
    JSONSchemaProps conditions = status == null ? null : status.getProperties().get("conditions");
    if (conditions == null || conditions.getItems() == null) {
      throw new IllegalStateException("the AgentRelease schema has no status.conditions list");
    }
    return conditions;
  }
}
