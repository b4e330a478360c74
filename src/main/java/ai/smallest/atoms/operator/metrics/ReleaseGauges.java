package ai.smallest.atoms.operator.metrics;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Conditions;
import ai.smallest.atoms.operator.reconciler.ReleaseIndex;
import ai.smallest.atoms.operator.status.ConditionList;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code atoms_operator_agentreleases{ready_reason}}: how many releases carry each Ready reason,
 * counted from the operator's cache at scrape time, so deleted releases need no bookkeeping.
 */
@Startup
@ApplicationScoped
public class ReleaseGauges {

  static final String NO_STATUS = "NoStatus";

  public ReleaseGauges(OperatorMetrics metrics, ReleaseIndex releases) {
    List<String> reasons = new ArrayList<>(Conditions.Reasons.readyReasons());
    reasons.add(NO_STATUS);
    for (String reason : reasons) {
      Gauge.builder(
              OperatorMetrics.RELEASES,
              releases,
              index -> index.all().filter(r -> reason.equals(readyReason(r))).count())
          .description("AgentReleases by the reason of their Ready condition")
          .tag("ready_reason", reason)
          // The index is a CDI proxy nobody else holds on to here: keep it from being collected.
          .strongReference(true)
          .register(metrics.registry());
    }
  }

  static String readyReason(AgentRelease release) {
    return ConditionList.readyOf(release.getStatus()).map(Condition::getReason).orElse(NO_STATUS);
  }
}
