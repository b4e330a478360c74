package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration MAX = Duration.ofMinutes(5);

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "7, PT7S",
    "' 7 ', PT7S",
    "0, PT0S",
    "0000000000000000000000000000000000000000000000000000000000030, PT30S",
    "300, PT5M",
    "301, PT5M",
    "31536000, PT5M",
    "9223372036854775807, PT5M",
    "99999999999999999999, PT5M",
    "'Mon, 23 Nov 2026 10:00:30 GMT', PT30S",
    "'Mon, 23 Nov 2026 09:00:00 GMT', PT0S",
    "'Tue, 23 Nov 2027 10:00:00 GMT', PT5M",
    "'Fri, 31 Dec 9999 23:59:59 GMT', PT5M",
  })
  void honoursTheServerUpToTheMaximum(String header, Duration expected) {
    assertThat(RetryAfter.parse(header, NOW, MAX)).contains(expected);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "-5",
        "-99999999999999999999",
        "1.5",
        "1e3",
        "soon",
        "7 seconds",
        "Mon, 32 Nov 2026 10:00:30 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "\u0000",
        "+7",
        "0x10"
      })
  void ignoresWhatItCannotRead(String header) {
    assertThat(RetryAfter.parse(header, NOW, MAX)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void ignoresAnAbsurdlyLongHeaderWithoutReadingIt() {
    assertThat(RetryAfter.parse("9".repeat(1_000_000), NOW, MAX)).isEmpty();
  }
}
