package ai.smallest.atoms.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.CRDUtils;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The JOSDK Operator, built as quarkus-operator-sdk's own (default) producer builds it, with one
 * difference: the AgentRelease controller runs with {@code triggerReconcilerOnAllEvents}.
 *
 * <p>Why: deletionPolicy Restore needs the reconciler to see a release that is being deleted, and
 * only releases with that policy may carry a finalizer. JOSDK calls a reconciler for deletions
 * either as a {@code Cleaner} (then JOSDK puts its finalizer on every release) or with
 * triggerReconcilerOnAllEvents, where the reconciler manages its own finalizers (JOSDK's documented
 * pattern for selective finalizers). quarkus-operator-sdk 7.4 reads that annotation attribute but
 * drops it when it builds the runtime configuration (QuarkusControllerConfiguration has no such
 * field), so it is set here on a copy of the configuration Quarkus built (name, namespaces,
 * filters, retry, intervals, all unchanged). Remove this class once quarkus-operator-sdk passes the
 * attribute on; the e2e tests of deletionPolicy Restore fail if deletions stop reaching the
 * reconciler.
 */
@Singleton
public class AllEventsOperatorProducer {

  @Produces
  @ApplicationScoped
  Operator operator(
      QuarkusConfigurationService configuration,
      Instance<Reconciler<? extends HasMetadata>> reconcilers) {
    var crdInfo = configuration.getCRDGenerationInfo();
    if (crdInfo.isApplyCRDs()) {
      for (String generated : crdInfo.getGenerated()) {
        CRDUtils.applyCRD(configuration.getKubernetesClient(), crdInfo, generated);
      }
    }
    Operator operator = new Operator(configuration);
    for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
      register(operator, configuration, reconciler);
    }
    int termination = configuration.getTerminationTimeoutSeconds();
    if (termination != QuarkusConfigurationService.UNSET_TERMINATION_TIMEOUT_SECONDS) {
      operator.installShutdownHook(Duration.ofSeconds(termination));
    }
    return operator;
  }

  private static <P extends HasMetadata> void register(
      Operator operator, QuarkusConfigurationService configuration, Reconciler<P> reconciler) {
    QuarkusControllerConfiguration<P> built = configuration.getConfigurationFor(reconciler);
    if (built == null || !AgentReleaseReconciler.NAME.equals(built.getName())) {
      operator.register(reconciler);
      return;
    }
    operator.register(reconciler, new AllEvents<>(built, configuration));
  }

  /**
   * The configuration quarkus-operator-sdk built, field for field (as its own producer copies it
   * for a ConfigurableReconciler), plus triggerReconcilerOnAllEvents. It must stay a
   * QuarkusControllerConfiguration: quarkus-operator-sdk casts to it when JOSDK builds the
   * controller.
   */
  static final class AllEvents<P extends HasMetadata> extends QuarkusControllerConfiguration<P> {

    AllEvents(QuarkusControllerConfiguration<P> built, QuarkusConfigurationService parent) {
      super(
          built.getInformerConfig(),
          built.getName(),
          built.isGenerationAware(),
          built.getAssociatedReconcilerClassName(),
          built.getRetry(),
          built.getRateLimiter(),
          built.maxReconciliationInterval().orElse(null),
          built.getFinalizerName(),
          built.fieldManager(),
          built.getWorkflow(),
          built.getResourceTypeName(),
          built.getResourceClass());
      setParent(parent);
    }

    @Override
    public boolean triggerReconcilerOnAllEvents() {
      return true;
    }
  }
}
