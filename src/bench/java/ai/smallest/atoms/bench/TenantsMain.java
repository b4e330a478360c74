package ai.smallest.atoms.bench;

import static ai.smallest.atoms.bench.Stats.fmt;

import ai.smallest.atoms.harness.OperatorProcess;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./bench/run-tenants [--scenario fairness|secrets|all] ...}: the scenarios of issue #12,
 * results in {@code bench/results/tenants.{json,md}}, BENCHMARKS.md regenerated. A run of one
 * scenario keeps the recorded result of the other. Exits 1 when a target is missed.
 */
public final class TenantsMain {

  private TenantsMain() {}

  public static void main(String[] args) throws Exception {
    String scenario = "all";
    int aReleases = 80;
    long aLatencyMs = 8000;
    int concurrency = 4;
    double rps = 10;
    Integer threads = null;
    long bAfterSeconds = 20;
    int secrets = 600;
    int secretKiB = 100;
    int namespaces = 6;
    Path out = Report.RESULTS;
    boolean doc = true;
    boolean renderOnly = false;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--scenario" -> scenario = v;
        case "--a-releases" -> aReleases = Integer.parseInt(v);
        case "--a-latency" -> aLatencyMs = Long.parseLong(v);
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--rps" -> rps = Double.parseDouble(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--b-after" -> bAfterSeconds = Long.parseLong(v);
        case "--secrets" -> secrets = Integer.parseInt(v);
        case "--secret-kib" -> secretKiB = Integer.parseInt(v);
        case "--namespaces" -> namespaces = Integer.parseInt(v);
        case "--out" -> out = Path.of(v);
        case "--no-doc" -> {
          doc = false;
          i--;
        }
        case "--render-only" -> {
          renderOnly = true;
          i--;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    Files.createDirectories(out);
    Path json = out.resolve("tenants.json");
    ObjectMapper mapper =
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    Map<String, String> machines = new LinkedHashMap<>();
    TenantsResult result = new TenantsResult();
    if (Files.exists(json)) {
      JsonNode previous = mapper.readTree(json.toFile());
      result = mapper.treeToValue(previous.path("result"), TenantsResult.class);
      previous
          .path("machines")
          .fields()
          .forEachRemaining(e -> machines.put(e.getKey(), e.getValue().asText()));
    }
    if (!renderOnly) {
      TenantsRunner runner = new TenantsRunner(line -> System.out.println("[tenants] " + line));
      Path work = Path.of("target", "tenants-logs");
      if (scenario.equals("all") || scenario.equals("fairness")) {
        result.fairness =
            runner.fairness(
                new TenantsRunner.FairnessConfig(
                    aReleases,
                    Duration.ofMillis(aLatencyMs),
                    concurrency,
                    rps,
                    threads,
                    Duration.ofSeconds(bAfterSeconds),
                    OperatorProcess.PRODUCTION_JVM_OPTIONS,
                    work));
        machines.put("fairness", Machine.describe());
      }
      if (scenario.equals("all") || scenario.equals("secrets")) {
        result.secrets =
            runner.secrets(
                new TenantsRunner.SecretsConfig(
                    secrets, secretKiB, namespaces, OperatorProcess.PRODUCTION_JVM_OPTIONS, work));
        machines.put("secrets", Machine.describe());
      }
      Files.writeString(
          json, mapper.writeValueAsString(Map.of("machines", machines, "result", result)));
    }
    Files.writeString(out.resolve("tenants.md"), markdown(result, machines));
    if (doc) {
      Report.regenerate();
    }
    boolean met =
        (result.fairness == null || result.fairness.bMeetsTarget())
            && (result.secrets == null
                || (result.secrets.heapMeetsTarget() && result.secrets.pickupMeetsTarget()));
    System.out.println("[tenants] " + (met ? "all targets met" : "SOME TARGETS MISSED"));
    System.exit(met ? 0 : 1);
  }

  static String markdown(TenantsResult r, Map<String, String> machines) {
    StringBuilder md = new StringBuilder();
    md.append("### Fairness between Atoms accounts\n\n");
    TenantsResult.Fairness f = r.fairness;
    if (f == null) {
      md.append("_Not run yet: `./bench/run-tenants --scenario fairness`._\n");
    } else {
      md.append("Machine: ").append(machines.getOrDefault("fairness", "?")).append(".\n\n");
      md.append("Account A: ")
          .append(f.aReleases)
          .append(" releases, each needing a list and an activate call that take ")
          .append(fmt(f.aLatencyMs / 1000.0, 0))
          .append(" s each on Atoms; account B: one release with fast calls, created ")
          .append(fmt(f.bCreatedAfterSeconds, 0))
          .append(" s after A's (")
          .append(f.inFlightWhenBCreated)
          .append(" Atoms requests in flight then). Per account: concurrency ")
          .append(f.concurrency)
          .append(", ")
          .append(fmt(f.requestsPerSecond, 0))
          .append(" requests/s; reconcile threads ")
          .append(f.reconcileThreads)
          .append(".\n\n");
      md.append("| target | measured | met |\n|---|---|---|\n");
      md.append("| B's release Ready in under 5 s while A is saturated | ")
          .append(fmt(f.bReadySeconds, 2))
          .append(" s (")
          .append(f.bAtomsCalls)
          .append(" Atoms calls, ")
          .append(f.bStatusWrites)
          .append(" status writes) | ")
          .append(f.bMeetsTarget() ? "yes" : "**no**")
          .append(" |\n");
      md.append("| A's own throughput unchanged: all of A Ready within 1.1x the physical limit | ")
          .append(f.aReady)
          .append(" / ")
          .append(f.aReleases)
          .append(" Ready in ")
          .append(fmt(f.aTotalSeconds, 1))
          .append(" s; limit (2 calls x ")
          .append(fmt(f.aLatencyMs / 1000.0, 0))
          .append(" s x ")
          .append(f.aReleases)
          .append(" / ")
          .append(f.concurrency)
          .append(") ")
          .append(fmt(f.aPhysicalLimitSeconds, 1))
          .append(" s = ")
          .append(fmt(f.aTotalSeconds / f.aPhysicalLimitSeconds, 2))
          .append("x; ")
          .append(fmt(f.aReleasesPerMinute, 1))
          .append(" releases/min | ")
          .append(f.aTotalSeconds / f.aPhysicalLimitSeconds <= 1.1 ? "yes" : "**no**")
          .append(" |\n");
      md.append("| A's waiting is quiet: no status write or Event while a release only waits | ")
          .append(f.aStatusWrites)
          .append(" status writes and ")
          .append(f.aEvents)
          .append(" Events for ")
          .append(f.aReleases)
          .append(" releases (")
          .append(fmt(f.aStatusWrites / (double) Math.max(1, f.aReleases), 2))
          .append(" per release: the intent and the outcome) | ")
          .append(f.aStatusWrites <= 2L * f.aReleases ? "yes" : "**no**")
          .append(" |\n");
      md.append("| A's concurrency limit held | at most ")
          .append(f.maxInFlight)
          .append(" Atoms requests in flight (A's ")
          .append(f.concurrency)
          .append(" plus B's) | ")
          .append(f.maxInFlight <= f.concurrency + 1 ? "yes" : "**no**")
          .append(" |\n");
      md.append("| API key in the operator's log | ")
          .append(f.apiKeyInLog ? "**found**" : "none")
          .append(" | ")
          .append(f.apiKeyInLog ? "**no**" : "yes")
          .append(" |\n");
    }
    md.append("\n### Secrets the operator does not use\n\n");
    TenantsResult.Secrets s = r.secrets;
    if (s == null) {
      md.append("_Not run yet: `./bench/run-tenants --scenario secrets`._\n");
    } else {
      md.append("Machine: ").append(machines.getOrDefault("secrets", "?")).append(".\n\n");
      md.append(s.secrets)
          .append(" Helm-release-like Secrets (type `helm.sh/release.v1`, ")
          .append(s.secretKiB)
          .append(" KiB of random data each, ")
          .append(fmt(s.secrets * s.secretKiB / 1024.0, 1))
          .append(" MiB in all) created in ")
          .append(s.namespaces)
          .append(" watched namespaces in ")
          .append(fmt(s.createSeconds, 1))
          .append(" s while the packaged operator runs (production JVM options); live heap")
          .append(" measured with `jcmd GC.class_histogram` (after a full GC).\n\n");
      md.append("| target | measured | met |\n|---|---|---|\n");
      md.append("| live heap grows by at most 16 MiB | ")
          .append(fmt(s.heapBeforeMiB, 1))
          .append(" MiB before, ")
          .append(fmt(s.heapAfterMiB, 1))
          .append(" MiB after: +")
          .append(fmt(s.heapGrowthMiB, 1))
          .append(" MiB (")
          .append(fmt(s.heapGrowthMiB * 1024 / s.secrets, 1))
          .append(" KiB per Secret); RSS after ")
          .append(fmt(s.rssAfterMiB, 0))
          .append(" MiB | ")
          .append(s.heapMeetsTarget() ? "yes" : "**no**")
          .append(" |\n");
      md.append("| a missing key Secret, created after the bulk, is used within 10 s | ")
          .append(fmt(s.missingKeyPickupSeconds, 2))
          .append(" s to Ready | ")
          .append(
              s.missingKeyPickupSeconds >= 0 && s.missingKeyPickupSeconds <= 10 ? "yes" : "**no**")
          .append(" |\n");
      md.append("| a rotated key (release Unauthorized before) is used within 10 s | ")
          .append(fmt(s.rotationPickupSeconds, 2))
          .append(" s to Ready | ")
          .append(s.rotationPickupSeconds >= 0 && s.rotationPickupSeconds <= 10 ? "yes" : "**no**")
          .append(" |\n");
      md.append("| Secret reads (GET) by the operator, whole run | ")
          .append(s.operatorSecretGets)
          .append(" | |\n");
      md.append("| API key in the operator's log | ")
          .append(s.apiKeyInLog ? "**found**" : "none")
          .append(" | ")
          .append(s.apiKeyInLog ? "**no**" : "yes")
          .append(" |\n");
    }
    return md.toString();
  }
}
