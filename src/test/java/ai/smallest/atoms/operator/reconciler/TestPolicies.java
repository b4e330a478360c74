package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.config.Leadership;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Policies for tests that do not exercise them: no leader election, no tenancy restrictions. */
final class TestPolicies {

  static final LeaseFence NO_LEADER_ELECTION =
      new LeaseFence(
          new Leadership(false, "test", "lease", Optional.empty()),
          () -> {
            throw new AssertionError("leader election is off: the Lease must not be read");
          },
          Clock.systemUTC());

  static final TenancyPolicy OPEN_TENANCY =
      new TenancyPolicy(List.of("*"), Duration.ofSeconds(30), namespace -> Optional.empty());

  private TestPolicies() {}
}
