package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.config.Leadership;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Only the holder of the Lease activates. Checked right before each activate call, from the Lease
 * itself (one read per activation, which is rare) rather than from memory: a replica paused past
 * its lease (a long GC, a frozen node) still believes it leads, while another replica has taken
 * over and may already have acted on a newer spec.
 */
@ApplicationScoped
public class LeaseFence {

  /** The activation was refused: this replica does not hold the Lease. */
  public static final class NotLeaderException extends RuntimeException {
    NotLeaderException(String message) {
      super(message);
    }
  }

  private final Leadership leadership;
  private final Supplier<Lease> currentLease;
  private final Clock clock;

  @Inject
  public LeaseFence(Leadership leadership, KubernetesClient kubernetes, Clock clock) {
    this(
        leadership,
        () ->
            kubernetes
                .leases()
                .inNamespace(
                    leadership
                        .leaseNamespace()
                        .orElseGet(() -> kubernetes.getConfiguration().getNamespace()))
                .withName(leadership.leaseName())
                .get(),
        clock);
  }

  LeaseFence(Leadership leadership, Supplier<Lease> currentLease, Clock clock) {
    this.leadership = leadership;
    this.currentLease = currentLease;
    this.clock = clock;
  }

  /** Throws {@link NotLeaderException} unless this replica holds an unexpired Lease. */
  public void check() {
    if (!leadership.enabled()) {
      return;
    }
    if (!leadership.leading()) {
      throw new NotLeaderException("this replica is not the leader");
    }
    Lease lease = currentLease.get();
    LeaseSpec spec = lease == null ? null : lease.getSpec();
    if (spec == null || !leadership.identity().equals(spec.getHolderIdentity())) {
      throw new NotLeaderException(
          "the Lease "
              + leadership.leaseName()
              + " is held by "
              + (spec == null ? "nobody" : spec.getHolderIdentity()));
    }
    if (expired(spec)) {
      throw new NotLeaderException("this replica's Lease " + leadership.leaseName() + " expired");
    }
  }

  private boolean expired(LeaseSpec spec) {
    if (spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return true;
    }
    try {
      Instant renewed = spec.getRenewTime().toInstant();
      Duration duration = Duration.ofSeconds(spec.getLeaseDurationSeconds());
      return !clock.instant().isBefore(renewed.plus(duration));
    } catch (RuntimeException unreadable) {
      return true;
    }
  }
}
