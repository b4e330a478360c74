package ai.smallest.atoms.bench;

import static ai.smallest.atoms.bench.Stats.fmt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bench/run-chaos [--releases 300] [--duration 180] [--restarts 4] ...}: one chaos run,
 * results in {@code bench/results/chaos.{json,md}}, BENCHMARKS.md regenerated. Exits 1 when an
 * invariant is violated.
 */
public final class ChaosMain {

  public static void main(String[] args) throws Exception {
    int releases = 300;
    int namespaces = 5;
    long durationSeconds = 180;
    long convergeSeconds = 240;
    int restarts = 4;
    int drifts = 60;
    int edits = 60;
    double conflicts = 0.10;
    long latencyMs = 20;
    long resyncSeconds = 15;
    long seed = 6;
    int late = 30;
    HostileCases.Selection hostile = HostileCases.Selection.ALL;
    Path out = Report.RESULTS;
    boolean doc = true;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--releases" -> releases = Integer.parseInt(v);
        case "--namespaces" -> namespaces = Integer.parseInt(v);
        case "--duration" -> durationSeconds = Long.parseLong(v);
        case "--converge-timeout" -> convergeSeconds = Long.parseLong(v);
        case "--restarts" -> restarts = Integer.parseInt(v);
        case "--drifts" -> drifts = Integer.parseInt(v);
        case "--edits" -> edits = Integer.parseInt(v);
        case "--conflicts" -> conflicts = Double.parseDouble(v);
        case "--latency" -> latencyMs = Long.parseLong(v);
        case "--resync" -> resyncSeconds = Long.parseLong(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--late" -> late = Integer.parseInt(v);
        case "--hostile" -> hostile = HostileCases.Selection.valueOf(v.toUpperCase(Locale.ROOT));
        case "--out" -> out = Path.of(v);
        case "--no-doc" -> {
          doc = false;
          i--;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    Files.createDirectories(out);
    Duration readTimeout = Duration.ofSeconds(2);
    ChaosRunner.Config config =
        new ChaosRunner.Config(
            releases,
            namespaces,
            Duration.ofSeconds(durationSeconds),
            Duration.ofSeconds(convergeSeconds),
            restarts,
            drifts,
            edits,
            conflicts,
            ChaosRunner.Config.issueMix(seed, readTimeout),
            Duration.ofMillis(latencyMs),
            Duration.ofSeconds(resyncSeconds),
            readTimeout,
            seed,
            Path.of("target", "chaos-logs"),
            late,
            hostile);
    ChaosResult result;
    try {
      result = new ChaosRunner(line -> System.out.println("[chaos] " + line)).run(config);
    } catch (Exception | Error e) {
      // The run's servers and the operator are closed by now; a lingering thread must not keep
      // the JVM (and a calling script) waiting.
      e.printStackTrace();
      System.exit(2);
      return;
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(
        out.resolve("chaos.json"),
        json.writeValueAsString(Map.of("machine", Machine.describe(), "result", result)));
    Files.writeString(out.resolve("chaos.md"), markdown(config, result));
    if (doc) {
      Report.regenerate();
    }
    List<String> violations = result.violations();
    System.out.println(
        "[chaos] " + (violations.isEmpty() ? "all invariants hold" : "VIOLATIONS: " + violations));
    System.exit(violations.isEmpty() ? 0 : 1);
  }

  static String markdown(ChaosRunner.Config c, ChaosResult r) {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(Machine.describe()).append(".\n\n");
    md.append("Run: ")
        .append(r.goodReleases)
        .append(
            " good releases (10% on agents with 250 versions, 20% by versionId, a third with a per-namespace Secret) in ")
        .append(c.namespaces())
        .append(" namespaces, plus ")
        .append(r.badInputKinds)
        .append(" bad inputs and ")
        .append(r.hostileKinds)
        .append(" hostile cases (a second tenant); ")
        .append(r.lateReleases)
        .append(" more good releases created after the poison objects; chaos window ")
        .append(c.chaosDuration().toSeconds())
        .append(" s; resync ")
        .append(c.resync().toSeconds())
        .append(" s; simulator latency ")
        .append(c.latency().toMillis())
        .append(" ms; operator read timeout ")
        .append(c.readTimeout().toSeconds())
        .append(" s, backoff 0.5 s to 5 s; seed ")
        .append(c.seed())
        .append(".\n\n");

    md.append("### Faults injected\n\n| fault | count |\n|---|---:|\n");
    r.faultsInjected.forEach(
        (k, v) ->
            md.append("| Atoms ").append(k).append(" (random mix) | ").append(v).append(" |\n"));
    md.append("| of which timeouts on activate (the activation still happened) | ")
        .append(r.activateTimeouts)
        .append(" |\n");
    md.append("| Kubernetes 409 Conflict on status writes (")
        .append(fmt(c.conflictRate() * 100, 0))
        .append("% of them) | ")
        .append(r.statusConflictsInjected)
        .append(" |\n");
    md.append("| operator kill -9 + restart (Atoms requests in flight at each kill) | ")
        .append(r.restarts)
        .append(" ")
        .append(r.inFlightAtKill)
        .append(" |\n");
    md.append("| console activations of another version (drift) | ")
        .append(r.drifts)
        .append(" |\n");
    md.append("| spec edits of the desired version | ").append(r.specEdits).append(" |\n");
    md.append("| Atoms requests in total | ").append(r.atomsRequests).append(" |\n");

    md.append("\n### Outcomes\n\n| check | result | holds |\n|---|---|---|\n");
    row(
        md,
        "every agent serves its declared version while the faults go on",
        r.liveConvergedUnderFaults
            + " / "
            + r.goodReleases
            + ", "
            + fmt(r.liveConvergedUnderFaultsSeconds, 1)
            + " s after the chaos window",
        r.liveConvergedUnderFaults == r.goodReleases);
    row(
        md,
        "every good release converges: Ready on its declared version, once the faults stop",
        r.goodConverged
            + " / "
            + r.goodReleases
            + ", "
            + fmt(r.convergedAfterChaosSeconds, 1)
            + " s after the faults stopped",
        r.goodConverged == r.goodReleases);
    row(
        md,
        "good releases created after the poison objects (and after the last restart) converge",
        r.lateReady
            + " / "
            + r.lateReleases
            + " Ready, median "
            + fmt(r.lateReadySecondsMedian, 1)
            + " s, max "
            + fmt(r.lateReadySecondsMax, 1)
            + " s after creation",
        r.lateReady == r.lateReleases);
    row(
        md,
        "no informer stops watching (no \"will stop\" from Fabric8, no operator stop from JOSDK)",
        r.watchStops.isEmpty() ? "none" : r.watchStops.toString(),
        r.watchStops.isEmpty());
    row(
        md,
        "no activation of a version that was never desired",
        r.neverDesiredActivations.isEmpty() ? "none" : r.neverDesiredActivations.toString(),
        r.neverDesiredActivations.isEmpty());
    row(
        md,
        "duplicate activations (activate calls for a version already live) are bounded",
        r.duplicateActivations
            + " of "
            + r.operatorActivationCalls
            + " activate calls (target 0; bound for lost answers, 409s and kills "
            + r.duplicateBudget()
            + ")",
        r.duplicateActivations <= r.duplicateBudget());
    row(
        md,
        "no release stuck without a Ready verdict (Unknown)",
        r.stuckUnknown.isEmpty() ? "none" : r.stuckUnknown.toString(),
        r.stuckUnknown.isEmpty());
    row(
        md,
        "no API key in any log line, Event or status",
        r.keyLeaks.isEmpty()
            ? "none in "
                + r.operatorLogLines
                + " log lines, "
                + r.events
                + " Events and every status"
            : r.keyLeaks.toString(),
        r.keyLeaks.isEmpty());
    row(
        md,
        "no ERROR log line; every condition and Event message within 1 KiB, Event names within 253",
        r.errorLogLines
            + " ERROR lines ("
            + r.warnLogLines
            + " WARN); "
            + (r.unboundedTexts.isEmpty() ? "all bounded" : r.unboundedTexts.toString()),
        r.errorLogLines == 0 && r.unboundedTexts.isEmpty());
    long badOk = r.badOutcomes.stream().filter(o -> o.passed).count();
    row(
        md,
        "every bad input ends with a clear reason and no retry storm",
        badOk + " / " + r.badOutcomes.size(),
        r.badInputFailures.isEmpty());
    long hostileOk = r.hostileOutcomes.stream().filter(o -> o.passed).count();
    row(
        md,
        "every hostile object and answer ends with its reason within its call, write and reconcile"
            + " budget",
        hostileOk + " / " + r.hostileOutcomes.size(),
        r.hostileFailures.isEmpty());
    row(
        md,
        "no Atoms call for an agent no release names (a poison ID read as another)",
        r.callsForUnnamedAgents.isEmpty() ? "none" : r.callsForUnnamedAgents.toString(),
        r.callsForUnnamedAgents.isEmpty());
    row(
        md,
        "every activation that landed on Atoms is in a release's `status.history`",
        r.activationsRecorded
            + " / "
            + r.activationsLanded
            + (r.activationsMissingFromHistory.isEmpty()
                ? ""
                : ", missing: " + r.activationsMissingFromHistory),
        r.activationsMissingFromHistory.isEmpty());
    row(
        md,
        "every `status.history` entry is an activation the operator made",
        r.activationRecordPhantoms.isEmpty() ? "all" : r.activationRecordPhantoms.toString(),
        r.activationRecordPhantoms.isEmpty());
    row(
        md,
        "one activation intent at most per activate call (good releases)",
        r.intentWritesGood
            + " intents for "
            + r.activateCallsGood
            + " activate calls (bound "
            + r.intentBudget()
            + ")",
        r.intentWritesGood <= r.intentBudget());

    md.append("\n### Activation records\n\n| what | count |\n|---|---:|\n");
    md.append(
            "| activations that landed on Atoms with an operator key (simulator log, outcome"
                + " ACTIVATED) | ")
        .append(r.activationsLanded)
        .append(" |\n");
    md.append(
            "| ... held by a release's `status.history` (same version, `activatedAt` within 2 s) | ")
        .append(r.activationsRecorded)
        .append(" |\n");
    md.append("| ... missing from every `status.history` | ")
        .append(r.activationsMissingFromHistory.size())
        .append(" |\n");
    md.append("| ... dropped by the history limit (")
        .append(ChaosRunner.HISTORY_LIMIT)
        .append(" entries) | ")
        .append(r.activationsPrunedByHistoryLimit)
        .append(" |\n");
    md.append("| ... without an `Activated`/`DriftCorrected` Event | ")
        .append(r.activationsWithoutEvent)
        .append(" |\n");
    md.append("| `status.history` entries that match no operator activation | ")
        .append(r.activationRecordPhantoms.size())
        .append(" |\n");
    md.append(
            "| good releases: activation intents written (`status.pendingActivation`, seen on the"
                + " watch) / activate calls / activations landed | ")
        .append(r.intentWritesGood)
        .append(" / ")
        .append(r.activateCallsGood)
        .append(" / ")
        .append(r.activationsLandedGood)
        .append(" |\n");
    md.append("| ... extra status patches per landed activation | ")
        .append(
            r.activationsLandedGood == 0
                ? "n/a"
                : fmt((double) r.intentWritesGood / r.activationsLandedGood, 2))
        .append(" |\n");
    md.append("| activation intents written, all releases (hostile tenant included) | ")
        .append(r.intentWrites)
        .append(" |\n");

    md.append("\n### Anything lost\n\n| what | count |\n|---|---:|\n");
    md.append(
            "| Ready=True turned False without a spec change, while faults were on (by reason) | ")
        .append(
            r.readyFlapsUnderFaults == null ? "" : new java.util.TreeMap<>(r.readyFlapsUnderFaults))
        .append(" |\n");
    md.append("| ERROR / WARN log lines (all operator processes) | ")
        .append(r.errorLogLines)
        .append(" / ")
        .append(r.warnLogLines)
        .append(" |\n");
    md.append("| duplicate activations (target 0) | ")
        .append(r.duplicateActivations)
        .append(r.duplicateActivationDetails.isEmpty() ? "" : ": " + r.duplicateActivationDetails)
        .append(" |\n");
    md.append("| Ready conditions the last operator's graceful stop (SIGTERM) rewrote | ")
        .append(r.changedByGracefulStop.size())
        .append(" |\n");
    md.append("| status writes / Events written | ")
        .append(r.statusWrites)
        .append(" / ")
        .append(r.eventWrites)
        .append(" |\n");
    md.append("\nReconciles by outcome in the last operator process: ")
        .append(r.lastOperatorMetrics)
        .append(".\n");
    if (!r.changedByGracefulStop.isEmpty()) {
      md.append("\nRewritten by the graceful stop: ")
          .append(
              escape(
                  r.changedByGracefulStop.stream()
                      .map(t -> t.length() > 300 ? t.substring(0, 297) + "..." : t)
                      .toList()
                      .toString()))
          .append("\n");
    }
    if (!r.notConverged.isEmpty()) {
      md.append("\nNot converged: ").append(r.notConverged).append("\n");
    }

    md.append(
        "\n### Bad inputs\n\n| case | expected | end state | Atoms calls (budget) | K8s writes (budget) | ok | message |\n|---|---|---|---:|---:|---|---|\n");
    for (ChaosResult.BadOutcome o : r.badOutcomes) {
      String message = o.message.length() > 140 ? o.message.substring(0, 137) + "..." : o.message;
      md.append("| ")
          .append(o.name)
          .append(" | ")
          .append(o.expected)
          .append(" | ")
          .append(o.actual)
          .append(" | ")
          .append(
              o.atomsCalls < 0
                  ? (o.name.startsWith("agent-id-")
                      ? "n/a (no agent)"
                      : "(agent shared with a good release)")
                  : o.atomsCalls + " (" + o.callBudget + ")")
          .append(" | ")
          .append(o.kubeWrites)
          .append(" (")
          .append(o.writeBudget)
          .append(") | ")
          .append(o.passed ? "yes" : "**no**")
          .append(" | ")
          .append(message.replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    hostileTable(md, r);
    List<String> violations = r.violations();
    md.append("\n**Verdict: ")
        .append(violations.isEmpty() ? "all invariants hold" : "violations: " + violations)
        .append("**\n");
    return md.toString();
  }

  private static void hostileTable(StringBuilder md, ChaosResult r) {
    if (r.hostileOutcomes.isEmpty()) {
      return;
    }
    md.append(
        "\n### Hostile objects and answers\n\n"
            + "Atoms calls, Kubernetes writes (status patches and Events; among them the activation"
            + " intents, status patches seen on the watch setting a new `status.pendingActivation`)"
            + " and reconciles that ended not Ready (DEBUG log lines), each against its budget."
            + " Calls of transient cases grow with time by design (backoff up to 5 s) and must not"
            + " fall below one a minute; their intents must not (one per activation, not one per"
            + " retry).\n\n"
            + "| case | hostile | expected | end state | s | Atoms calls (min-max) | K8s writes"
            + " (budget) | of which activation intents (budget) | reconciles (budget) | ok |"
            + " message |\n"
            + "|---|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
    for (ChaosResult.HostileOutcome o : r.hostileOutcomes) {
      String message = o.message.length() > 140 ? o.message.substring(0, 137) + "..." : o.message;
      md.append("| ")
          .append(o.name)
          .append(" | ")
          .append(o.where.startsWith("stored") ? o.description : o.where)
          .append(" | ")
          .append(o.expected)
          .append(" | ")
          .append(o.actual)
          .append(" | ")
          .append(fmt(o.seconds, 0))
          .append(" | ")
          .append(o.atomsCalls)
          .append(" (")
          .append(o.minCalls > 0 ? o.minCalls + "-" : "")
          .append(o.callBudget)
          .append(") | ")
          .append(o.kubeWrites)
          .append(" (")
          .append(o.writeBudget)
          .append(") | ")
          .append(o.intentWrites)
          .append(" (")
          .append(o.intentBudget)
          .append(") | ")
          .append(o.reconciles)
          .append(" (")
          .append(o.reconcileBudget)
          .append(") | ")
          .append(o.passed ? "yes" : "**no**: " + String.join("; ", o.problems))
          .append(" | ")
          .append(escape(message))
          .append(" |\n");
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == '|') {
                out.append("\\|");
              } else if (c == '\n' || Character.isISOControl(c)) {
                out.append(' ');
              } else if (c == 0x202e || c == 0x200b) {
                out.append(String.format("\\u%04x", c)); // invisible or reordering in a table
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private static void row(StringBuilder md, String check, String result, boolean holds) {
    md.append("| ")
        .append(check)
        .append(" | ")
        .append(result.replace("|", "\\|"))
        .append(" | ")
        .append(holds ? "yes" : "**no**")
        .append(" |\n");
  }
}
