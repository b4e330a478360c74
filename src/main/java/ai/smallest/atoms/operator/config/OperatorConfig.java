package ai.smallest.atoms.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Operator-wide settings, from application.properties or environment variables (e.g. {@code
 * atoms.base-url} or {@code ATOMS_BASE_URL}). The watched namespaces are a quarkus-operator-sdk
 * setting: {@code quarkus.operator-sdk.controllers.agentrelease.namespaces}.
 */
@ConfigMapping(prefix = "atoms")
public interface OperatorConfig {

  /** Atoms API base URL, without a trailing slash. Must be https unless allowInsecureHttp. */
  @WithDefault("https://api.smallest.ai/atoms/v1")
  URI baseUrl();

  /**
   * Allows an http:// base URL (a local simulator, the sandbox, tests). Off by default: the API key
   * travels in every request.
   */
  @WithDefault("false")
  boolean allowInsecureHttp();

  /** Used by AgentReleases that have no spec.apiKeySecretRef. */
  DefaultApiKeySecret defaultApiKeySecret();

  /** How often a Ready release is checked against the API (detects console-side changes). */
  @WithDefault("10m")
  Duration resyncInterval();

  /**
   * How long status.lastSyncedAt may go unwritten while nothing else in a release's status changes.
   * A routine resync that confirms what the status already says writes nothing (no patch, no watch
   * event, no etcd write) until lastSyncedAt is this old, as the kubelet reports an unchanged node
   * status only every nodeStatusReportFrequency. At least the resync interval makes sense; a
   * shorter one means every resync writes.
   */
  @WithDefault("1h")
  Duration statusHeartbeat();

  /**
   * How long to wait before retrying an error that needs a person (401, 403, 404, 400, missing
   * Secret).
   */
  @WithDefault("5m")
  Duration errorRetryInterval();

  Backoff backoff();

  /**
   * How often a release that lost a Conflict re-checks whether the other release is gone (no API
   * calls).
   */
  @WithDefault("30s")
  Duration conflictRecheckInterval();

  /** How many activations status.history keeps per release. */
  @WithDefault("10")
  int historyLimit();

  RateLimit rateLimit();

  /** The drift-loop guard's defaults; spec.driftGuard overrides them per release. */
  Drift drift();

  /** Restoring the previous version when a release with deletionPolicy Restore is deleted. */
  Restore restore();

  LeaderElection leaderElection();

  /**
   * The shard this instance serves, when AgentReleases are split across instances by label (see
   * docs/operations.md, Sharding): a DNS label such as {@code a}. It names the instance's Lease,
   * {@code <lease-name>-<shard>}, so each shard elects its own leader; the releases it reconciles
   * are chosen by {@code quarkus.operator-sdk.controllers.agentrelease.selector}, which must then
   * be set. Unset: the default instance, with the Lease {@code <lease-name>}.
   */
  Optional<String> shard();

  /** How long to wait for a connection to the Atoms API. */
  @WithDefault("5s")
  Duration connectTimeout();

  /** How long to wait for the response headers of one request. */
  @WithDefault("15s")
  Duration readTimeout();

  /**
   * How long one request may take as a whole, connect to last byte: a server that trickles its
   * answer is cut off here, whatever the read timeout.
   */
  @WithDefault("30s")
  Duration requestDeadline();

  interface DefaultApiKeySecret {
    /** Secret name; when unset, releases without apiKeySecretRef report SecretNotFound. */
    Optional<String> name();

    @WithDefault("apiKey")
    String key();

    /** Namespace of the default Secret; when unset, the AgentRelease's own namespace. */
    Optional<String> namespace();

    /**
     * Namespaces whose releases may use this operator-wide key ({@code *}: all). Others must name a
     * Secret of their own in spec.apiKeySecretRef (Flux's --default-service-account lockdown).
     */
    @WithDefault("*")
    List<String> allowedNamespaces();
  }

  /** How long a namespace's allowed-agents annotation is cached before it is read again. */
  @WithDefault("30s")
  Duration namespacePolicyCacheTtl();

  /** Client-side limits per Atoms account (API key), shared by all releases using that key. */
  interface RateLimit {
    @WithDefault("10")
    double requestsPerSecond();

    @WithDefault("4")
    int concurrency();
  }

  /**
   * Coordination Lease so only one replica reconciles; enable it when running more than one
   * replica.
   */
  interface LeaderElection {
    @WithDefault("false")
    boolean enabled();

    @WithDefault("atoms-operator-leader")
    String leaseName();

    /**
     * Namespace of the Lease; defaults to the operator's own (POD_NAMESPACE, else the client's
     * namespace).
     */
    Optional<String> leaseNamespace();
  }

  /**
   * More than {@code maxCorrections} drift corrections within {@code window} is a drift loop: the
   * release stops enforcing (reason DriftLoop) instead of fighting whoever keeps switching it.
   */
  interface Drift {
    @WithDefault("3")
    int maxCorrections();

    @WithDefault("30m")
    Duration window();
  }

  /**
   * A restore that keeps failing gives up after {@code maxAttempts} (retried with the transient
   * backoff): deleting a release must never hang on the Atoms API.
   */
  interface Restore {
    @WithDefault("5")
    int maxAttempts();
  }

  /** Exponential backoff with jitter for transient API errors (429, 5xx, timeouts). */
  interface Backoff {
    @WithDefault("5s")
    Duration initial();

    @WithDefault("5m")
    Duration max();
  }
}
