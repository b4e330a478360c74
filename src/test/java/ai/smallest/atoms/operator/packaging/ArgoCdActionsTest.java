package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.AgentRelease;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/argocd/actions/ (reconcile, suspend, resume), run the way Argo CD runs resource actions
 * ({@link ArgoCdLua}) against sample AgentReleases, in Argo CD's own test layout (action_test.yaml:
 * discovery results, and each action's output object), and wired verbatim into
 * argocd-cm-patch.yaml.
 */
class ArgoCdActionsTest {

  static final Path ACTIONS = Repo.ARGOCD.resolve("actions");
  static final Path CASES = Repo.FIXTURES.resolve("agentrelease-actions");
  static final String KEY = "resource.customizations.actions.atoms.smallest.ai_AgentRelease";

  /** The clock of action_test.yaml. */
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneId.of("Europe/Berlin"));

  private static final ArgoCdLua LUA = new ArgoCdLua(CLOCK);
  private static final JsonNode TESTS = Yaml.document(CASES.resolve("action_test.yaml"));

  static String script(String action) {
    return Repo.read(ACTIONS.resolve(action).resolve("action.lua"));
  }

  static String discovery() {
    return Repo.read(ACTIONS.resolve("discovery.lua"));
  }

  static Stream<Arguments> discoveryTests() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode test : TESTS.path("discoveryTests")) {
      Map<String, Boolean> expected = new TreeMap<>();
      test.path("result")
          .forEach(r -> expected.put(r.path("name").asText(), r.path("disabled").asBoolean()));
      cases.add(Arguments.of(test.path("inputPath").asText(), expected));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} offers {1}")
  @MethodSource("discoveryTests")
  void discoveryOffersTheActionsThatMakeSense(String input, Map<String, Boolean> expected) {
    assertThat(LUA.discovery(discovery(), Yaml.document(CASES.resolve(input)))).isEqualTo(expected);
  }

  static Stream<Arguments> actionTests() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode test : TESTS.path("actionTests")) {
      cases.add(
          Arguments.of(
              test.path("action").asText(),
              test.path("inputPath").asText(),
              test.path("expectedOutputPath").asText()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1} gives {2}")
  @MethodSource("actionTests")
  void actionReturnsTheExpectedObject(String action, String input, String expected) {
    JsonNode result = LUA.action(script(action), Yaml.document(CASES.resolve(input)));

    assertThat(result).isEqualTo(Yaml.document(CASES.resolve(expected)));
    assertThat(ManifestValidator.problems(withoutStatus(result))).isEmpty();
  }

  @Test
  void everyDiscoveredActionHasAScriptAndATest() {
    Map<String, Boolean> offered =
        LUA.discovery(discovery(), Yaml.document(CASES.resolve("testdata/ready.yaml")));
    List<String> tested = new ArrayList<>();
    TESTS.path("actionTests").forEach(t -> tested.add(t.path("action").asText()));

    assertThat(offered.keySet()).containsExactlyInAnyOrder("reconcile", "suspend", "resume");
    assertThat(offered.keySet())
        .allSatisfy(
            name -> {
              assertThat(ACTIONS.resolve(name).resolve("action.lua")).isRegularFile();
              assertThat(tested).contains(name);
            });
  }

  @Test
  void reconcileSetsTheAnnotationTheOperatorWatchesToTheCurrentTime() {
    JsonNode release = Yaml.document(CASES.resolve("testdata/ready.yaml"));
    Instant before = Instant.now().minusSeconds(1);

    JsonNode result = new ArgoCdLua(Clock.systemDefaultZone()).action(script("reconcile"), release);

    String requested =
        result.at("/metadata/annotations").path(AgentRelease.RECONCILE_REQUESTED_AT).asText();
    assertThat(Instant.parse(requested)).isBetween(before, Instant.now().plusSeconds(1));
    assertThat(requested).isNotEqualTo(release.at("/status/lastHandledReconcileAt").asText());
  }

  @Test
  void argoCdConfigMapPatchCarriesTheScriptsVerbatim() {
    ObjectNode configMap = Yaml.document(Repo.ARGOCD.resolve("argocd-cm-patch.yaml"));
    JsonNode actions = Yaml.tree(configMap.at("/data").path(KEY).asText());

    assertThat(actions.path("discovery.lua").asText()).isEqualTo(discovery());
    List<String> defined = new ArrayList<>();
    for (JsonNode definition : actions.path("definitions")) {
      String name = definition.path("name").asText();
      defined.add(name);
      assertThat(definition.path("action.lua").asText()).as(name).isEqualTo(script(name));
    }
    assertThat(defined).containsExactly("reconcile", "suspend", "resume");
    assertThat(actions.path("mergeBuiltinActions").isMissingNode()).isTrue();
  }

  private static JsonNode withoutStatus(JsonNode release) {
    ObjectNode copy = release.deepCopy();
    copy.remove("status");
    return copy;
  }
}
