package ai.smallest.atoms.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/**
 * This replica's part in leader election: who it is, which Lease it competes for, and whether it
 * leads right now (from JOSDK's callbacks). The activation fence reads it before every activate
 * call, so a replica that lost its Lease cannot finish an activation decided on an old view.
 *
 * <p>Losing the Lease ends the process (exit code 1, so Kubernetes restarts it as a standby), as
 * JOSDK's {@code exitOnStopLeading} would; but the exit runs on a thread of its own and not at all
 * once the process is shutting down. JOSDK 5.2.1 calls {@code System.exit} inside its stop-leading
 * callback, and that callback also runs when SIGTERM stops the operator: called from the shutdown
 * hook, {@code System.exit} waits forever for that hook, so every graceful stop with leader
 * election on hung until the kubelet's SIGKILL (JOSDK issues #1614 and #3376, fixed upstream after
 * 5.2.1). {@link ai.smallest.atoms.operator.config.LeaderElectionProducer} therefore turns JOSDK's
 * exit off.
 */
@ApplicationScoped
public class Leadership {

  private final boolean enabled;
  private final String identity;
  private final String leaseName;
  private final Optional<String> leaseNamespace;
  private final Runnable exitAfterLostLease;
  private volatile boolean leading;
  private volatile boolean shuttingDown;

  @Inject
  public Leadership(OperatorConfig config) {
    this(
        config.leaderElection().enabled(),
        firstNonBlank(System.getenv("POD_NAME"), System.getenv("HOSTNAME"))
            .orElseGet(() -> UUID.randomUUID().toString()),
        leaseNameFor(config.leaderElection().leaseName(), config.shard()),
        config
            .leaderElection()
            .leaseNamespace()
            .filter(ns -> !ns.isBlank())
            .or(() -> firstNonBlank(System.getenv("POD_NAMESPACE"))));
  }

  public Leadership(
      boolean enabled, String identity, String leaseName, Optional<String> leaseNamespace) {
    this(enabled, identity, leaseName, leaseNamespace, Leadership::exitOnItsOwnThread);
  }

  /** With the action that ends the process when the Lease is lost (tests pass a recorder). */
  public Leadership(
      boolean enabled,
      String identity,
      String leaseName,
      Optional<String> leaseNamespace,
      Runnable exitAfterLostLease) {
    this.exitAfterLostLease = exitAfterLostLease;
    this.enabled = enabled;
    this.identity = identity;
    this.leaseName = leaseName;
    this.leaseNamespace = leaseNamespace;
  }

  /**
   * The Lease of a shard: {@code <lease-name>-<shard>}; the default instance (no shard) keeps
   * {@code <lease-name>}, so adding shards leaves its Lease, and its leader, as they were.
   */
  public static String leaseNameFor(String leaseName, Optional<String> shard) {
    return shard.filter(s -> !s.isBlank()).map(s -> leaseName + "-" + s).orElse(leaseName);
  }

  /** Whether leader election is on; when off, this replica always acts. */
  public boolean enabled() {
    return enabled;
  }

  /** The holder identity this replica writes into the Lease (pod name, else host name). */
  public String identity() {
    return identity;
  }

  public String leaseName() {
    return leaseName;
  }

  /** The Lease's namespace when configured or known from the pod; else the client's namespace. */
  public Optional<String> leaseNamespace() {
    return leaseNamespace;
  }

  /** Whether JOSDK last told this replica that it leads. */
  public boolean leading() {
    return leading;
  }

  /**
   * JOSDK's callbacks, keeping {@link #leading()} current and ending the process when the Lease is
   * lost while it is not shutting down anyway.
   */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> leading = true, this::stoppedLeading, newLeader -> {});
  }

  private void stoppedLeading() {
    leading = false;
    if (enabled && !shuttingDown) {
      exitAfterLostLease.run();
    }
  }

  /** Quarkus begins its shutdown (SIGTERM): stopping to lead is then expected, not a loss. */
  void onShutdown(@Observes ShutdownEvent event) {
    shuttingDown = true;
  }

  /**
   * A thread of its own: should a shutdown already be under way after all, {@code System.exit}
   * blocks only this daemon thread, never the shutdown hook that waits for the callback.
   */
  private static void exitOnItsOwnThread() {
    Thread exit = new Thread(() -> System.exit(1), "atoms-lost-lease-exit");
    exit.setDaemon(true);
    exit.start();
  }

  private static Optional<String> firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
