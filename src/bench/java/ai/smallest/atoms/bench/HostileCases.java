package ai.smallest.atoms.bench;

import ai.smallest.atoms.bench.HostileCase.Budget;
import ai.smallest.atoms.bench.HostileCase.Group;
import ai.smallest.atoms.simulator.AtomsSimulator;
import ai.smallest.atoms.simulator.Endpoint;
import ai.smallest.atoms.simulator.Fault;
import ai.smallest.atoms.simulator.HostileAnswer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The chaos suite's hostile section (issue #11): what a hostile user can store and what a
 * misbehaving Atoms API can answer, each with the reason it must end with.
 *
 * <ul>
 *   <li><b>Poison objects</b>, planted with the API server's admission off as an older or laxer CRD
 *       would have stored them: numbers beyond 32 bits, wrong JSON types, a list or a string as
 *       spec, unknown fields, huge strings, IDs that are paths ({@code ..}, percent-encoded,
 *       look-alike unicode), bad Secret references. Each ends {@code InvalidSpec} naming the field,
 *       with no Atoms call; an unknown field beside a valid spec is ignored, as a pruning server
 *       would have dropped it.
 *   <li><b>Poison status and metadata</b>: a status that cannot be read (a string, a field of the
 *       wrong type, a number beyond 32 bits) is replaced by a fresh one; a huge reconcile-request
 *       annotation is handled once.
 *   <li><b>Hostile answers</b>: every {@link HostileAnswer} the simulator plays, on every endpoint
 *       it applies to, given for good to one agent of a second tenant (its own namespace, Secret
 *       and Atoms account). Each ends in the reason the operator maps it to ({@code
 *       reconciler.ApiErrors}, {@code atoms.ErrorKind}): {@code MalformedResponse}, {@code
 *       ApiUnavailable}, {@code RateLimited}, {@code BadRequest}, {@code VersionNotPublished},
 *       {@code AgentNotFound}, {@code VersionNotFound}, {@code Unauthorized}, {@code Forbidden}, or
 *       Ready where the lie cannot matter.
 * </ul>
 *
 * Call counts per look follow {@code HostileSimulatorTest} (the client and version finder alone)
 * for the same set-up: an agent with 150 published versions, v150 live, the release asking for v1
 * on the second page of 100.
 */
final class HostileCases {

  static final String NAMESPACE = "chaos-hostile";
  static final String SECRET = "hostile-tenant-key";
  static final String USER = "user_operator_hostile_tenant";

  /**
   * The handful the smoke run plays (ChaosSmokeIT): poison objects in both waves and a poison
   * status, lies on the list that are refused or harmless, a year-long Retry-After, a refused
   * activation, and an activation whose answer is lost (recorded through the intent). Not yet an
   * activate answer retried with backoff (e.g. answer-activate-other-version-on-activate): the
   * operator rewrites its activation intent on every retry, which the full suite reports.
   */
  static final Set<String> SMOKE =
      Set.of(
          "version-number-3000000000",
          "spec-is-a-list",
          "version-id-dot-dot",
          "status-is-a-string",
          "answer-not-json-on-list",
          "answer-total-too-low-on-list",
          "answer-shrink-page-on-list",
          "answer-retry-after-one-year-on-list",
          "answer-truncated-json-on-activate",
          "answer-bad-request-not-published-on-activate",
          "live-version-number-3000000000");

  /** Which cases a run plays. */
  enum Selection {
    ALL,
    SMOKE,
    NONE
  }

  /**
   * On activate, these answers come after the simulator really activated the version (they are the
   * real answer, damaged or delayed): the activation landed and its answer is lost. The next look
   * finds v1 live and the intent the operator wrote before the call, and records the activation as
   * the operator's: reason Activated, not UpToDate, one history entry.
   */
  static final Set<HostileAnswer> LANDED_THEN_DAMAGED =
      java.util.EnumSet.of(
          HostileAnswer.TRUNCATED_JSON,
          HostileAnswer.TRAILING_GARBAGE,
          HostileAnswer.STATUS_FALSE,
          HostileAnswer.NO_DATA,
          HostileAnswer.MISSING_ID,
          HostileAnswer.MISSING_IS_ACTIVE,
          HostileAnswer.WRONG_TYPES,
          HostileAnswer.UNSAFE_ID,
          HostileAnswer.OVERSIZED,
          HostileAnswer.TRICKLE);

  private static final int LIST_VERSIONS = 150;
  private static final int ACTIVATE_VERSIONS = 30;

  private HostileCases() {}

  /**
   * Seeds the simulator (agents and their hostile answers) and the tenant's Secret, and returns the
   * cases of {@code selection}.
   */
  static List<HostileCase> prepare(
      AtomsSimulator sim, KubernetesClient kube, String tenantKey, Selection selection) {
    List<HostileCase> chosen = cases(sim, selection);
    if (chosen.isEmpty()) {
      return chosen;
    }
    secret(kube, Map.of("apiKey", tenantKey));
    for (HostileCase c : chosen) {
      if (c.answer() != null) {
        sim.alwaysFault(c.endpoint(), c.agentId(), Fault.hostile(c.answer()));
      }
    }
    return chosen;
  }

  /** The cases of {@code selection}, with their agents seeded in {@code sim} (no faults yet). */
  static List<HostileCase> cases(AtomsSimulator sim, Selection selection) {
    if (selection == Selection.NONE) {
      return List.of();
    }
    List<HostileCase> all = new ArrayList<>();
    all.addAll(poisonObjects(1, ""));
    all.addAll(poisonStatus(sim));
    all.addAll(answers(sim));
    // Planted while the operator runs, after its last restart: only its watch can deliver them.
    all.addAll(
        poisonObjects(2, "live-").stream()
            .filter(
                c ->
                    Set.of(
                            "live-version-number-3000000000",
                            "live-version-number-is-a-string",
                            "live-spec-is-a-list",
                            "live-version-id-dot-dot",
                            "live-huge-agent-id",
                            "live-secret-ref-name-is-a-path")
                        .contains(c.name()))
            .toList());
    return selection == Selection.ALL
        ? all
        : all.stream().filter(c -> SMOKE.contains(c.name())).toList();
  }

  // ---- poison objects ---------------------------------------------------------------------------

  private static List<HostileCase> poisonObjects(int wave, String prefix) {
    List<HostileCase> cases = new ArrayList<>();
    String big = "a".repeat(256 * 1024);
    Object[][] table = {
      // name, spec, field the message must name, description
      {
        "version-number-3000000000",
        number(3_000_000_000L),
        "spec.versionNumber",
        "versionNumber 3000000000 (beyond a 32-bit integer; the schema once had no maximum)"
      },
      {
        "version-number-2-pow-63",
        number(new BigInteger("9223372036854775808")),
        "spec.versionNumber",
        "versionNumber 2^63 (beyond any 64-bit integer)"
      },
      {
        "version-number-minus-3000000000",
        number(-3_000_000_000L),
        "spec.versionNumber",
        "versionNumber -3000000000"
      },
      {"version-number-is-a-string", number("3"), "spec.versionNumber", "versionNumber \"3\""},
      {"version-number-is-a-fraction", number(2.5), "spec.versionNumber", "versionNumber 2.5"},
      {"version-number-is-a-boolean", number(true), "spec.versionNumber", "versionNumber true"},
      {"agent-id-is-a-number", agent(12345), "spec.agentId", "agentId 12345"},
      {"agent-id-is-an-object", agent(Map.of("id", "a")), "spec.agentId", "agentId {id: a}"},
      {"agent-id-is-deeply-nested", agent(nested(400)), "spec.agentId", "agentId 400 objects deep"},
      {"spec-is-a-list", List.of(1, 2, 3), "spec", "spec [1, 2, 3]"},
      {"spec-is-a-string", "agent-support v3", "spec", "spec \"agent-support v3\""},
      {"spec-is-missing", null, "spec", "no spec at all"},
      {"spec-is-empty", new LinkedHashMap<>(), "spec.agentId", "spec {}"},
      {
        "unknown-fields-only",
        map("agentID", "poison-unknown-fields-only", "version", 3),
        "spec.agentId",
        "only misspelt fields (agentID, version)"
      },
      {"huge-agent-id", valid(big, 1), "spec.agentId", "agentId of 256 KiB"},
      {
        "huge-version-id",
        map("agentId", "poison-huge-version-id", "versionId", big),
        "spec.versionId",
        "versionId of 256 KiB"
      },
      {
        "huge-interval",
        with(valid("poison-huge-interval", 1), "interval", "1" + "0".repeat(100_000) + "s"),
        "spec.interval",
        "interval of 100 KB of digits"
      },
      {"agent-id-dot", valid(".", 1), "spec.agentId", "agentId ."},
      {"agent-id-percent-dot-dot", valid("%2e%2e", 1), "spec.agentId", "agentId %2e%2e"},
      {
        "agent-id-fullwidth-dots",
        valid("\uff0e\uff0e", 1),
        "spec.agentId",
        "agentId of two fullwidth full stops (U+FF0E)"
      },
      {
        "agent-id-zero-width-space",
        valid("agent\u200b", 1),
        "spec.agentId",
        "agentId with a zero-width space"
      },
      {
        "agent-id-right-to-left-override",
        valid("agent\u202etxt.exe", 1),
        "spec.agentId",
        "agentId with a right-to-left override"
      },
      {"version-id-dot-dot", versionId(".."), "spec.versionId", "versionId .."},
      {
        "version-id-percent-encoded-path",
        versionId("%2e%2e%2fadmin%2f665f1e0000"),
        "spec.versionId",
        "versionId %2e%2e%2fadmin%2f..."
      },
      {
        "version-id-fullwidth-hex",
        versionId("\uff16\uff16\uff15f1e000000000000000001"),
        "spec.versionId",
        "versionId with fullwidth digits"
      },
      {
        "version-id-uppercase-hex",
        versionId("665F1E000000000000000001"),
        "spec.versionId",
        "versionId in uppercase hex"
      },
      {
        "secret-ref-is-a-string",
        with(valid("poison-secret-ref-is-a-string", 1), "apiKeySecretRef", "atoms-api-key"),
        "spec.apiKeySecretRef",
        "apiKeySecretRef \"atoms-api-key\""
      },
      {
        "secret-ref-name-dot-dot",
        ref("poison-secret-ref-name-dot-dot", "..", null),
        "spec.apiKeySecretRef.name",
        "apiKeySecretRef.name .."
      },
      {
        "secret-ref-name-is-a-path",
        ref("poison-secret-ref-name-is-a-path", "../kube-system/admin-token", null),
        "spec.apiKeySecretRef.name",
        "apiKeySecretRef.name ../kube-system/admin-token"
      },
      {
        "secret-ref-name-is-a-number",
        ref("poison-secret-ref-name-is-a-number", 7, null),
        "spec.apiKeySecretRef.name",
        "apiKeySecretRef.name 7"
      },
      {
        "secret-ref-key-is-a-path",
        ref("poison-secret-ref-key-is-a-path", SECRET, "../token"),
        "spec.apiKeySecretRef.key",
        "apiKeySecretRef.key ../token"
      },
      {
        "suspend-is-a-string",
        with(valid("poison-suspend-is-a-string", 1), "suspend", "yes"),
        "spec.suspend",
        "suspend \"yes\""
      },
      {
        "interval-is-a-number",
        with(valid("poison-interval-is-a-number", 1), "interval", 30),
        "spec.interval",
        "interval 30"
      },
      {
        "drift-policy-is-a-list",
        with(valid("poison-drift-policy-is-a-list", 1), "driftPolicy", List.of("Enforce")),
        "spec.driftPolicy",
        "driftPolicy [Enforce]"
      },
    };
    for (Object[] row : table) {
      String name = (String) row[0];
      Object spec = row[1];
      if (spec instanceof Map<?, ?> m && m.containsKey("__agent__")) {
        // The agent named after the case (never seeded: a call to it would show as a 404).
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) spec;
        s.remove("__agent__");
        s.put("agentId", "poison-" + name);
      }
      Object agentValue = spec instanceof Map<?, ?> m ? m.get("agentId") : null;
      String agentId = agentValue instanceof String s && !s.isEmpty() ? s : null;
      cases.add(
          new HostileCase(
              prefix + name,
              Group.OBJECT,
              (String) row[3],
              agentId,
              spec,
              null,
              Map.of(),
              null,
              null,
              null,
              "InvalidSpec",
              null,
              (String) row[2],
              Budget.NO_CALLS,
              0,
              wave));
    }
    return cases;
  }

  /**
   * Valid specs with a poison next to them: an unknown field (ignored, as a pruning server would
   * drop it), an unreadable status (replaced), a huge reconcile-request annotation (handled once).
   * They use the tenant's key and must simply work.
   */
  private static List<HostileCase> poisonStatus(AtomsSimulator sim) {
    List<HostileCase> cases = new ArrayList<>();
    Map<String, Object> conditionsNotAList = new LinkedHashMap<>();
    conditionsNotAList.put("conditions", "Ready");
    conditionsNotAList.put("observedGeneration", 1);
    Object[][] table = {
      // name, status to plant, extra spec field, annotation value, description
      {"unknown-fields-beside-a-valid-spec", null, "agentID", null, "misspelt fields beside valid"},
      {
        "huge-unknown-field-beside-a-valid-spec",
        null,
        "notes",
        null,
        "an unknown field of 512 KiB beside a valid spec"
      },
      {"status-is-a-string", "garbage", null, null, "status \"garbage\""},
      {"status-is-a-list", List.of("Ready"), null, null, "status [Ready]"},
      {
        "status-conditions-not-a-list",
        conditionsNotAList,
        null,
        null,
        "status.conditions \"Ready\""
      },
      {
        "status-version-number-3000000000",
        Map.of("versionNumber", 3_000_000_000L, "observedGeneration", 1),
        null,
        null,
        "status.versionNumber 3000000000"
      },
      {
        "status-pending-activation-garbage",
        Map.of("pendingActivation", "soon"),
        null,
        null,
        "status.pendingActivation \"soon\""
      },
      {
        "huge-reconcile-request-annotation",
        null,
        null,
        "x".repeat(200 * 1024),
        "atoms.smallest.ai/reconcile-requested-at of 200 KiB"
      },
    };
    for (Object[] row : table) {
      String name = (String) row[0];
      String agentId = "hostile-" + name;
      sim.agent(agentId).publishedVersions(10).activeVersion(10);
      Map<String, Object> spec = valid(agentId, 3);
      spec.put("apiKeySecretRef", Map.of("name", SECRET));
      if (row[2] != null) {
        spec.put(
            (String) row[2], name.startsWith("huge") ? "n".repeat(512 * 1024) : "typo-" + agentId);
      }
      Map<String, String> annotations =
          row[3] == null
              ? Map.of()
              : Map.of(
                  ai.smallest.atoms.operator.api.AgentRelease.RECONCILE_REQUESTED_AT,
                  (String) row[3]);
      cases.add(
          new HostileCase(
              name,
              Group.STATUS,
              (String) row[4],
              agentId,
              spec,
              row[1],
              annotations,
              null,
              null,
              3,
              HostileCase.READY,
              null,
              null,
              Budget.READY,
              1,
              1));
    }
    return cases;
  }

  // ---- hostile answers --------------------------------------------------------------------------

  private static List<HostileCase> answers(AtomsSimulator sim) {
    List<HostileCase> cases = new ArrayList<>();
    for (Endpoint endpoint : List.of(Endpoint.LIST_VERSIONS, Endpoint.ACTIVATE_VERSION)) {
      for (HostileAnswer kind : HostileAnswer.applicableTo(endpoint)) {
        String slug =
            kind.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (endpoint == Endpoint.LIST_VERSIONS ? "-on-list" : "-on-activate");
        String agentId = "hostile-" + slug;
        Expectation e = expected(kind, endpoint);
        int versions =
            endpoint == Endpoint.ACTIVATE_VERSION
                ? ACTIVATE_VERSIONS
                // Archiving four versions a look: with 105 the listing fits one page after a few.
                : kind == HostileAnswer.ARCHIVE_BETWEEN_PAGES ? 105 : LIST_VERSIONS;
        sim.agent(agentId).publishedVersions(versions).activeVersion(versions);
        Map<String, Object> spec = valid(agentId, e.desired());
        spec.put("apiKeySecretRef", Map.of("name", SECRET));
        cases.add(
            new HostileCase(
                "answer-" + slug,
                Group.ANSWER,
                kind.description(),
                agentId,
                spec,
                null,
                Map.of(),
                kind,
                endpoint,
                e.desired() <= versions ? e.desired() : null,
                e.reason(),
                e.seenOnTheWay(),
                null,
                e.budget(),
                e.callsPerAttempt(),
                1));
      }
    }
    return cases;
  }

  /**
   * What the operator makes of {@code kind} on {@code endpoint}: the reason (per {@code
   * ErrorKind.fromHttpStatus}, the client's {@code ResponseProblem}s and {@code ApiErrors}), and
   * the calls of one look (as {@code HostileSimulatorTest.expected} counts them for the list; a
   * look that reaches activate costs one list call for v1 on page one plus the activate call).
   */
  record Expectation(
      String reason, int callsPerAttempt, Budget budget, int desired, String seenOnTheWay) {}

  static Expectation expected(HostileAnswer kind, Endpoint endpoint) {
    boolean list = endpoint == Endpoint.LIST_VERSIONS;
    int look = list ? 1 : 2;
    if (!list && LANDED_THEN_DAMAGED.contains(kind)) {
      return new Expectation("Activated", look, Budget.READY, 1, null);
    }
    return switch (kind) {
      case NOT_JSON,
          EMPTY_BODY,
          TRUNCATED_JSON,
          TRAILING_GARBAGE,
          STATUS_FALSE,
          NO_DATA,
          MISSING_ID,
          MISSING_IS_ACTIVE,
          WRONG_TYPES,
          UNSAFE_ID,
          VERSIONS_NOT_ARRAY,
          ALL_ACTIVE,
          DUPLICATE_VERSION,
          OTHER_AGENT,
          OVERSIZED,
          REDIRECT,
          ACTIVATE_OTHER_VERSION,
          ACTIVATE_NOT_ACTIVE,
          ACTIVATE_OTHER_AGENT ->
          retrying("MalformedResponse", look);
      // The listing claims 1,000 more versions than it has: asked for one that is not published,
      // the finder pages to the empty page and refuses to call it missing on a lying total.
      case TOTAL_TOO_HIGH -> new Expectation("MalformedResponse", 3, Budget.RETRYING, 999, null);
      case TOTAL_TOO_LOW -> retrying("MalformedResponse", 4);
      case IGNORE_SKIP, REPEAT_PAGE -> retrying("MalformedResponse", 2);
      // Harmless lies: half pages with a true total are paged to the end; the operator never asks
      // for the pin filter. v1 is activated, then one call a resync from the remembered offset.
      case SHRINK_PAGE -> new Expectation(HostileCase.READY, 3, Budget.READY, 1, null);
      case IGNORE_PIN_FILTER -> new Expectation(HostileCase.READY, 2, Budget.READY, 1, null);
      // Four versions archived per look (two scans of two pages, both refused as changed) until
      // the listing fits one page; then v1 is found and activated.
      case ARCHIVE_BETWEEN_PAGES ->
          new Expectation(HostileCase.READY, 4, Budget.RETRYING, 1, "MalformedResponse");
      case TRICKLE -> retrying("ApiUnavailable", look);
      case BAD_REQUEST_NOT_PUBLISHED -> stalled("VersionNotPublished", look);
      case BAD_REQUEST_INVALID_INPUT,
          BAD_REQUEST_HTML,
          CONFLICT,
          PAYLOAD_TOO_LARGE,
          UNSUPPORTED_MEDIA_TYPE,
          UNPROCESSABLE ->
          stalled("BadRequest", look);
      case UNAUTHORIZED -> stalled("Unauthorized", look);
      case FORBIDDEN -> stalled("Forbidden", look);
      case AGENT_NOT_FOUND -> stalled("AgentNotFound", look);
      // On activate, a 404 naming the version, or not saying which, is about the version.
      case VERSION_NOT_FOUND, AGENT_OR_VERSION_NOT_FOUND -> stalled("VersionNotFound", look);
      case INTERNAL_ERROR, BAD_GATEWAY_HTML, ERROR_FLOOD, UNAVAILABLE_RETRY_AFTER_ONE_YEAR ->
          retrying("ApiUnavailable", look);
      case RETRY_AFTER_SECONDS,
          RETRY_AFTER_HTTP_DATE,
          RETRY_AFTER_NEGATIVE,
          RETRY_AFTER_GARBAGE,
          RETRY_AFTER_OVERFLOWING,
          RETRY_AFTER_ONE_YEAR ->
          retrying("RateLimited", look);
    };
  }

  private static Expectation retrying(String reason, int calls) {
    return new Expectation(reason, calls, Budget.RETRYING, 1, null);
  }

  private static Expectation stalled(String reason, int calls) {
    return new Expectation(reason, calls, Budget.STALLED, 1, null);
  }

  // ---- spec builders ----------------------------------------------------------------------------

  /** A spec whose agent is named after the case (filled in by {@link #poisonObjects}). */
  private static Map<String, Object> number(Object versionNumber) {
    return map("__agent__", true, "versionNumber", versionNumber);
  }

  private static Map<String, Object> agent(Object agentId) {
    return map("agentId", agentId, "versionNumber", 1);
  }

  private static Map<String, Object> versionId(String versionId) {
    return map("__agent__", true, "versionId", versionId);
  }

  private static Map<String, Object> valid(String agentId, int versionNumber) {
    return map("agentId", agentId, "versionNumber", versionNumber);
  }

  private static Map<String, Object> ref(String agentId, Object name, String key) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", name);
    if (key != null) {
      ref.put("key", key);
    }
    return with(valid(agentId, 1), "apiKeySecretRef", ref);
  }

  private static Map<String, Object> with(Map<String, Object> spec, String key, Object value) {
    spec.put(key, value);
    return spec;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static Object nested(int depth) {
    Object value = "a";
    for (int i = 0; i < depth; i++) {
      value = Map.of("a", value);
    }
    return value;
  }

  private static void secret(KubernetesClient kube, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    kube.secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }
}
