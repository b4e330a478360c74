package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import ai.smallest.atoms.operator.status.Outcome;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The JOSDK side of keeping one agent's live version equal to its AgentRelease; reads top to
 * bottom: deletions ({@link RestoreFinalizer}), skip when nothing is due, sync ({@link
 * ReleaseSync}), write status only if it changed, Events, metrics, reschedule. Only spec changes,
 * annotations and deletions trigger reconciles ({@link ReconcileTriggerFilter}, {@link
 * AllEventsOperatorProducer}), so our own status writes can never cause a second activation.
 */
@ControllerConfiguration(
    name = AgentReleaseReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true,
    informer =
        @Informer(
            onUpdateFilter = ReconcileTriggerFilter.class,
            informerListLimit = AgentReleaseReconciler.LIST_PAGE_SIZE))
public class AgentReleaseReconciler implements Reconciler<AgentRelease> {

  public static final String NAME = "agentrelease";

  /**
   * AgentReleases per page when the informer lists them (as client-go's reflector does), so a start
   * with 50,000 releases never holds one 50 MB answer (QOSDK 7.4 takes it only from the
   * annotation).
   */
  public static final long LIST_PAGE_SIZE = 500;

  private final ReleaseSync sync;
  private final ApiKeyResolver apiKeys;
  private final AccountWakeups wakeups;
  private final ReleaseIndex releases;
  private final RequeuePolicy requeue;
  private final ReleaseEvents events;
  private final StatusRecorder recorder;
  private final OperatorMetrics metrics;
  private final RestoreFinalizer restore;
  private final Clock clock;

  public AgentReleaseReconciler(
      ReleaseSync sync,
      ApiKeyResolver apiKeys,
      AccountWakeups wakeups,
      ReleaseIndex releases,
      RequeuePolicy requeue,
      ReleaseEvents events,
      StatusWriter statusWriter,
      OperatorMetrics metrics,
      RestoreFinalizer restore,
      OperatorConfig config,
      Clock clock) {
    this.sync = sync;
    this.apiKeys = apiKeys;
    this.wakeups = wakeups;
    this.releases = releases;
    this.requeue = requeue;
    this.events = events;
    this.recorder = new StatusRecorder(sync, requeue, statusWriter, config);
    this.metrics = metrics;
    this.restore = restore;
    this.clock = clock;
  }

  /** The watches besides the AgentReleases' own: {@link ReleaseEventSources}. */
  @Override
  public List<EventSource<?, AgentRelease>> prepareEventSources(
      EventSourceContext<AgentRelease> context) {
    return ReleaseEventSources.prepare(context, releases, apiKeys, wakeups, metrics);
  }

  @Override
  public UpdateControl<AgentRelease> reconcile(
      AgentRelease release, Context<AgentRelease> context) {
    // 0. Deleted, or being deleted: restore first if deletionPolicy says so.
    Optional<UpdateControl<AgentRelease>> deleting = restore.whileDeleting(release, context);
    if (deleting.isPresent()) {
      return deleting.get();
    }
    // 1. Quiet path: Ready for this spec, confirmed recently, no reconcile requested.
    Instant now = clock.instant();
    Optional<Duration> quietFor = requeue.quietFor(release, now);
    if (quietFor.isPresent()) {
      metrics.skipped();
      return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(quietFor.get());
    }
    restore.match(release, context); // the finalizer is there exactly while deletionPolicy Restore

    // 2. Validate, observe, decide, act; 3. write status, only when it changed.
    Outcome outcome = null;
    StatusRecorder.Change change;
    try {
      outcome = sync.sync(release, (r, intent) -> recorder.persistIntent(r, intent, context));
      change = recorder.write(release, outcome, now, context);
    } catch (LookAgainLater later) {
      Optional<StatusRecorder.Change> recorded =
          recorder.recordDespiteLostRace(later, release, outcome, now, context);
      if (recorded.isEmpty()) {
        // Another writer got there first, or the account or agent is busy: no news, no Event.
        return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(later.after());
      }
      change = recorded.get();
    }

    // 4. Events, metrics, next look.
    releases.noteOutcome(release, outcome.reason());
    metrics.reconciled(outcome, change.after());
    events.record(release, change.before(), change.after(), outcome);
    UpdateControl<AgentRelease> control = UpdateControl.noUpdate();
    return requeue.after(release, outcome).map(control::rescheduleAfter).orElse(control);
  }

  @Override
  public ErrorStatusUpdateControl<AgentRelease> updateErrorStatus(
      AgentRelease release, Context<AgentRelease> context, Exception e) {
    Optional<AgentReleaseStatus> after =
        ReconcileFailures.outcomeOf(e)
            .filter(failure -> !RestoreFinalizer.gone(context))
            .map(outcome -> recorder.next(release, outcome, clock.instant()))
            .filter(status -> !status.equals(release.getStatus()));
    if (after.isEmpty()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    release.setStatus(after.get());
    return ErrorStatusUpdateControl.patchStatus(release);
  }
}
