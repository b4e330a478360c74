package ai.smallest.atoms.bench;

/**
 * What {@code ./bench/run-tenants} measured (issue #12): fairness between Atoms accounts, and what
 * unrelated Secrets cost the operator's heap. Public fields, so the JSON is the record.
 */
public final class TenantsResult {

  public Fairness fairness;
  public Secrets secrets;

  /** Account A saturated by slow releases; one release of account B created meanwhile. */
  public static final class Fairness {
    public int aReleases;
    public long aLatencyMs;
    public int concurrency;
    public double requestsPerSecond;
    public String reconcileThreads;

    /** How long after the first of A's releases B's was created. */
    public double bCreatedAfterSeconds;

    /** Atoms requests in flight (A's and B's) when B's release was created. */
    public int inFlightWhenBCreated;

    public double bReadySeconds;
    public int bAtomsCalls;
    public int aReady;
    public double aTotalSeconds;

    /** A's required calls x latency / concurrency: no schedule can be faster. */
    public double aPhysicalLimitSeconds;

    public double aReleasesPerMinute;
    public int aAtomsCalls;
    public int maxInFlight;
    public long aStatusWrites;
    public long aEvents;
    public long bStatusWrites;
    public boolean apiKeyInLog;

    boolean bMeetsTarget() {
      return bReadySeconds >= 0 && bReadySeconds < 5;
    }
  }

  /** Helm-release-like Secrets created in watched namespaces while the operator runs. */
  public static final class Secrets {
    public int secrets;
    public int secretKiB;
    public int namespaces;
    public double createSeconds;
    public double heapBeforeMiB;
    public double heapAfterMiB;
    public double heapGrowthMiB;

    /** Secret created for a release stalled on SecretNotFound, after the bulk: to Ready. */
    public double missingKeyPickupSeconds;

    /** Secret of a release stalled on Unauthorized rotated to a valid key: to Ready. */
    public double rotationPickupSeconds;

    /** Secret reads (GET) by the operator over the whole run. */
    public long operatorSecretGets;

    public double rssAfterMiB;
    public boolean apiKeyInLog;

    boolean heapMeetsTarget() {
      return heapGrowthMiB <= 16;
    }

    boolean pickupMeetsTarget() {
      return missingKeyPickupSeconds >= 0
          && missingKeyPickupSeconds <= 10
          && rotationPickupSeconds >= 0
          && rotationPickupSeconds <= 10;
    }
  }
}
