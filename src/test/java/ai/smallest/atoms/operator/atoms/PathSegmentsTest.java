package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathSegmentsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "...",
        "a/b",
        "/",
        "a\\b",
        "%2e%2e",
        "%2F",
        "a%20b",
        "..;",
        "a;b",
        "a?b",
        "a#b",
        "a b",
        "tab\there",
        "nul\u0000",
        "del\u007f",
        "\uff0e\uff0e",
        "a\uff0fb",
        "\uff05\uff12\uff26",
        "\ud800",
        "a\u200bb",
        "a\u00a0b",
        "\u202eevil",
      })
  void refusesAnythingThatCouldLeaveItsSegment(String id) {
    assertThat(PathSegments.problem(id)).isPresent();
    assertThatThrownBy(() -> PathSegments.encode("agentId", id))
        .isInstanceOfSatisfying(
            AtomsApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ID);
              assertThat(e.parameter()).contains("agentId");
              assertThat(e.getMessage()).startsWith("Not sent to the Atoms API: agentId ");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"665f1e000000000000000003", "agent-support", "a.b", "x..y", "A_Z~0-9"})
  void sendsOrdinaryIdsAsTheyAre(String id) {
    assertThat(PathSegments.problem(id)).isEmpty();
    assertThat(PathSegments.encode("agentId", id)).isEqualTo(id);
  }

  @org.junit.jupiter.api.Test
  void sendsOtherLettersPercentEncodedAsUtf8() {
    assertThat(PathSegments.encode("agentId", "caf\u00e9")).isEqualTo("caf%C3%A9");
    assertThat(PathSegments.encode("agentId", "агент-\ud83d\ude80"))
        .isEqualTo("%D0%B0%D0%B3%D0%B5%D0%BD%D1%82-%F0%9F%9A%80");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a:b", "a@b", "a+b", "a!$&'()*,=b"})
  void percentEncodesEverythingOutsideTheUnreservedSet(String id) {
    String encoded = PathSegments.encode("versionId", id);
    assertThat(encoded).matches("[A-Za-z0-9._~-]*(%[0-9A-F]{2}[A-Za-z0-9._~-]*)+");
  }

  @org.junit.jupiter.api.Test
  void refusesIdsLongerThanTheLimit() {
    assertThat(PathSegments.problem("a".repeat(PathSegments.MAX_LENGTH))).isEmpty();
    assertThat(PathSegments.problem("a".repeat(PathSegments.MAX_LENGTH + 1))).isPresent();
  }

  @org.junit.jupiter.api.Test
  void refusalQuotesTheIdPrintablyAndBriefly() {
    String hostile = "\n\u001b[31mFAKE LOG LINE" + "x".repeat(10_000);
    assertThatThrownBy(() -> PathSegments.encode("versionId", hostile))
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u001b");
              assertThat(e.getMessage().length()).isLessThan(300);
            });
  }
}
