package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassificationTest {

  @ParameterizedTest(name = "HTTP {0} \"{1}\" -> {2}")
  @CsvSource({
    "400, Only published versions can be activated, VERSION_NOT_PUBLISHED, false",
    "400, Version is not published, VERSION_NOT_PUBLISHED, false",
    "400, Cannot activate a draft, VERSION_NOT_PUBLISHED, false",
    "400, versionId must be a valid id, BAD_REQUEST, false",
    "400, '', BAD_REQUEST, false",
    "401, Unauthorized, UNAUTHORIZED, false",
    "403, '', FORBIDDEN, false",
    "404, Agent not found, AGENT_NOT_FOUND, false",
    "404, Version not found, VERSION_NOT_FOUND, false",
    "404, Agent or version not found, NOT_FOUND, false",
    "404, '', NOT_FOUND, false",
    "409, Version is not published, BAD_REQUEST, false",
    "413, Payload too large, BAD_REQUEST, false",
    "415, Unsupported media type, BAD_REQUEST, false",
    "422, Unprocessable, BAD_REQUEST, false",
    "418, '', BAD_REQUEST, false",
    "429, slow down, RATE_LIMITED, true",
    "408, '', SERVER_ERROR, true",
    "500, Internal server error, SERVER_ERROR, true",
    "502, '', SERVER_ERROR, true",
    "503, '', SERVER_ERROR, true",
    "302, '', MALFORMED_RESPONSE, true",
    "100, '', MALFORMED_RESPONSE, true",
  })
  void classifiesByStatusAndOnlyThenByWhatTheBodySays(
      int status, String error, ErrorKind kind, boolean transientFailure) {
    List<String> errors = error.isEmpty() ? List.of() : List.of(error);
    assertThat(ErrorKind.fromHttpStatus(status, errors)).isEqualTo(kind);
    assertThat(AtomsApiException.http(status, errors, null).kind()).isEqualTo(kind);
    assertThat(kind.isTransient()).isEqualTo(transientFailure);
  }

  @Test
  void noAnswerAndLateAnswersAreTransient() {
    assertThat(AtomsApiException.network("ConnectException: refused", null).kind().isTransient())
        .isTrue();
    assertThat(AtomsApiException.timeout("deadline", null).kind().isTransient()).isTrue();
    assertThat(ErrorKind.INVALID_ID.isTransient()).isFalse();
  }

  @Test
  void exceptionMessageCarriesStatusAndApiErrors() {
    AtomsApiException e = AtomsApiException.http(404, List.of("Agent not found"), null);
    assertThat(e.getMessage()).isEqualTo("Atoms API answered HTTP 404: Agent not found");
    assertThat(e.kind()).isEqualTo(ErrorKind.AGENT_NOT_FOUND);
  }

  @Test
  void errorTextsAreBoundedEachAndInTotal() {
    List<String> flood = Collections.nCopies(1000, "x".repeat(100_000));

    AtomsApiException e = AtomsApiException.http(500, flood, null);

    assertThat(e.getMessage().length()).isLessThanOrEqualTo(ErrorTexts.MAX_MESSAGE_CHARS);
    assertThat(e.errors()).hasSize(ErrorTexts.MAX_ERRORS + 1).last().isEqualTo("(995 more)");
    assertThat(e.errors().get(0)).hasSize(ErrorTexts.MAX_ERROR_CHARS);
  }

  @Test
  void errorTextsCannotForgeLines() {
    AtomsApiException e =
        AtomsApiException.http(400, List.of("bad\nlevel=ERROR msg=\"forged\"\r\u001b[2J"), null);
    assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u001b");
  }

  @Test
  void cuttingNeverSplitsASurrogatePair() {
    String text = "a".repeat(ErrorTexts.MAX_ERROR_CHARS - 2) + "\ud83d\ude00" + "tail";
    String cut = ErrorTexts.cut(text, ErrorTexts.MAX_ERROR_CHARS);
    assertThat(cut).hasSizeLessThanOrEqualTo(ErrorTexts.MAX_ERROR_CHARS).endsWith("a…");
  }

  @Test
  void apiKeyNeverPrintsItselfAndRedactsText() {
    ApiKey key = ApiKey.of("sk-secret-123");
    assertThat(key.toString()).doesNotContain("sk-secret-123");
    assertThat(key.redact("echo sk-secret-123 back")).isEqualTo("echo *** back");
    assertThat(key.bearerHeader()).isEqualTo("Bearer sk-secret-123");
  }
}
