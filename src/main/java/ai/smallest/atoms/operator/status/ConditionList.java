package ai.smallest.atoms.operator.status;

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

  /**
   * Longest message a condition or Event carries: enough for any message of ours plus the API's
   * error text, while an API that answers with megabytes of text cannot inflate every object.
   */
  public static final int MAX_MESSAGE_LENGTH = 1024;

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
            // The CRD requires a message, as metav1.Condition does; it may be empty.
            .withMessage(message == null ? "" : bounded(message))
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

  /** {@code message} cut to {@link #MAX_MESSAGE_LENGTH} characters, marked with an ellipsis. */
  public static String bounded(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_LENGTH) {
      return message;
    }
    int end = MAX_MESSAGE_LENGTH - 1;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return message.substring(0, end) + "…";
  }

  public void remove(String type) {
    conditions.removeIf(c -> Objects.equals(type, c.getType()));
  }

  public List<Condition> toList() {
    return new ArrayList<>(conditions);
  }
}
