package ai.smallest.atoms.operator.status;

import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-convention condition bookkeeping: {@code lastTransitionTime} moves only when a
 * condition's status changes, and every condition carries the generation it describes.
 */
public final class ConditionList {

  private final List<Condition> conditions;

  public ConditionList(List<Condition> existing) {
    this.conditions = new ArrayList<>();
    if (existing != null) {
      existing.forEach(c -> conditions.add(new ConditionBuilder(c).build()));
    }
  }

  public Optional<Condition> get(String type) {
    return find(conditions, type);
  }

  /**
   * The Ready condition of a stored status, for read-only checks: looked up in place, without the
   * copy a ConditionList makes (the metrics gauges run this for every release on every scrape).
   */
  public static Optional<Condition> readyOf(AgentReleaseStatus status) {
    return status == null ? Optional.empty() : find(status.getConditions(), Conditions.READY);
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  public void set(
      String type, String status, String reason, String message, Long generation, String now) {
    Optional<Condition> current = get(type);
    String transitionTime =
        current
            .filter(c -> Objects.equals(status, c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transitionTime)
            .build();
    int index = current.map(conditions::indexOf).orElse(-1);
    if (index >= 0) {
      conditions.set(index, updated);
    } else {
      conditions.add(updated);
    }
  }

  public void remove(String type) {
    conditions.removeIf(c -> Objects.equals(type, c.getType()));
  }

  public List<Condition> toList() {
    return new ArrayList<>(conditions);
  }
}
