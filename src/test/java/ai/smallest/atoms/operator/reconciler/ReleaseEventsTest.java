package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.Leadership;
import ai.smallest.atoms.operator.status.ConditionList;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.V1APIGroupDSL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ReleaseEventsTest {

  private final KubernetesClient kubernetes = mock(KubernetesClient.class);

  @SuppressWarnings("unchecked")
  private final NonNamespaceOperation<Event, EventList, Resource<Event>> inNamespace =
      mock(NonNamespaceOperation.class);

  private final ReleaseEvents events =
      new ReleaseEvents(
          kubernetes,
          Clock.systemUTC(),
          new Leadership(false, "atoms-operator-7d9f-x2", "lease", Optional.empty()));

  @SuppressWarnings("unchecked")
  private Event recorded(AgentRelease release, Outcome outcome) {
    V1APIGroupDSL v1 = mock(V1APIGroupDSL.class);
    MixedOperation<Event, EventList, Resource<Event>> all = mock(MixedOperation.class);
    when(kubernetes.v1()).thenReturn(v1);
    when(v1.events()).thenReturn(all);
    when(all.inNamespace(any())).thenReturn(inNamespace);
    when(inNamespace.resource(any())).thenReturn(mock(Resource.class));
    var after = StatusCalculator.next(release, outcome, Instant.now(), Duration.ofMinutes(10), 10);
    events.record(release, null, after, outcome);
    ArgumentCaptor<Event> event = ArgumentCaptor.forClass(Event.class);
    verify(inNamespace).resource(event.capture());
    return event.getValue();
  }

  @Test
  void eventsNameTheReportingControllerAndThePodThatSaidIt() {
    Event event =
        recorded(
            TestReleases.byNumber("ns", "support", "agent-1", 2, "atoms"),
            Outcome.notReady(Reason.SecretNotFound, "Secret ns/atoms not found"));

    assertThat(event.getReportingComponent()).isEqualTo("atoms.smallest.ai/atoms-operator");
    assertThat(event.getReportingInstance()).isEqualTo("atoms-operator-7d9f-x2");
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("SecretNotFound");
  }

  @Test
  void eventNamesAndMessagesStayWithinTheirLimits() {
    String longName = "a".repeat(250) + "-b";
    Event event =
        recorded(
            TestReleases.byNumber("ns", longName, "agent-1", 2, "atoms"),
            Outcome.notReady(Reason.BadRequest, "x".repeat(100_000)));

    assertThat(event.getMetadata().getName())
        .hasSizeLessThanOrEqualTo(253)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    assertThat(event.getMessage()).hasSizeLessThanOrEqualTo(ConditionList.MAX_MESSAGE_LENGTH);
  }
}
