package ai.smallest.atoms.operator.atoms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which Atoms account an API key belongs to, as far as the operator can tell: the SHA-256 of the
 * key. Per-account state (rate limits) is keyed by this, never by the {@link ApiKey} itself, so it
 * does not keep a rotated-out key in memory; the digest cannot be turned back into the key.
 */
public record AccountId(String sha256) {

  static AccountId of(String apiKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return new AccountId(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** A short prefix of the digest: enough to tell accounts apart in a debugger, no more. */
  @Override
  public String toString() {
    return "AccountId[" + sha256.substring(0, 12) + "]";
  }
}
