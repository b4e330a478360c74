package ai.smallest.atoms.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The releases-by-reason gauges count the cache once per scrape, whatever the number of reasons.
 */
class ReleaseGaugesTest {

  private static AgentRelease withReason(String name, String reason) {
    AgentRelease release = TestReleases.byNumber("team-a", name, "agent-" + name, 1, "key");
    if (reason != null) {
      AgentReleaseStatus status = new AgentReleaseStatus();
      status.setConditions(
          List.of(new ConditionBuilder().withType("Ready").withReason(reason).build()));
      release.setStatus(status);
    }
    return release;
  }

  @Test
  void everyReasonOfAScrapeIsCountedFromOnePassOverTheCache() {
    List<AgentRelease> cache =
        new ArrayList<>(
            List.of(
                withReason("a", "UpToDate"),
                withReason("b", "UpToDate"),
                withReason("c", "Conflict"),
                withReason("d", null)));
    AtomicInteger passes = new AtomicInteger();
    AtomicLong clock = new AtomicLong();
    ReleaseGauges gauges =
        new ReleaseGauges(
            () -> {
              passes.incrementAndGet();
              return cache.stream();
            },
            clock::get);

    assertThat(gauges.count("UpToDate")).isEqualTo(2);
    assertThat(gauges.count("Conflict")).isEqualTo(1);
    assertThat(gauges.count(ReleaseGauges.NO_STATUS)).isEqualTo(1);
    for (String reason : ReleaseGauges.reasons()) {
      gauges.count(reason);
    }
    assertThat(gauges.count("Activated")).isZero();
    assertThat(passes).hasValue(1);

    cache.add(withReason("e", "Conflict"));
    clock.addAndGet(ReleaseGauges.REUSE_NANOS + 1);
    assertThat(gauges.count("Conflict")).as("the next scrape counts again").isEqualTo(2);
    assertThat(passes).hasValue(2);
  }
}
