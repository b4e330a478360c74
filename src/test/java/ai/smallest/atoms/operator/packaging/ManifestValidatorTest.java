package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The validator the packaging tests rely on really fails on the mistakes it exists to catch. */
class ManifestValidatorTest {

  private static ObjectNode yaml(String text) {
    return Yaml.documents(text).get(0);
  }

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: op, namespace: ns}
      spec:
        selector: {matchLabels: {app: op}}
        template:
          metadata: {labels: {app: op}}
          spec:
            containers:
              - name: op
                image: example/op:1
                securityContext: {%s: true}
      """;

  @Test
  void acceptsAValidDeployment() {
    assertThat(ManifestValidator.problems(yaml(DEPLOYMENT.formatted("readOnlyRootFilesystem"))))
        .isEmpty();
  }

  @Test
  void reportsAMisspelledFieldDeepInABuiltInObjectWithItsPath() {
    assertThat(ManifestValidator.problems(yaml(DEPLOYMENT.formatted("readOnlyRootFileSystem"))))
        .singleElement()
        .asString()
        .contains("Deployment ns/op")
        .contains("readOnlyRootFileSystem")
        .contains(".spec.template.spec.containers[0].securityContext");
  }

  @Test
  void reportsAWrongType() {
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: op}
        spec: {replicas: two}
        """)))
        .singleElement()
        .asString()
        .contains("does not match the API type");
  }

  @Test
  void reportsAKindWithoutAKnownApiType() {
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        """)))
        .singleElement()
        .asString()
        .contains("no Kubernetes API model");
  }

  @Test
  void checksAgentReleasesAgainstTheCrdSchemaStrictly() {
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: atoms.smallest.ai/v1alpha1
        kind: AgentRelease
        metadata: {name: a}
        spec: {agentId: agent-1, versionNumber: 3}
        """)))
        .isEmpty();
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: atoms.smallest.ai/v1alpha1
        kind: AgentRelease
        metadata: {name: a}
        spec: {agentId: agent-1, version: 3}
        """)))
        .anySatisfy(p -> assertThat(p).contains("version"));
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: atoms.smallest.ai/v1alpha1
        kind: AgentRelease
        metadata: {name: a, labelz: {}}
        spec: {agentId: agent/1, versionNumber: 0}
        """)))
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void checksServiceMonitorsAndArgoCdApplications() {
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: m}
        spec:
          selector: {matchLabels: {app: op}}
          endpoints: [{port: http, paht: /q/metrics}]
        """)))
        .singleElement()
        .asString()
        .contains("paht");
    assertThat(
            ManifestValidator.problems(
                yaml(
                    """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: a, namespace: argocd}
        spec:
          project: default
          source: {repoURL: https://example.com/r.git, path: p}
          destination: {server: https://kubernetes.default.svc, namespace: n}
          syncPolicy: {syncOption: [CreateNamespace=true]}
        """)))
        .singleElement()
        .asString()
        .contains("syncOption");
  }
}
