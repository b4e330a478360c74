package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders helm/atoms-operator with the Helm library embedded by helm-java (no helm binary). */
final class HelmChart {

  static final String RELEASE = "atoms-operator";
  static final String NAMESPACE = "atoms-system";
  static final String KUBE_VERSION = "1.32.0";

  private HelmChart() {}

  static Helm helm() {
    return new Helm(Repo.CHART);
  }

  /** `helm template` of the chart; values files first, then --set pairs. */
  static List<ObjectNode> template(List<Path> valuesFiles, Map<String, Object> set) {
    return Yaml.documents(templateText(valuesFiles, set));
  }

  static List<ObjectNode> template(Path valuesFile) {
    return template(List.of(valuesFile), Map.of());
  }

  static List<ObjectNode> template(Map<String, Object> set) {
    return template(List.of(), set);
  }

  static List<ObjectNode> templateDefaults() {
    return template(List.of(), Map.of());
  }

  static String templateText(List<Path> valuesFiles, Map<String, Object> set) {
    return templateText(RELEASE, NAMESPACE, valuesFiles, set);
  }

  /** `helm template RELEASE helm/atoms-operator --namespace NAMESPACE -f ... --set ...`. */
  static String templateText(
      String release, String namespace, List<Path> valuesFiles, Map<String, Object> set) {
    TemplateCommand template =
        helm().template().withName(release).withNamespace(namespace).withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    for (Map.Entry<String, Object> e : set.entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    return template.call();
  }

  /** What `helm install` prints, NOTES included (client-only dry run: no cluster). */
  static String installOutput(Map<String, Object> set) {
    InstallCommand install =
        helm()
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly();
    for (Map.Entry<String, Object> e : set.entrySet()) {
      install = install.set(e.getKey(), e.getValue());
    }
    return install.call().getOutput();
  }
}
