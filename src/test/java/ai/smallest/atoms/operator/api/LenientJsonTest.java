package ai.smallest.atoms.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.reconciler.SpecValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an API server can store but the model cannot hold must reach the reconciler as an
 * InvalidSpec naming the field, never as an exception inside the watch.
 */
class LenientJsonTest {

  private static String stored(String spec) {
    return """
        {"apiVersion":"atoms.smallest.ai/v1alpha1","kind":"AgentRelease",
         "metadata":{"name":"poison","namespace":"team-a","uid":"u1","generation":1,
                     "resourceVersion":"7"},
         "spec":%s}
        """
        .formatted(spec);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"agentId\":\"a\",\"versionNumber\":3000000000} | spec.versionNumber is out of range",
        "{\"agentId\":\"a\",\"versionNumber\":99999999999999999999999} | spec.versionNumber is"
            + " out of range",
        "{\"agentId\":\"a\",\"versionNumber\":\"three\"} | spec.versionNumber cannot be read: it"
            + " must be an integer",
        "{\"agentId\":{\"nested\":true},\"versionNumber\":1} | spec.agentId cannot be read: it"
            + " must be a string",
        "{\"agentId\":\"a\",\"versionNumber\":1,\"suspend\":\"perhaps\"} | spec.suspend cannot be"
            + " read: it must be true or false",
        "{\"agentId\":\"a\",\"versionNumber\":1,\"apiKeySecretRef\":\"atoms\"} |"
            + " spec.apiKeySecretRef cannot be read: it must be an object",
        "{\"agentId\":\"a\",\"versionNumber\":1,\"activationWindows\":{\"schedule\":\"x\"}} |"
            + " spec.activationWindows cannot be read: it must be a list",
        "{\"agentId\":\"a\",\"versionNumber\":1,\"activationWindows\":[{\"schedule\":5}]} |"
            + " spec.activationWindows[0].schedule cannot be read: it must be a string",
        "{\"agentId\":\"a\",\"versionNumber\":1,\"activationWindows\":[\"0 22 * * *\"]} |"
            + " spec.activationWindows[0] cannot be read: it must be an object",
        "[1,2,3] | spec cannot be read: it must be an object",
        "\"just text\" | spec cannot be read: it must be an object",
      })
  void anUnreadableSpecIsInvalidSpecNamingTheField(String spec, String expected) {
    AgentRelease release = InformerReadPath.read(stored(spec));

    assertThat(SpecValidator.problems(release.getSpec()))
        .get()
        .asString()
        .startsWith("Invalid spec: ")
        .contains(expected);
  }

  @Test
  void anUnreadableSpecSurvivesJosdksCloneUnchanged() {
    String spec = "{\"agentId\":\"agent-7\",\"versionNumber\":3000000000,\"extra\":[1]}";
    AgentRelease once = InformerReadPath.read(stored(spec));
    AgentRelease twice = InformerReadPath.SERIALIZATION.clone(once);

    assertThat(twice.getSpec().unreadableReason()).isEqualTo(once.getSpec().unreadableReason());
    assertThat(twice.getSpec().getAgentId()).isEqualTo("agent-7");
    assertThat(InformerReadPath.SERIALIZATION.asJson(twice))
        .contains("\"versionNumber\":3000000000")
        .contains("\"extra\":[1]");
  }

  @Test
  void anUnreadableStatusReadsAsNoStatus() {
    String json =
        stored("{\"agentId\":\"a\",\"versionNumber\":1}")
            .replace(
                "\"spec\":", "\"status\":{\"versionNumber\":\"x\",\"conditions\":7},\"spec\":");

    AgentRelease release = InformerReadPath.read(json);

    assertThat(release.getStatus()).isNull();
    assertThat(SpecValidator.problems(release.getSpec())).isEmpty();
  }

  @Test
  void unknownFieldsAreIgnoredAsAPruningServerWould() {
    AgentRelease release =
        InformerReadPath.read(stored("{\"agentId\":\"a\",\"versionNumber\":2,\"colour\":\"red\"}"));

    assertThat(SpecValidator.problems(release.getSpec())).isEmpty();
    assertThat(release.getSpec().getVersionNumber()).isEqualTo(2);
  }
}
