package ai.smallest.atoms.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue #12 point 7: the API key never travels over plain HTTP unless a person said so. */
class SafeSettingsTest {

  @Test
  void httpsIsAlwaysAccepted() {
    assertThat(SafeSettings.problem(URI.create("https://api.smallest.ai/atoms/v1"), false))
        .isEmpty();
  }

  @Test
  void plainHttpIsRefusedByDefaultAndAllowedOnlyExplicitly() {
    assertThat(SafeSettings.problem(URI.create("http://127.0.0.1:17080"), false))
        .get()
        .asString()
        .contains("must be an https:// URL")
        .contains("ATOMS_ALLOW_INSECURE_HTTP");
    assertThat(SafeSettings.problem(URI.create("http://127.0.0.1:17080"), true)).isEmpty();
  }

  @Test
  void otherSchemesAreRefusedEvenWhenHttpIsAllowed() {
    assertThat(SafeSettings.problem(URI.create("ftp://example.com"), true)).isPresent();
  }

  @Test
  void anInstanceWithoutAShardNeedsNoSelector() {
    assertThat(SafeSettings.shardProblem(Optional.empty(), Optional.empty(), "lease")).isEmpty();
    assertThat(
            SafeSettings.shardProblem(
                Optional.empty(), Optional.of("!atoms.smallest.ai/shard"), "lease"))
        .isEmpty();
  }

  @Test
  void aShardWithItsSelectorIsAccepted() {
    assertThat(
            SafeSettings.shardProblem(
                Optional.of("b"), Optional.of("atoms.smallest.ai/shard=b"), "atoms-leader"))
        .isEmpty();
  }

  @Test
  void aShardWithoutASelectorIsRefusedBecauseItWouldReconcileEveryRelease() {
    assertThat(SafeSettings.shardProblem(Optional.of("b"), Optional.empty(), "lease"))
        .get()
        .asString()
        .contains("QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR")
        .contains("atoms.smallest.ai/shard=b");
    assertThat(SafeSettings.shardProblem(Optional.of("b"), Optional.of(" "), "lease")).isPresent();
  }

  @Test
  void aShardNameThatCannotBePartOfALeaseNameIsRefused() {
    Optional<String> selector = Optional.of("team=x");
    assertThat(SafeSettings.shardProblem(Optional.of("Shard_B"), selector, "lease"))
        .get()
        .asString()
        .contains("DNS label");
    assertThat(SafeSettings.shardProblem(Optional.of("-b"), selector, "lease")).isPresent();
    assertThat(SafeSettings.shardProblem(Optional.of("b".repeat(64)), selector, "lease"))
        .isPresent();
    assertThat(SafeSettings.shardProblem(Optional.of("b".repeat(63)), selector, "l".repeat(190)))
        .get()
        .asString()
        .contains("253");
  }
}
