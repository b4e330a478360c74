package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** What every install path's operator Deployment must satisfy, whichever way it was produced. */
final class OperatorDeploymentAssertions {

  /** Volume types the "restricted" Pod Security Standard allows. */
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  private OperatorDeploymentAssertions() {}

  /**
   * Everything both install paths (deploy/ and the Helm chart) must guarantee of the operator's
   * Deployment.
   */
  static void isRestrictedReadOnlyProbedAndSized(JsonNode deployment) {
    meetsRestrictedPodSecurity(deployment);
    mountsAnEmptyDirAtTmp(deployment);
    probesQuarkusHealthEndpoints(deployment);
    requestsAndLimitsResources(deployment);
    carriesNoInlineCredential(deployment);
    outlastsTheOperatorsShutdownTimeout(deployment);
  }

  /**
   * The kubelet waits terminationGracePeriodSeconds (Kubernetes' default: 30) before SIGKILL; the
   * operator lets in-flight reconciles finish for quarkus.shutdown.timeout. The grace period must
   * be the longer, or an activation's status write is cut off (issue #12 point 7).
   */
  private static void outlastsTheOperatorsShutdownTimeout(JsonNode deployment) {
    java.util.regex.Matcher timeout =
        java.util.regex.Pattern.compile("(?m)^quarkus\\.shutdown\\.timeout=(\\d+)s$")
            .matcher(Repo.read(java.nio.file.Path.of("src/main/resources/application.properties")));
    assertThat(timeout.find()).as("quarkus.shutdown.timeout in seconds").isTrue();
    int grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt(30);
    assertThat(grace)
        .as("terminationGracePeriodSeconds")
        .isGreaterThan(Integer.parseInt(timeout.group(1)));
  }

  /**
   * The "restricted" Pod Security Standard (Kubernetes v1.25+), as the admission controller checks
   * it.
   */
  private static void meetsRestrictedPodSecurity(JsonNode deployment) {
    JsonNode pod = K8s.podSpec(deployment);
    JsonNode podContext = pod.path("securityContext");
    String id = K8s.id(deployment);
    assertThat(
            pod.path("hostNetwork").asBoolean(false)
                || pod.path("hostPID").asBoolean(false)
                || pod.path("hostIPC").asBoolean(false))
        .as("%s shares a host namespace", id)
        .isFalse();
    for (JsonNode volume : pod.path("volumes")) {
      List<String> types = new java.util.ArrayList<>();
      volume
          .fieldNames()
          .forEachRemaining(
              f -> {
                if (!f.equals("name")) types.add(f);
              });
      assertThat(RESTRICTED_VOLUME_TYPES)
          .as("%s volume %s", id, volume.path("name").asText())
          .containsAll(types);
    }
    for (JsonNode container : pod.path("containers")) {
      JsonNode ctx = container.path("securityContext");
      String c = id + " container " + container.path("name").asText();
      assertThat(
              ctx.path("runAsNonRoot").asBoolean(false)
                  || podContext.path("runAsNonRoot").asBoolean(false))
          .as("%s runAsNonRoot", c)
          .isTrue();
      assertThat(ctx.path("runAsUser").asInt(-1)).as("%s runAsUser", c).isNotZero();
      assertThat(podContext.path("runAsUser").asInt(-1)).as("%s pod runAsUser", c).isNotZero();
      assertThat(ctx.path("privileged").asBoolean(false)).as("%s privileged", c).isFalse();
      assertThat(
              ctx.path("allowPrivilegeEscalation").isBoolean()
                  && !ctx.get("allowPrivilegeEscalation").asBoolean())
          .as("%s allowPrivilegeEscalation must be false", c)
          .isTrue();
      assertThat(K8s.strings(ctx.at("/capabilities/drop")))
          .as("%s drops ALL capabilities", c)
          .contains("ALL");
      assertThat(K8s.strings(ctx.at("/capabilities/add")))
          .as("%s adds capabilities", c)
          .isSubsetOf("NET_BIND_SERVICE");
      String seccomp =
          ctx.at("/seccompProfile/type").asText(podContext.at("/seccompProfile/type").asText());
      assertThat(seccomp).as("%s seccomp profile", c).isIn("RuntimeDefault", "Localhost");
      // Beyond "restricted": the image writes only to /tmp.
      assertThat(ctx.path("readOnlyRootFilesystem").asBoolean(false))
          .as("%s readOnlyRootFilesystem", c)
          .isTrue();
    }
  }

  /** /tmp is an emptyDir: the only writable place on a read-only root filesystem. */
  private static void mountsAnEmptyDirAtTmp(JsonNode deployment) {
    JsonNode container = K8s.container(deployment);
    String volume = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if ("/tmp".equals(mount.path("mountPath").asText())) {
        volume = mount.path("name").asText();
      }
    }
    assertThat(volume).as("a volume is mounted at /tmp").isNotNull();
    for (JsonNode v : K8s.podSpec(deployment).path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        assertThat(v.has("emptyDir")).as("/tmp volume is an emptyDir").isTrue();
        return;
      }
    }
    throw new AssertionError("volume " + volume + " mounted at /tmp is not declared");
  }

  /**
   * Liveness, readiness and startup probes on the Quarkus SmallRye Health endpoints, on the
   * container's http port.
   */
  private static void probesQuarkusHealthEndpoints(JsonNode deployment) {
    JsonNode container = K8s.container(deployment);
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.path(probe).at("/httpGet/port").asText()).as(probe).isEqualTo("http");
    }
    assertThat(container.path("ports"))
        .anySatisfy(
            p -> {
              assertThat(p.path("name").asText()).isEqualTo("http");
              assertThat(p.path("containerPort").asInt()).isEqualTo(8080);
            });
  }

  private static void requestsAndLimitsResources(JsonNode deployment) {
    JsonNode resources = K8s.container(deployment).path("resources");
    assertThat(resources.at("/requests/cpu").asText()).as("cpu request").isNotEmpty();
    assertThat(resources.at("/requests/memory").asText()).as("memory request").isNotEmpty();
    assertThat(resources.at("/limits/memory").asText()).as("memory limit").isNotEmpty();
  }

  /**
   * No credential in the pod spec: the API key stays in its Secret, which the operator reads
   * through the Kubernetes API (the env only names the Secret). Any env var that does come from a
   * Secret must use secretKeyRef.
   */
  private static void carriesNoInlineCredential(JsonNode deployment) {
    for (JsonNode e : K8s.container(deployment).path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        assertThat(name)
            .as("an inline env value looks like a credential")
            .doesNotContainIgnoringCase("PASSWORD")
            .doesNotContainIgnoringCase("TOKEN")
            .doesNotMatch(".*API_KEY$");
      } else if (e.at("/valueFrom/secretKeyRef").isMissingNode()) {
        assertThat(e.path("valueFrom").fieldNames().next())
            .as(name)
            .isIn("fieldRef", "configMapKeyRef", "resourceFieldRef");
      }
    }
    assertThat(K8s.container(deployment).has("envFrom"))
        .as("envFrom would import whole Secrets")
        .isFalse();
  }
}
