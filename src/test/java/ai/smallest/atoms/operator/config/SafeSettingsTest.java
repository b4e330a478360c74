package ai.smallest.atoms.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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
}
