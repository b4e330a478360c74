package ai.smallest.atoms.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * quarkus-operator-sdk looks this bean up in the prod profile: a configuration turns on JOSDK's
 * Lease-based leader election, null leaves it off. Standbys keep their caches warm and take over
 * when the Lease expires; they do not repeat activations, because reconcile only activates a
 * version that Atoms reports inactive, and a replica that lost the Lease is fenced off from
 * activating (see {@link Leadership}), which also ends the process when the Lease is lost.
 */
@ApplicationScoped
public class LeaderElectionProducer {

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(Leadership leadership) {
    return fromLeadership(leadership);
  }

  static LeaderElectionConfiguration fromLeadership(Leadership leadership) {
    if (!leadership.enabled()) {
      return null;
    }
    return new LeaderElectionConfiguration(
        leadership.leaseName(),
        leadership.leaseNamespace().orElse(null),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        leadership.identity(),
        leadership.callbacks(),
        // Not JOSDK's exit: it deadlocks a graceful stop in 5.2.1; Leadership exits instead.
        false);
  }
}
