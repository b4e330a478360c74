package ai.smallest.atoms.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/**
 * The server has no RBAC: asked what a client may do (as JOSDK asks before leader election), it
 * answers everything, so an operator with leader election on runs against it.
 */
class ApiServerAuthorizationTest {

  @Test
  void aSelfSubjectRulesReviewAllowsEveryVerbOnEveryResource() {
    try (TestApi api = new TestApi();
        KubernetesClient client = api.client("operator/1.0")) {
      SelfSubjectRulesReview review =
          client
              .authorization()
              .v1()
              .selfSubjectRulesReview()
              .create(
                  new SelfSubjectRulesReviewBuilder()
                      .withNewSpec()
                      .withNamespace("default")
                      .endSpec()
                      .build());

      assertThat(review.getSpec().getNamespace()).isEqualTo("default");
      assertThat(review.getStatus().getIncomplete()).isFalse();
      ResourceRule rule = review.getStatus().getResourceRules().get(0);
      assertThat(rule.getVerbs()).containsExactly("*");
      assertThat(rule.getApiGroups()).containsExactly("*");
      assertThat(rule.getResources()).containsExactly("*");
    }
  }
}
