package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue #12 point 3: what cluster admins allow each tenant namespace. */
class TenancyPolicyTest {

  private static AgentRelease release(String namespace, String agent) {
    return TestReleases.byNumber(namespace, "r", agent, 1, "atoms");
  }

  private static TenancyPolicy annotated(String value) {
    return new TenancyPolicy(
        List.of("*"),
        Duration.ofMinutes(1),
        ns -> Optional.of(Map.of(AgentRelease.ALLOWED_AGENTS_ANNOTATION, value)));
  }

  @Test
  void withoutTheAnnotationEveryAgentIsAllowed() {
    TenancyPolicy policy =
        new TenancyPolicy(List.of("*"), Duration.ofMinutes(1), ns -> Optional.of(Map.of()));
    assertThat(policy.refusal(release("team-a", "anything"))).isEmpty();
  }

  @Test
  void theAnnotationAllowsListedIdsAndPrefixGlobsOnly() {
    TenancyPolicy policy = annotated(" billing , team-a-* ");

    assertThat(policy.refusal(release("team-a", "billing"))).isEmpty();
    assertThat(policy.refusal(release("team-a", "team-a-support"))).isEmpty();
    assertThat(policy.refusal(release("team-a", "team-b-support"))).isPresent();
    assertThat(policy.refusal(release("team-a", "billing-2"))).isPresent();
  }

  @Test
  void anEmptyAnnotationAllowsNothing() {
    assertThat(annotated("").refusal(release("team-a", "billing"))).isPresent();
  }

  @Test
  void aNamespaceThatCannotBeReadFailsClosed() {
    TenancyPolicy policy =
        new TenancyPolicy(
            List.of("*"),
            Duration.ofMinutes(1),
            ns -> {
              throw new KubernetesClientException("forbidden", 403, null);
            });

    assertThat(policy.refusal(release("team-a", "billing")))
        .get()
        .asString()
        .contains("could not read namespace team-a")
        .contains("HTTP 403");
  }

  @Test
  void aNamespaceIsReadOncePerTimeToLive() {
    AtomicInteger reads = new AtomicInteger();
    TenancyPolicy policy =
        new TenancyPolicy(
            List.of("*"),
            Duration.ofHours(1),
            ns -> {
              reads.incrementAndGet();
              return Optional.of(Map.of());
            });

    for (int i = 0; i < 5; i++) {
      policy.refusal(release("team-a", "agent-" + i));
    }
    policy.refusal(release("team-b", "agent"));

    assertThat(reads).hasValue(2);
  }

  @Test
  void theDefaultKeyIsForTheListedNamespacesOrAll() {
    TenancyPolicy locked =
        new TenancyPolicy(List.of("platform"), Duration.ofMinutes(1), ns -> Optional.empty());
    TenancyPolicy open =
        new TenancyPolicy(List.of("*"), Duration.ofMinutes(1), ns -> Optional.empty());

    assertThat(locked.mayUseDefaultKey("platform")).isTrue();
    assertThat(locked.mayUseDefaultKey("team-a")).isFalse();
    assertThat(open.mayUseDefaultKey("team-a")).isTrue();
  }
}
