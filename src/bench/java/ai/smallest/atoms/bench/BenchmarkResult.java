package ai.smallest.atoms.bench;

import java.util.Map;

/** Everything one scenario measured; public fields so it serialises to JSON as is. */
public final class BenchmarkResult {
  // configuration
  public int n;
  public long latencyMs;
  public int concurrency;
  public double requestsPerSecond;
  public String reconcileThreads;
  public long resyncSeconds;
  public String jvmOptions;
  public int bigAgents;
  public int warmup;

  // operator start
  public long startupMillis;
  public long startupCpuMillis;
  public double idleRssMiB;

  // convergence
  public long applyMillis;
  public int ready;
  public double totalSeconds;
  public double p50Millis;
  public double p99Millis;
  public double maxMillis;
  public long convergenceCpuMillis;
  public long harnessConvergenceCpuMillis;
  public double convergencePeakRssMiB;
  public long idealCalls;
  public long idealListCalls;
  public long idealActivations;
  public long listCalls;
  public long activateCalls;
  public int agentsOffIdeal;
  public long callsInConvergenceWindow;
  public int agentsOnWrongVersion;
  public int maxInFlight;
  public double physicalLimitSeconds;
  public long statusWrites;
  public long eventWrites;
  public long otherWrites;
  public int maxWritesPerRelease;

  // steady state
  public double steadyWindowSeconds;
  public long steadyResyncs;
  public long steadyListCalls;
  public long steadyActivations;
  public double steadyListsPerResync;
  public double steadyListsPerResyncPage1;
  public double steadyListsPerResyncPage3;
  public double steadyResyncsPerReleasePerPeriod;
  public double steadyListCallsPerReleasePerPeriod;
  public double steadyMeanGapOverInterval;
  public long steadyWrites;
  public long steadyStatusWrites;
  public long steadyEventWrites;
  public long steadyCpuMillis;
  public double steadyCpuMillisPerPeriod;
  public double steadyPeakRssMiB;

  // memory at the end of steady state
  public double heapAfterGcMiB;
  public double heapCommittedMiB;
  public double nonHeapUsedMiB;
  public double rssSteadyMiB;
  public double peakRssMiB;
  public double liveThreads;
  public long metricsScrapeBytes;
  public long metricsSeries;
  public long metricsScrapeMillis;
  public Map<String, Long> reconcilesByOutcome;
  public long operatorApiRequestsMetric;
  public boolean apiKeyInLog;

  // naive sequential script
  public int naiveMeasuredAgents;
  public long naiveCalls;
  public long naiveActivations;
  public double naiveSeconds;

  // derived
  public double callsOverIdeal;
  public double totalOverPhysicalLimit;
  public double naiveOverOperatorTime;
  public double naiveOverOperatorCalls;
  public double writesPerRelease;
  public double convergenceCpuMillisPerRelease;
  public double steadyCpuMillisPerReleasePerResync;
  public double steadyWritesPerResync;

  void evaluate() {
    callsOverIdeal =
        idealCalls == 0 ? Double.NaN : (listCalls + activateCalls) / (double) idealCalls;
    totalOverPhysicalLimit =
        physicalLimitSeconds <= 0 ? Double.NaN : totalSeconds / physicalLimitSeconds;
    naiveOverOperatorTime = totalSeconds <= 0 ? Double.NaN : naiveSeconds / totalSeconds;
    naiveOverOperatorCalls =
        (listCalls + activateCalls) == 0
            ? Double.NaN
            : naiveCalls / (double) (listCalls + activateCalls);
    writesPerRelease = (statusWrites + eventWrites + otherWrites) / (double) n;
    convergenceCpuMillisPerRelease = convergenceCpuMillis / (double) n;
    steadyCpuMillisPerReleasePerResync =
        steadyResyncs == 0 ? Double.NaN : steadyCpuMillis / (double) steadyResyncs;
    steadyWritesPerResync = steadyResyncs == 0 ? Double.NaN : steadyWrites / (double) steadyResyncs;
  }

  /**
   * All releases Ready on their declared version with exactly the ideal calls, and no activation in
   * steady state.
   */
  public boolean correct() {
    return ready == n
        && agentsOnWrongVersion == 0
        && agentsOffIdeal == 0
        && steadyActivations == 0
        && !apiKeyInLog;
  }
}
