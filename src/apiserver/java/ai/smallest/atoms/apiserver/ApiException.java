package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request the API server refuses, rendered as a {@code meta/v1 Status} with the code, reason and
 * message a kube-apiserver would send: clients (kubectl, Fabric8) branch on {@code reason} and
 * print {@code message} or {@code details.causes}, so both are kept faithful.
 */
public final class ApiException extends RuntimeException {

  private final int code;
  private final String reason;
  private final ObjectNode details;
  private final String continueToken;

  private ApiException(int code, String reason, String message, ObjectNode details) {
    this(code, reason, message, details, null);
  }

  private ApiException(
      int code, String reason, String message, ObjectNode details, String continueToken) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.continueToken = continueToken;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** Seconds the client should wait before retrying (from {@code details}), or 0. */
  public int retryAfterSeconds() {
    return details == null ? 0 : details.path("retryAfterSeconds").asInt(0);
  }

  public ObjectNode toStatus() {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    ObjectNode metadata = status.putObject("metadata");
    if (continueToken != null) {
      metadata.put("continue", continueToken);
    }
    status.put("status", "Failure").put("message", getMessage()).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
    return status;
  }

  private static ObjectNode details(String group, String kind, String name) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    if (name != null) {
      details.put("name", name);
    }
    if (group != null && !group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", kind);
    return details;
  }

  /** {@code plural.group}, the way the API server names a resource in messages. */
  static String qualified(ResourceType type) {
    return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
  }

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(
        404,
        "NotFound",
        qualified(type) + " \"" + name + "\" not found",
        details(type.group(), type.plural(), name));
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message, null);
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        qualified(type) + " \"" + name + "\" already exists",
        details(type.group(), type.plural(), name));
  }

  public static ApiException conflict(ResourceType type, String name) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + qualified(type)
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version and try again",
        details(type.group(), type.plural(), name));
  }

  public static ApiException conflict(ResourceType type, String name, String why) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on " + qualified(type) + " \"" + name + "\": " + why,
        details(type.group(), type.plural(), name));
  }

  /**
   * 422 with one cause per field error; kubectl prints {@code The Kind "name" is invalid:
   * <causes>}.
   */
  public static ApiException invalid(ResourceType type, String name, List<FieldError> errors) {
    ObjectNode details = details(type.group(), type.kind(), name);
    ArrayNode causes = details.putArray("causes");
    for (FieldError error : errors) {
      causes
          .addObject()
          .put("reason", error.causeType())
          .put("message", error.body())
          .put("field", error.field());
    }
    String aggregate =
        errors.size() == 1
            ? errors.get(0).toString()
            : "[" + String.join(", ", errors.stream().map(FieldError::toString).toList()) + "]";
    String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    return new ApiException(
        422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + aggregate, details);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null);
  }

  public static ApiException unprocessable(String message) {
    return new ApiException(422, "Invalid", message, null);
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, null);
  }

  public static ApiException notAcceptable(String message) {
    return new ApiException(406, "NotAcceptable", message, null);
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message, null);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Expired", message, null);
  }

  /**
   * A continue token older than the last compaction, with a token that continues the list from the
   * same key at the latest state (inconsistently), as the API server offers.
   */
  public static ApiException expiredContinue(String inconsistentContinue) {
    return new ApiException(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can"
            + " start a new list without the continue parameter, or use the continue token in this"
            + " response to retrieve the remainder of the results. Continuing with the provided"
            + " token results in an inconsistent list - objects that were created, modified, or"
            + " deleted between the time the first chunk was returned and now may show up in the"
            + " list.",
        null,
        inconsistentContinue);
  }

  /** An exact read of a resourceVersion the server has not reached: 504, as etcd times out. */
  public static ApiException tooLargeResourceVersion(long requested, long current) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details
        .putArray("causes")
        .addObject()
        .put("reason", "ResourceVersionTooLarge")
        .put("message", "Too large resource version");
    details.put("retryAfterSeconds", 1);
    return new ApiException(
        504,
        "Timeout",
        "Too large resource version: " + requested + ", current: " + current,
        details);
  }

  /** A failure a fault rule injected ({@link Faults}), with the reason its code implies. */
  public static ApiException injected(int code, String message, int retryAfterSeconds) {
    String reason =
        switch (code) {
          case 409 -> "Conflict";
          case 429 -> "TooManyRequests";
          case 500 -> "InternalError";
          case 503 -> "ServiceUnavailable";
          case 504 -> "Timeout";
          case 410 -> "Expired";
          case 404 -> "NotFound";
          case 403 -> "Forbidden";
          default -> code >= 500 ? "InternalError" : "BadRequest";
        };
    ObjectNode details = null;
    if (retryAfterSeconds > 0) {
      details = JsonNodeFactory.instance.objectNode().put("retryAfterSeconds", retryAfterSeconds);
    }
    return new ApiException(code, reason, message, details);
  }

  public static ApiException forbidden(ResourceType type, String name, String why) {
    return new ApiException(
        403,
        "Forbidden",
        qualified(type) + " \"" + name + "\" is forbidden: " + why,
        details(type.group(), type.plural(), name));
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", message, null);
  }
}
