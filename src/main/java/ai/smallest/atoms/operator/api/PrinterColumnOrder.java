package ai.smallest.atoms.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time step of {@link AgentReleaseCrdPostProcessor}: the Fabric8 generator sorts printer
 * columns by JSONPath, which would put Age first. kubectl shows columns in CRD order, so this puts
 * them back in the order they are declared on {@link AgentRelease}. Runs only during the build.
 */
public class PrinterColumnOrder implements CRDPostProcessor {

  @Override
  public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
    if (!(generated instanceof CustomResourceDefinition crd)
        || !AgentRelease.class.getSimpleName().equals(crd.getSpec().getNames().getKind())) {
      return generated;
    }
    List<String> declared =
        Arrays.stream(AgentRelease.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    Comparator<CustomResourceColumnDefinition> byDeclaration =
        Comparator.comparingInt(column -> rank(declared, column.getName()));
    crd.getSpec()
        .getVersions()
        .forEach(
            version -> {
              if (version.getAdditionalPrinterColumns() != null) {
                version.getAdditionalPrinterColumns().sort(byDeclaration);
              }
            });
    return crd;
  }

  private static int rank(List<String> declared, String name) {
    int index = declared.indexOf(name);
    return index < 0 ? Integer.MAX_VALUE : index;
  }
}
