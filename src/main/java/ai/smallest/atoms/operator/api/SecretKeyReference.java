package ai.smallest.atoms.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Points at one key of a Secret in the AgentRelease's own namespace. */
public class SecretKeyReference {

  public static final String DEFAULT_KEY = "apiKey";

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret, in the same namespace as the AgentRelease.")
  private String name;

  @Default(DEFAULT_KEY)
  @Size(min = 1, max = 253)
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
