package ai.smallest.atoms.operator.atoms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Checks every Atoms answer before any of it is believed, and turns it into the operator's types.
 * What is checked, and the {@link ResponseProblem} each failure reports:
 *
 * <ul>
 *   <li>the body is one JSON value without duplicate keys or trailing garbage, nested at most
 *       {@link #MAX_NESTING} deep ({@code NOT_JSON});
 *   <li>it is the documented {@code {status: true, data}} envelope; a list's {@code data} has a
 *       {@code versions} array and an optional non-negative integer {@code total}; every version
 *       has a string {@code _id} that is a safe path segment ({@link PathSegments}) and a boolean
 *       {@code isActive}; {@code versionNumber} is null or an integer within int range, {@code
 *       isPinned} null or a boolean, {@code activatedAt} null or an ISO-8601 date-time, the other
 *       fields read null or strings; {@code agent}, when present, is the agent asked about; a page
 *       has at most {@code limit} versions, no ID or version number twice, at most one active
 *       version, and honours the {@code isPinned} filter ({@code WRONG_SHAPE});
 *   <li>{@code total} agrees with the page: no more versions than it leaves room for, no empty page
 *       while it says more follow ({@code TOTAL_MISMATCH}; not checked under a pin filter, where
 *       {@code total} counts all published versions);
 *   <li>against earlier pages of the same listing: {@code total} unchanged ({@code
 *       LISTING_CHANGED}), at least one version not seen before ({@code REPEATED_PAGE});
 *   <li>an activation names the requested version of the requested agent ({@code WRONG_VERSION})
 *       and says {@code isActive: true} ({@code NOT_ACTIVE}).
 * </ul>
 *
 * Free-text fields (label, status, activatedBy, activatedByName) are cut to {@link
 * #MAX_TEXT_CHARS}: they are informational and end up in status. Every text taken from an answer
 * into an error message is scrubbed of the API key first, then cut.
 */
final class Answers {

  /** Deeper than any answer of the contract needs (4 levels), far below Jackson's default. */
  static final int MAX_NESTING = 32;

  static final int MAX_TEXT_CHARS = 256;

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final UnaryOperator<String> scrub;

  /**
   * @param scrub applied to every text taken from an answer before it goes into a message (removes
   *     the API key)
   */
  Answers(UnaryOperator<String> scrub) {
    this.scrub = scrub;
  }

  // ---- success answers ----------------------------------------------------------------------

  VersionPage page(int status, byte[] body, String agentId, PageRequest request) {
    JsonNode data = data(status, body);
    JsonNode versionsNode = data.get("versions");
    if (versionsNode == null || !versionsNode.isArray()) {
      throw shape(status, "data.versions is missing or not an array");
    }
    int total = total(status, data.get("total"));
    int limit = request.limit();
    if (versionsNode.size() > limit) {
      throw shape(
          status,
          "the page holds "
              + versionsNode.size()
              + " versions, more than limit="
              + limit
              + " asked for");
    }
    List<AgentVersion> versions = new ArrayList<>(versionsNode.size());
    Set<String> ids = new HashSet<>();
    Set<Integer> numbers = new HashSet<>();
    AgentVersion active = null;
    for (int i = 0; i < versionsNode.size(); i++) {
      String where = "data.versions[" + i + "]";
      AgentVersion version = version(status, versionsNode.get(i), where);
      if (version.agent() != null && !version.agent().equals(agentId)) {
        throw shape(
            status,
            where + " belongs to agent " + show(version.agent()) + ", not " + show(agentId));
      }
      if (!ids.add(version.id())) {
        throw shape(status, "version " + version.id() + " is on the page twice");
      }
      if (version.versionNumber() != null && !numbers.add(version.versionNumber())) {
        throw shape(status, "version number " + version.versionNumber() + " is on the page twice");
      }
      if (version.active()) {
        if (active != null) {
          throw shape(
              status, "versions " + active.id() + " and " + version.id() + " are both active");
        }
        active = version;
      }
      if (request.pinned() != null && version.pinned() != request.pinned()) {
        throw shape(
            status,
            where
                + " has isPinned="
                + version.pinned()
                + ": the server ignored isPinned="
                + request.pinned());
      }
      versions.add(version);
    }
    // Against earlier pages first: a repeated page or a changed listing explains a total that
    // does not fit this page better than a lie does.
    checkAgainstEarlierPages(status, request, versions, total);
    checkTotal(status, request, versions.size(), total);
    return new VersionPage(versions, total);
  }

  AgentVersion activated(int status, byte[] body, String agentId, String versionId) {
    AgentVersion version = version(status, data(status, body), "data");
    if (!version.id().equals(versionId)) {
      throw AtomsApiException.malformed(
          ResponseProblem.WRONG_VERSION,
          status,
          "asked to activate " + versionId + ", the answer names version " + version.id());
    }
    if (version.agent() != null && !version.agent().equals(agentId)) {
      throw AtomsApiException.malformed(
          ResponseProblem.WRONG_VERSION,
          status,
          "asked to activate a version of agent "
              + show(agentId)
              + ", the answer names agent "
              + show(version.agent()));
    }
    if (!version.active()) {
      throw AtomsApiException.malformed(
          ResponseProblem.NOT_ACTIVE,
          status,
          "the activation answer says version " + versionId + " is not active (isActive: false)");
    }
    return version;
  }

  // ---- error answers ------------------------------------------------------------------------

  /**
   * The texts of an error answer: the documented {@code errors} array, else a {@code message} or
   * {@code error} string; none for anything else (an HTML page from a proxy, 403's {@code data:
   * {}}). Never throws: the status code alone still classifies the answer.
   */
  List<String> errors(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException | RuntimeException notJson) {
      return List.of();
    }
    if (root == null || !root.isObject()) {
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    JsonNode errors = root.get("errors");
    if (errors != null && errors.isArray()) {
      for (JsonNode error : errors) {
        if (error.isTextual()) {
          texts.add(scrub.apply(error.asText()));
        }
      }
    }
    for (String field : List.of("message", "error")) {
      JsonNode text = root.get(field);
      if (texts.isEmpty() && text != null && text.isTextual()) {
        texts.add(scrub.apply(text.asText()));
      }
    }
    return texts;
  }

  // ---- parts --------------------------------------------------------------------------------

  private JsonNode data(int status, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      throw AtomsApiException.malformed(
          ResponseProblem.NOT_JSON,
          status,
          "the body is not one valid JSON value (" + reason(e) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw AtomsApiException.malformed(ResponseProblem.NOT_JSON, status, "the body is empty");
    }
    if (!root.isObject()) {
      throw shape(status, "the body is not a JSON object");
    }
    JsonNode ok = root.get("status");
    if (ok == null || !ok.isBoolean() || !ok.booleanValue()) {
      throw shape(status, "status is not true");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw shape(status, "data is missing or not an object");
    }
    return data;
  }

  private int total(int status, JsonNode total) {
    if (total == null || total.isNull()) {
      return -1;
    }
    if (!total.isIntegralNumber() || !total.canConvertToInt() || total.intValue() < 0) {
      throw shape(status, "data.total is not a non-negative integer");
    }
    return total.intValue();
  }

  private AgentVersion version(int status, JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw shape(status, where + " is not an object");
    }
    JsonNode id = node.get("_id");
    if (id == null || !id.isTextual()) {
      throw shape(status, where + "._id is missing or not a string");
    }
    if (PathSegments.problem(id.asText()).isPresent()) {
      throw shape(
          status,
          where + "._id " + show(id.asText()) + " " + PathSegments.problem(id.asText()).get());
    }
    JsonNode isActive = node.get("isActive");
    if (isActive == null || !isActive.isBoolean()) {
      throw shape(status, where + ".isActive is missing or not a boolean");
    }
    JsonNode number = node.get("versionNumber");
    Integer versionNumber = null;
    if (number != null && !number.isNull()) {
      if (!number.isIntegralNumber() || !number.canConvertToInt()) {
        throw shape(status, where + ".versionNumber is not an integer within int range");
      }
      versionNumber = number.intValue();
    }
    JsonNode pinned = node.get("isPinned");
    Boolean isPinned = null;
    if (pinned != null && !pinned.isNull()) {
      if (!pinned.isBoolean()) {
        throw shape(status, where + ".isPinned is not a boolean");
      }
      isPinned = pinned.booleanValue();
    }
    String activatedAt = text(status, node, "activatedAt", where);
    if (activatedAt != null) {
      try {
        OffsetDateTime.parse(activatedAt);
      } catch (DateTimeParseException e) {
        throw shape(
            status, where + ".activatedAt " + show(activatedAt) + " is not an ISO-8601 date-time");
      }
    }
    return new AgentVersion(
        id.asText(),
        text(status, node, "agent", where),
        text(status, node, "status", where),
        versionNumber,
        text(status, node, "label", where),
        isActive.booleanValue(),
        activatedAt,
        text(status, node, "activatedBy", where),
        isPinned,
        text(status, node, "activatedByName", where));
  }

  /** Null when absent or null; cut to {@link #MAX_TEXT_CHARS}. */
  private String text(int status, JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw shape(status, where + "." + field + " is not a string");
    }
    return ErrorTexts.cut(value.asText(), MAX_TEXT_CHARS);
  }

  /**
   * A page may be shorter than {@code limit} while {@code total} says more follow (a server that
   * caps pages below the contract's 100 still works, one call per short page), but it may not reach
   * beyond {@code total}, and an empty page may not stop short of it.
   */
  private static void checkTotal(int status, PageRequest request, int size, int total) {
    if (total < 0 || !request.totalCountsListing()) {
      return;
    }
    if (size > 0 && (long) request.skip() + size > total) {
      throw AtomsApiException.malformed(
          ResponseProblem.TOTAL_MISMATCH,
          status,
          "total="
              + total
              + ", yet the page at skip="
              + request.skip()
              + " holds "
              + size
              + " versions");
    }
    if (size == 0 && request.skip() < total) {
      throw AtomsApiException.malformed(
          ResponseProblem.TOTAL_MISMATCH,
          status,
          "the page at skip="
              + request.skip()
              + " is empty, yet total="
              + total
              + " says more follow");
    }
  }

  private static void checkAgainstEarlierPages(
      int status, PageRequest request, List<AgentVersion> versions, int total) {
    if (request.isFirst()) {
      return;
    }
    if (request.expectedTotal() >= 0 && total >= 0 && total != request.expectedTotal()) {
      throw AtomsApiException.malformed(
          ResponseProblem.LISTING_CHANGED,
          status,
          "total went from "
              + request.expectedTotal()
              + " to "
              + total
              + " between pages: versions were published or archived meanwhile");
    }
    if (!versions.isEmpty()
        && versions.stream().map(AgentVersion::id).allMatch(request.seenIds()::contains)) {
      throw AtomsApiException.malformed(
          ResponseProblem.REPEATED_PAGE,
          status,
          "the page at skip="
              + request.skip()
              + " repeats versions earlier pages listed: the server ignores skip or repeats pages");
    }
  }

  private AtomsApiException shape(int status, String finding) {
    return AtomsApiException.malformed(ResponseProblem.WRONG_SHAPE, status, finding);
  }

  private String show(String untrusted) {
    return ErrorTexts.quote(scrub.apply(untrusted), 60);
  }

  private static String reason(Exception e) {
    String name = e.getClass().getSimpleName();
    return Objects.requireNonNullElse(name, "unreadable");
  }
}
