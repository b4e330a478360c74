package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassificationTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "400, BAD_REQUEST, false",
    "401, UNAUTHORIZED, false",
    "403, FORBIDDEN, false",
    "404, NOT_FOUND, false",
    "429, RATE_LIMITED, true",
    "500, SERVER_ERROR, true",
    "502, SERVER_ERROR, true",
    "503, SERVER_ERROR, true",
    "408, SERVER_ERROR, true",
    "418, BAD_REQUEST, false"
  })
  void classifiesHttpStatuses(int status, ErrorKind kind, boolean transientFailure) {
    assertThat(ErrorKind.fromHttpStatus(status)).isEqualTo(kind);
    assertThat(kind.isTransient()).isEqualTo(transientFailure);
  }

  @Test
  void networkFailuresAreTransient() {
    assertThat(AtomsApiException.network("ConnectException: refused", null).kind().isTransient())
        .isTrue();
  }

  @Test
  void retryAfterAcceptsDeltaSeconds() {
    assertThat(AtomsErrorMapper.retryAfter("7", Instant.EPOCH)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAcceptsHttpDate() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(AtomsErrorMapper.retryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterIgnoresGarbageAndNegativeValues() {
    assertThat(AtomsErrorMapper.retryAfter("soon", Instant.EPOCH)).isNull();
    assertThat(AtomsErrorMapper.retryAfter("-5", Instant.EPOCH)).isNull();
    assertThat(AtomsErrorMapper.retryAfter(null, Instant.EPOCH)).isNull();
  }

  @Test
  void exceptionMessageCarriesStatusAndApiErrors() {
    AtomsApiException e = AtomsApiException.http(404, java.util.List.of("Agent not found"), null);
    assertThat(e.getMessage()).isEqualTo("Atoms API answered HTTP 404: Agent not found");
    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
  }

  @Test
  void apiKeyNeverPrintsItselfAndRedactsText() {
    ApiKey key = ApiKey.of("sk-secret-123");
    assertThat(key.toString()).doesNotContain("sk-secret-123");
    assertThat(key.redact("echo sk-secret-123 back")).isEqualTo("echo *** back");
    assertThat(key.bearerHeader()).isEqualTo("Bearer sk-secret-123");
  }
}
