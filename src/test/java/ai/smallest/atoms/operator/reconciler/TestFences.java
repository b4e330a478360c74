package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.config.Leadership;
import java.time.Clock;
import java.util.Optional;

/** Lease fences for tests that do not exercise leader election. */
final class TestFences {

  static final LeaseFence NO_LEADER_ELECTION =
      new LeaseFence(
          new Leadership(false, "test", "lease", Optional.empty()),
          () -> {
            throw new AssertionError("leader election is off: the Lease must not be read");
          },
          Clock.systemUTC());

  private TestFences() {}
}
