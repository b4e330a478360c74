package ai.smallest.atoms.operator.atoms;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3: delta-seconds or an HTTP-date) without ever
 * throwing, and caps it: a server may slow the operator down, but never by more than {@code
 * atoms.backoff.max} per attempt (a one-year value would otherwise park the release for a year).
 * Negative, fractional, empty or unreadable values are ignored (the operator's own backoff
 * applies); an overflowing number or a far-future date is capped, not ignored, since the server
 * clearly asked for a long pause.
 */
public final class RetryAfter {

  private static final Pattern DIGITS = Pattern.compile("\\d{1,100}");
  private static final int LONGEST_HEADER = 100;

  private RetryAfter() {}

  /**
   * The wait the server asked for, at most {@code max}; empty when absent or unreadable.
   *
   * @param now the time an HTTP-date is measured from
   */
  public static Optional<Duration> parse(String header, Instant now, Duration max) {
    if (header == null || header.isBlank() || header.length() > LONGEST_HEADER) {
      return Optional.empty();
    }
    String value = header.strip();
    if (DIGITS.matcher(value).matches()) {
      return Optional.of(cap(seconds(value), max));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = now.isBefore(at) ? Duration.between(now, at) : Duration.ZERO;
      return Optional.of(cap(wait, max));
    } catch (DateTimeException | ArithmeticException unreadable) {
      return Optional.empty();
    }
  }

  /** Up to 100 digits: anything beyond a long is as good as forever. */
  private static Duration seconds(String digits) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 18) {
      return null; // over 31 billion years: forever
    }
    return Duration.ofSeconds(Long.parseLong(significant));
  }

  private static Duration cap(Duration wait, Duration max) {
    return wait == null || wait.compareTo(max) > 0 ? max : wait;
  }
}
