package ai.smallest.atoms.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/**
 * This replica's part in leader election: who it is, which Lease it competes for, and whether it
 * leads right now (from JOSDK's callbacks). The activation fence reads it before every activate
 * call, so a replica that lost its Lease cannot finish an activation decided on an old view.
 */
@ApplicationScoped
public class Leadership {

  private final boolean enabled;
  private final String identity;
  private final String leaseName;
  private final Optional<String> leaseNamespace;
  private volatile boolean leading;

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

  /** JOSDK's callbacks, keeping {@link #leading()} current. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> leading = true, () -> leading = false, newLeader -> {});
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
