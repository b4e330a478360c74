package ai.smallest.atoms.operator.atoms;

/**
 * An Atoms API key. Wrapped so it cannot leak by accident: {@link #toString()} never shows it, and
 * {@link #redact(String)} scrubs it from any text bound for logs, events or status.
 */
public final class ApiKey {

  private static final String MASK = "***";
  private final String value;
  private volatile AccountId account;

  private ApiKey(String value) {
    this.value = value;
  }

  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("API key is empty");
    }
    return new ApiKey(value.strip());
  }

  public String bearerHeader() {
    return "Bearer " + value;
  }

  /** The account this key belongs to, for per-account state that must not hold the key. */
  public AccountId account() {
    AccountId id = account;
    if (id == null) {
      id = AccountId.of(value);
      account = id;
    }
    return id;
  }

  public String redact(String text) {
    return text == null ? null : text.replace(value, MASK);
  }

  @Override
  public String toString() {
    return "ApiKey[" + MASK + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
