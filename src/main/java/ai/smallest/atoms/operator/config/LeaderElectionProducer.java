package ai.smallest.atoms.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;

/**
 * quarkus-operator-sdk looks this bean up in the prod profile: a configuration turns on JOSDK's
 * Lease-based leader election, null leaves it off. Standbys keep their caches warm and take over
 * when the Lease expires; they do not repeat activations, because reconcile only activates a
 * version that Atoms reports inactive.
 */
@ApplicationScoped
public class LeaderElectionProducer {

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(OperatorConfig config) {
    return fromConfig(config.leaderElection(), Optional.ofNullable(System.getenv("POD_NAMESPACE")));
  }

  static LeaderElectionConfiguration fromConfig(
      OperatorConfig.LeaderElection settings, Optional<String> podNamespace) {
    if (!settings.enabled()) {
      return null;
    }
    Optional<String> namespace =
        settings
            .leaseNamespace()
            .filter(ns -> !ns.isBlank())
            .or(() -> podNamespace.filter(ns -> !ns.isBlank()));
    return namespace
        .map(ns -> new LeaderElectionConfiguration(settings.leaseName(), ns))
        .orElseGet(() -> new LeaderElectionConfiguration(settings.leaseName()));
  }
}
