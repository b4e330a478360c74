package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.harness.FakeAtomsClient;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.InformerReadPath;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.atoms.AccountRateLimiter;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import ai.smallest.atoms.operator.reconciler.ApiKeyResolver.ResolvedApiKey;
import ai.smallest.atoms.operator.status.ConditionList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Issue #11: whatever an API server can store as an AgentRelease — admitted by this CRD, or only by
 * an older or newer CRD or a server that skips validation — goes through the informer's read path
 * and the reconciler without anything escaping, ends in a documented reason with a bounded message,
 * makes a bounded number of Atoms calls, and is InvalidSpec exactly when the stored spec breaks the
 * CRD's rules.
 */
class StoredSpecProperties {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String SECRET = "sk-property-4f1d2c";
  private static final Set<String> DOCUMENTED =
      Reason.readyReasons().stream().map(Reason::value).collect(Collectors.toSet());

  /** A generated value for one field, and whether the CRD (and the operator) would accept it. */
  record Field(JsonNode value, boolean admissible) {
    static Field ok(JsonNode value) {
      return new Field(value, true);
    }

    static Field bad(JsonNode value) {
      return new Field(value, false);
    }
  }

  record Stored(String json, boolean admissible) {}

  /** One per property run (jqwik makes one instance per property): mocks are slow to make. */
  private final Harness harness = new Harness();

  @Property(tries = 1200)
  void anyStoredReleaseEndsInADocumentedReasonWithBoundedCallsAndNoEscape(
      @ForAll("storedReleases") Stored stored) {
    AgentRelease release = InformerReadPath.read(stored.json());
    harness.atoms.resetCounters();
    if (SpecValidator.problems(release.getSpec()).isEmpty()) {
      // Published versions 1-3, version 1 live; a versionId the generator made is unknown (404).
      String agentId = release.getSpec().getAgentId();
      if (harness.atoms.store().list(agentId, null, 0, 1).isEmpty()) {
        harness.atoms.store().agent(agentId).publishedVersions(3).activeVersion(1);
      }
    }

    harness.reconciler.reconcile(release, null);

    AgentReleaseStatus status = release.getStatus();
    assertThat(status).as("a status is written for %s", stored.json()).isNotNull();
    Condition ready = status.ready().orElseThrow();
    assertThat(ready.getReason()).isIn(DOCUMENTED);
    assertThat(ready.getMessage()).hasSizeLessThanOrEqualTo(ConditionList.MAX_MESSAGE_LENGTH);
    assertThat(ready.getMessage()).doesNotContain(SECRET);
    assertThat(harness.atoms.calls()).isLessThanOrEqualTo(3);
    if (stored.admissible()) {
      assertThat(ready.getReason()).as(stored.json()).isNotEqualTo(Reason.InvalidSpec.value());
    } else {
      assertThat(ready.getReason()).as(stored.json()).isEqualTo(Reason.InvalidSpec.value());
      assertThat(harness.atoms.calls()).isZero();
    }
  }

  @Provide
  Arbitrary<Stored> storedReleases() {
    Arbitrary<Field> agentId =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyzABCDEF0123456789-_~.")
                    .ofMinLength(1)
                    .ofMaxLength(128)
                    .filter(s -> !s.startsWith("."))
                    .map(s -> Field.ok(JSON.textNode(s)))),
            Tuple.of(2, hostileStrings()),
            Tuple.of(2, wrongTypes(JsonNodeType.STRING)));
    Arbitrary<Field> versionNumber =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.integers().between(1, Integer.MAX_VALUE).map(n -> okNumber(n))),
            Tuple.of(
                2,
                Arbitraries.longs()
                    .between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE)
                    .map(n -> Field.bad(JSON.numberNode(n)))),
            Tuple.of(
                1, Arbitraries.integers().between(Integer.MIN_VALUE, 0).map(n -> badNumber(n))),
            Tuple.of(
                1, Arbitraries.just(Field.bad(JSON.numberNode(new BigInteger("9".repeat(40)))))),
            Tuple.of(1, Arbitraries.just(Field.bad(JSON.numberNode(1.5)))),
            Tuple.of(2, wrongTypes(JsonNodeType.NUMBER)));
    Arbitrary<Field> versionId =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.strings()
                    .withChars("0123456789abcdef")
                    .ofLength(24)
                    .map(s -> Field.ok(JSON.textNode(s)))),
            Tuple.of(2, hostileStrings()),
            Tuple.of(2, wrongTypes(JsonNodeType.STRING)));
    Arbitrary<Field> suspend =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of(false).map(b -> Field.ok(JSON.booleanNode(b)))),
            Tuple.of(1, Arbitraries.of(true).map(b -> Field.ok(JSON.booleanNode(b)))),
            Tuple.of(1, Arbitraries.of("perhaps", "2").map(s -> Field.bad(JSON.textNode(s)))),
            Tuple.of(1, Arbitraries.just(Field.bad(JSON.arrayNode()))));
    Arbitrary<Field> interval =
        Arbitraries.frequencyOf(
            Tuple.of(
                3,
                Arbitraries.of("30s", "5m", "1h30m", "2h", "90s")
                    .map(s -> Field.ok(JSON.textNode(s)))),
            Tuple.of(
                1,
                Arbitraries.of("0s", "", "soon", "-5m", "99999999999999999999h", "5 m")
                    .map(s -> Field.bad(JSON.textNode(s)))),
            Tuple.of(1, wrongTypes(JsonNodeType.STRING)));
    Arbitrary<Field> policy =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of("Enforce", "Report").map(s -> Field.ok(JSON.textNode(s)))),
            Tuple.of(
                1,
                Arbitraries.of("ObserveOnly", "enforce", "").map(s -> Field.bad(JSON.textNode(s)))),
            Tuple.of(1, wrongTypes(JsonNodeType.STRING)));
    Arbitrary<Field> secretRef =
        Arbitraries.frequencyOf(
            Tuple.of(
                4,
                Arbitraries.of("atoms", "team-a.keys", "k8s-secret-1")
                    .map(
                        name ->
                            Field.ok(JSON.objectNode().put("name", name).put("key", "apiKey")))),
            Tuple.of(
                1,
                Arbitraries.of("../other", "UPPER", "", "a/b", "x".repeat(300))
                    .map(name -> Field.bad(JSON.objectNode().put("name", name)))),
            Tuple.of(1, wrongTypes(JsonNodeType.OBJECT)));
    Arbitrary<Integer> versionChoice = Arbitraries.integers().between(0, 3);
    Arbitrary<Integer> optionalMask = Arbitraries.integers().between(0, 31);
    Arbitrary<String> unknownField = Arbitraries.of("", "colour", "rolloutStrategy", "x-extra");

    return Combinators.combine(
            Combinators.combine(agentId, versionNumber, versionId, versionChoice)
                .as((a, n, i, c) -> List.<Object>of(a, n, i, c)),
            Combinators.combine(suspend, interval, policy, policy, secretRef)
                .as((s, i, d, m, r) -> List.<Object>of(s, i, d, m, r)),
            optionalMask,
            unknownField,
            spoiledSpec())
        .as(
            (core, optional, mask, unknown, spoiled) ->
                build(core, optional, mask, unknown, spoiled));
  }

  private static Stored build(
      List<Object> core, List<Object> optional, int mask, String unknown, Field spoiled) {
    ObjectNode spec = JSON.objectNode();
    boolean admissible = true;
    Field agentId = (Field) core.get(0);
    spec.set("agentId", agentId.value());
    admissible &= agentId.admissible();
    int choice = (Integer) core.get(3);
    // 0: versionNumber, 1: versionId, 2: both (CEL refuses), 3: neither (CEL refuses)
    if (choice == 0 || choice == 2) {
      Field number = (Field) core.get(1);
      spec.set("versionNumber", number.value());
      admissible &= number.admissible();
    }
    if (choice == 1 || choice == 2) {
      Field id = (Field) core.get(2);
      spec.set("versionId", id.value());
      admissible &= id.admissible();
    }
    admissible &= choice < 2;
    String[] names = {"suspend", "interval", "driftPolicy", "managementPolicy", "apiKeySecretRef"};
    for (int i = 0; i < names.length; i++) {
      if ((mask & (1 << i)) != 0) {
        Field field = (Field) optional.get(i);
        JsonNode value = field.value();
        if (names[i].equals("managementPolicy") && value.isTextual()) {
          value =
              JSON.textNode(
                  value.asText().replace("Enforce", "Manage").replace("Report", "Observe"));
        }
        spec.set(names[i], value);
        admissible &= field.admissible();
      }
    }
    if (!unknown.isEmpty()) {
      spec.put(unknown, "pruned by a validating server");
    }
    JsonNode specNode = spoiled != null ? spoiled.value() : spec;
    if (spoiled != null) {
      admissible = false;
    }
    ObjectNode object = JSON.objectNode();
    object.put("apiVersion", "atoms.smallest.ai/v1alpha1").put("kind", "AgentRelease");
    object
        .putObject("metadata")
        .put("name", "r")
        .put("namespace", "team")
        .put("uid", "uid-1")
        .put("generation", 1)
        .put("resourceVersion", "5")
        .put("creationTimestamp", "2026-11-01T00:00:00Z");
    object.set("spec", specNode);
    return new Stored(object.toString(), admissible);
  }

  /** Mostly no spoiling; sometimes the whole spec is not an object at all. */
  private static Arbitrary<Field> spoiledSpec() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just((Field) null)), Tuple.of(1, wrongTypes(JsonNodeType.OBJECT)));
  }

  private static Field okNumber(int n) {
    return Field.ok(JSON.numberNode(n));
  }

  private static Field badNumber(int n) {
    return Field.bad(JSON.numberNode(n));
  }

  private static Arbitrary<Field> hostileStrings() {
    return Arbitraries.oneOf(
        Arbitraries.of(
                ".",
                "..",
                "a/b",
                "%2e%2e",
                "%2F",
                "a\\b",
                "",
                " ",
                "a b",
                "агент",
                "\u0000",
                "x".repeat(129),
                "?q=1",
                "#frag",
                "a:b")
            .map(s -> Field.bad(JSON.textNode(s))),
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(40)
            .filter(s -> s.chars().anyMatch(c -> !isUnreserved(c)))
            .map(s -> Field.bad(JSON.textNode(s))));
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '~'
        || c == '.';
  }

  /** Values of every JSON type but {@code rightType}'s. */
  private static Arbitrary<Field> wrongTypes(JsonNodeType rightType) {
    return Arbitraries.of(
            JSON.numberNode(7),
            JSON.booleanNode(true),
            JSON.textNode("text"),
            JSON.arrayNode().add(1),
            JSON.objectNode().put("nested", "x"),
            JSON.numberNode(3.25))
        .filter(node -> node.getNodeType() != rightType)
        .map(Field::bad);
  }

  /**
   * The reconciler over the simulator's store (every agent ID the generator makes resolves to an
   * agent with versions 1-3, version 1 live, as the fake sees only seeded agents: see build()).
   */
  private static final class Harness {
    final FakeAtomsClient atoms = new FakeAtomsClient(Clock.systemUTC());
    final AgentReleaseReconciler reconciler;

    Harness() {
      OperatorConfig config = mock(OperatorConfig.class);
      OperatorConfig.DefaultApiKeySecret defaults = mock(OperatorConfig.DefaultApiKeySecret.class);
      when(config.defaultApiKeySecret()).thenReturn(defaults);
      when(config.resyncInterval()).thenReturn(Duration.ofMinutes(10));
      when(config.statusHeartbeat()).thenReturn(Duration.ofHours(1));
      when(config.errorRetryInterval()).thenReturn(Duration.ofMinutes(5));
      when(config.conflictRecheckInterval()).thenReturn(Duration.ofSeconds(30));
      when(config.historyLimit()).thenReturn(10);
      OperatorConfig.Drift drift = mock(OperatorConfig.Drift.class);
      when(config.drift()).thenReturn(drift);
      when(drift.maxCorrections()).thenReturn(3);
      when(drift.window()).thenReturn(Duration.ofMinutes(30));
      ApiKeyResolver apiKeys = mock(ApiKeyResolver.class);
      when(apiKeys.resolve(any()))
          .thenReturn(new ResolvedApiKey(ApiKey.of(SECRET), "Secret team/atoms, key apiKey"));
      AccountRateLimiter accounts = new AccountRateLimiter(1_000_000, 4);
      RequeuePolicy requeue =
          new RequeuePolicy(
              config,
              new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.5),
              () -> 0.5);
      StatusWriter writer =
          (release, status, context) -> {
            release.setStatus(status);
            return release;
          };
      Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
      reconciler =
          new AgentReleaseReconciler(
              new ReleaseSync(
                  atoms,
                  apiKeys,
                  new ReleaseIndex(config),
                  TestPolicies.OPEN_TENANCY,
                  TestPolicies.NO_LEADER_ELECTION,
                  clock,
                  new DriftLoopGuard(config),
                  accounts),
              apiKeys,
              new AccountWakeups(accounts),
              new ReleaseIndex(config),
              requeue,
              mock(ReleaseEvents.class),
              writer,
              new OperatorMetrics(new SimpleMeterRegistry()),
              new RestoreFinalizer(
                  mock(RestoreOnDelete.class),
                  mock(RestoreFinalizer.Finalizers.class),
                  mock(ReleaseEvents.class),
                  writer,
                  requeue,
                  mock(RetryBackoff.class),
                  config,
                  clock),
              config,
              clock);
    }
  }
}
