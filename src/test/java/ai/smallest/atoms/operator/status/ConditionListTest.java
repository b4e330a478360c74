package ai.smallest.atoms.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.api.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionListTest {

  @Test
  void aConditionSetWithoutMessageCarriesAnEmptyOneAsTheCrdRequires() {
    ConditionList conditions = new ConditionList(List.of());
    conditions.set(
        Conditions.READY, Conditions.FALSE, "Suspended", null, 3L, "2024-05-01T10:00:00Z");

    Condition ready = conditions.get(Conditions.READY).orElseThrow();
    assertThat(ready.getMessage()).isEmpty();
    assertThat(ready.getReason()).isEqualTo("Suspended");
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void theTransitionTimeMovesOnlyWhenTheStatusChanges() {
    ConditionList conditions = new ConditionList(List.of());
    conditions.set(Conditions.READY, Conditions.FALSE, "ApiUnavailable", "m", 1L, "t1");
    conditions.set(Conditions.READY, Conditions.FALSE, "RateLimited", "m2", 1L, "t2");
    assertThat(conditions.get(Conditions.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo("t1");
    conditions.set(Conditions.READY, Conditions.TRUE, "Activated", "m3", 1L, "t3");
    assertThat(conditions.get(Conditions.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo("t3");
  }
}
