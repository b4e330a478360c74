package ai.smallest.atoms.bench;

import ai.smallest.atoms.harness.OperatorProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two shards side by side in one run ({@link ShardedRunner}), against one replica serving the same
 * releases: convergence, each shard's Atoms calls, the conflict rule across shards. Run with {@code
 * ./bench/run-sharding}; writes {@code bench/results/sharding.{md,json}} and regenerates
 * BENCHMARKS.md.
 *
 * <pre>
 * Options: --per-shard N (25000) --conflicts (100) --latency MS (20) --concurrency (8)
 *          --namespaces (10) --timeout SECONDS (3600) --no-baseline --out DIR (bench/results)
 *          --no-doc --jvm "OPTIONS FOR THE OPERATOR JVMS" (the production options)
 * </pre>
 */
public final class ShardedBenchmarkMain {

  public static void main(String[] args) throws Exception {
    int perShard = 25_000;
    int conflicts = 100;
    int latency = 20;
    int concurrency = 8;
    int namespaces = 10;
    int timeout = 3600;
    boolean baseline = true;
    boolean doc = true;
    Path out = Path.of("bench", "results");
    List<String> jvm = OperatorProcess.PRODUCTION_JVM_OPTIONS;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--per-shard" -> perShard = Integer.parseInt(value);
        case "--conflicts" -> conflicts = Integer.parseInt(value);
        case "--latency" -> latency = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--namespaces" -> namespaces = Integer.parseInt(value);
        case "--timeout" -> timeout = Integer.parseInt(value);
        case "--out" -> out = Path.of(value);
        case "--jvm" -> jvm = List.of(value.trim().split("\\s+"));
        case "--no-baseline" -> {
          baseline = false;
          i--;
        }
        case "--no-doc" -> {
          doc = false;
          i--;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    ShardedRunner.Scenario scenario =
        new ShardedRunner.Scenario(
            perShard,
            conflicts,
            Duration.ofMillis(latency),
            concurrency,
            namespaces,
            jvm,
            Duration.ofSeconds(timeout),
            Path.of("target", "bench-sharding"),
            baseline,
            true);
    String machine = Machine.describe();
    long started = System.nanoTime();
    ShardedResult r =
        new ShardedRunner(line -> System.out.println("[sharding] " + line)).run(scenario);
    double minutes = (System.nanoTime() - started) / 60e9;
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(out.resolve("sharding.json").toFile(), r);
    Files.writeString(out.resolve("sharding.md"), markdown(r, machine, minutes));
    if (doc) {
      Report.regenerate();
    }
    System.out.println(Files.readString(out.resolve("sharding.md")));
    System.exit(0);
  }

  static String markdown(ShardedResult r, String machine, double minutes) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Two shards of "
            + String.format("%,d", r.perShard)
            + " releases each, plus "
            + r.conflicts
            + " agents claimed from both shards; L = "
            + r.latencyMs
            + " ms, C = "
            + r.concurrency
            + " per Atoms account (one account per shard). Measured on "
            + machine
            + "; the same cores carried both operators, the embedded API server, the simulator"
            + " and the harness. Run took "
            + Stats.fmt(minutes, 1)
            + " min.");
    lines.add("");
    lines.add("| check | result | holds |");
    lines.add("|---|---|---|");
    long ownDefault = r.perShard + r.conflicts;
    lines.add(
        row(
            "default shard calls Atoms only for its releases (1 list + 1 activate each)",
            "list "
                + r.callsDefault.get("list")
                + ", activate "
                + r.callsDefault.get("activate")
                + " for "
                + ownDefault
                + " releases",
            r.callsDefault.equals(Map.of("list", ownDefault, "activate", ownDefault))));
    long ownShard = r.perShard;
    lines.add(
        row(
            "shard b calls Atoms only for its releases; its "
                + r.conflicts
                + " rivals call nothing",
            "list "
                + r.callsShard.get("list")
                + ", activate "
                + r.callsShard.get("activate")
                + " for "
                + ownShard
                + " releases that can act",
            r.callsShard.equals(Map.of("list", ownShard, "activate", ownShard))));
    lines.add(
        row(
            "Atoms calls = ideal, per agent",
            r.simulatorCalls + " / " + r.idealCalls + ", " + r.agentsOffIdeal + " agents off",
            r.simulatorCalls == r.idealCalls && r.agentsOffIdeal == 0));
    lines.add(
        row(
            "each shard's cache holds its own releases only",
            "default "
                + (long) r.releasesSeenDefault
                + ", shard b "
                + (long) r.releasesSeenShard
                + " (of "
                + (2L * r.perShard + 2L * r.conflicts)
                + ")",
            (long) r.releasesSeenDefault == r.perShard + r.conflicts
                && (long) r.releasesSeenShard == r.perShard + r.conflicts));
    lines.add(
        row(
            "one release per agent across shards",
            r.rivalsInConflict
                + "/"
                + r.conflicts
                + " rivals in Conflict; "
                + r.contestedAgentsActivatedMoreThanOnce
                + " contested agents activated twice; "
                + r.contestedAgentsNotOnOwnersVersion
                + " not on the owner's version",
            r.rivalsInConflict == r.conflicts
                && r.contestedAgentsActivatedMoreThanOnce == 0
                && r.contestedAgentsNotOnOwnersVersion == 0));
    lines.add(
        row(
            "owner deleted: the rival in the other shard takes over",
            Stats.fmt(r.takeoverSeconds, 2)
                + " s, "
                + r.takeoverCalls
                + " calls, live version "
                + r.takeoverLiveVersion,
            r.takeoverCalls == 2 && r.takeoverLiveVersion == 3));
    lines.add(
        row(
            "a Lease per shard",
            r.leaseHolders.toString(),
            "operator-default".equals(r.leaseHolders.get("atoms-operator-leader"))
                && "operator-shard-b".equals(r.leaseHolders.get("atoms-operator-leader-b"))));
    boolean baseline = !Double.isNaN(r.singleReplicaSeconds);
    lines.add(
        row(
            "two shards converge no slower than one replica",
            baseline
                ? Stats.fmt(r.shardedSeconds, 1)
                    + " s vs "
                    + Stats.fmt(r.singleReplicaSeconds, 1)
                    + " s ("
                    + Stats.fmt(r.shardedOverSingle(), 2)
                    + "x); physical limit "
                    + Stats.fmt(r.physicalLimitSeconds, 1)
                    + " s"
                : "not run (--no-baseline)",
            baseline && r.shardedSeconds <= r.singleReplicaSeconds));
    lines.add("");
    lines.add("### First convergence, two shards vs one replica");
    lines.add("");
    lines.add("| set-up | releases | Ready after | x physical limit | operator CPU |");
    lines.add("|---|---|---|---|---|");
    int total = 2 * r.perShard + r.conflicts;
    if (baseline) {
      lines.add(
          "| one replica | "
              + String.format("%,d", total)
              + " | "
              + Stats.fmt(r.singleReplicaSeconds, 1)
              + " s | "
              + Stats.fmt(r.singleReplicaSeconds / r.physicalLimitSeconds, 2)
              + " | "
              + (Double.isNaN(r.cpuSecondsSingle) ? "n/a" : Stats.fmt(r.cpuSecondsSingle, 1) + " s")
              + " |");
    }
    lines.add(
        "| two shards side by side | "
            + String.format("%,d", total)
            + " | "
            + Stats.fmt(r.shardedSeconds, 1)
            + " s | "
            + Stats.fmt(r.shardedSeconds / r.physicalLimitSeconds, 2)
            + " | default "
            + Stats.fmt(r.cpuSecondsDefault, 1)
            + " s, shard b "
            + Stats.fmt(r.cpuSecondsShard, 1)
            + " s |");
    lines.add("");
    lines.add(
        "Conflict message of a rival (another namespace's owner is never named; here they share"
            + " one): \""
            + r.rivalConflictMessage
            + "\"");
    return String.join("\n", lines) + "\n";
  }

  private static String row(String check, String result, boolean holds) {
    return "| " + check + " | " + result + " | " + (holds ? "yes" : "**no**") + " |";
  }
}
