package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Points at one key of a Secret in the AgentRelease's own namespace. */
// Unknown fields are ignored, as a server that prunes by the CRD schema would drop them.
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretKeyReference {

  public static final String DEFAULT_KEY = "apiKey";

  /** What Kubernetes accepts as a Secret name: a DNS-1123 subdomain. */
  public static final String NAME_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** What Kubernetes accepts as a key of a Secret's data. */
  public static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  public static final int MAX_LENGTH = 253;

  @Required
  @Size(min = 1, max = MAX_LENGTH)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the Secret, in the same namespace as the AgentRelease.")
  private String name;

  @Default(DEFAULT_KEY)
  @Size(min = 1, max = MAX_LENGTH)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription(
      "Key in the Secret's data that holds the Atoms API key. Defaults to apiKey.")
  private String key = DEFAULT_KEY;

  public SecretKeyReference() {}

  public SecretKeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String keyOrDefault() {
    return key == null || key.isBlank() ? DEFAULT_KEY : key;
  }
}
