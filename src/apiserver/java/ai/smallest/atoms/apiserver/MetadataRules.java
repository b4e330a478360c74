package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** apimachinery's ObjectMeta validation: names, label keys and values, with its messages. */
final class MetadataRules {

  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
  private static final Pattern LABEL = Pattern.compile(DNS1123_LABEL);
  private static final Pattern SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN);
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private MetadataRules() {}

  static List<FieldError> validate(ResourceType type, JsonNode object) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      errors.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else if (type.kind().equals("Namespace")) {
      if (name.length() > 63 || !LABEL.matcher(name).matches()) {
        errors.add(
            FieldError.invalid(
                "metadata.name",
                name,
                "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                    + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
                    + "for validation is '"
                    + DNS1123_LABEL
                    + "')"));
      }
    } else if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
      errors.add(
          FieldError.invalid(
              "metadata.name",
              name,
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                  + "validation is '"
                  + DNS1123_SUBDOMAIN
                  + "')"));
    }
    for (Map.Entry<String, JsonNode> label : iterable(metadata.path("labels"))) {
      String field = "metadata.labels";
      String key = label.getKey();
      String keyName = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
      if (keyName.isEmpty()
          || keyName.length() > 63
          || !QUALIFIED_NAME.matcher(keyName).matches()) {
        errors.add(
            FieldError.invalid(
                field,
                key,
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                    + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
      }
      String value = label.getValue().asText();
      if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        errors.add(
            FieldError.invalid(
                field,
                value,
                "a valid label must be an empty string or consist of alphanumeric characters, "
                    + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
                    + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
      }
    }
    return errors;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
