package ai.smallest.atoms.bench;

import java.util.Map;
import java.util.TreeMap;

/** What one {@link ShardedRunner} run measured. */
public final class ShardedResult {
  /** Both operators ended on SIGTERM within the grace period, without kill -9. */
  public boolean stoppedWithinGrace;

  public int perShard;
  public int conflicts;
  public long latencyMs;
  public int concurrency;
  public String jvmOptions;
  public double physicalLimitSeconds;

  /** First convergence of every release, one replica serving all (NaN when not run). */
  public double singleReplicaSeconds = Double.NaN;

  /** First convergence of every release, the two shards side by side. */
  public double shardedSeconds;

  /** Operator CPU to converge, one replica (NaN when not run or not recorded). */
  public double cpuSecondsSingle = Double.NaN;

  public double cpuSecondsDefault;
  public double cpuSecondsShard;

  /** Atoms calls by endpoint, from each shard's own /q/metrics. */
  public Map<String, Long> callsDefault = Map.of();

  public Map<String, Long> callsShard = Map.of();

  /** Releases in each shard's cache (atoms_operator_agentreleases). */
  public double releasesSeenDefault;

  public double releasesSeenShard;

  public long simulatorCalls;
  public long idealCalls;
  public int agentsOffIdeal;
  public int agentsOnWrongVersion;
  public int contestedAgentsActivatedMoreThanOnce;
  public int contestedAgentsNotOnOwnersVersion;
  public int rivalsInConflict;
  public String rivalConflictMessage = "";
  public Map<String, String> leaseHolders = new TreeMap<>();

  public double takeoverSeconds = Double.NaN;
  public int takeoverCalls = -1;
  public int takeoverLiveVersion = -1;
  public boolean apiKeyInLog;

  /** Sharded convergence over one replica's (below 1: the shards were faster). */
  public double shardedOverSingle() {
    return shardedSeconds / singleReplicaSeconds;
  }
}
