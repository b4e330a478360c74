package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.PendingActivation;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.metrics.OperatorMetrics;
import ai.smallest.atoms.operator.status.Outcome;
import ai.smallest.atoms.operator.status.StatusCalculator;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JOSDK side of keeping one agent's live version equal to its AgentRelease; reads top to
 * bottom: deletions ({@link RestoreFinalizer}), skip when nothing is due, sync ({@link
 * ReleaseSync}), write status only if it changed, Events, metrics, reschedule. Only spec changes,
 * annotations and deletions trigger reconciles ({@link ReconcileTriggerFilter}, {@link
 * AllEventsOperatorProducer}), so our own status writes can never cause a second activation.
 *
 * <p>The informer lists AgentReleases in pages of {@value #LIST_PAGE_SIZE} (as client-go's
 * reflector does), so a start with 50,000 releases never holds one 50 MB answer in memory. (A
 * quarkus-operator-sdk 7.4 controller takes the page size only from this annotation.)
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

  /** AgentReleases per page when the informer lists them. */
  public static final long LIST_PAGE_SIZE = 500;

  private final ReleaseSync sync;
  private final ApiKeyResolver apiKeys;
  private final AccountWakeups wakeups;
  private final ReleaseIndex releases;
  private final RequeuePolicy requeue;
  private final ReleaseEvents events;
  private final StatusWriter statusWriter;
  private final OperatorMetrics metrics;
  private final RestoreFinalizer restore;
  private final OperatorConfig config;
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
    this.statusWriter = statusWriter;
    this.metrics = metrics;
    this.restore = restore;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Indexes releases by agent and by Secret, watches Secrets so a new or rotated key is used at
   * once, and wakes a release waiting for its Atoms account when a slot is set aside for it. A
   * shard (a controller with a label selector) also watches every shard's releases, for the
   * cluster-wide one-release-per-agent rule ({@link AllShardsWatch}).
   */
  @Override
  public List<EventSource<?, AgentRelease>> prepareEventSources(
      EventSourceContext<AgentRelease> context) {
    releases.attach(context.getPrimaryCache());
    metrics.countReleasesFrom(releases::all);
    var secrets = SecretWatch.eventSource(context, releases, apiKeys::forget);
    apiKeys.useInformerCache(secrets::get);
    var allShards = AllShardsWatch.eventSources(context, releases);
    List<EventSource<?, AgentRelease>> sources = new ArrayList<>();
    sources.add(secrets);
    sources.add(wakeups.eventSource(context));
    sources.addAll(allShards);
    return sources;
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
    AgentReleaseStatus before;
    AgentReleaseStatus after;
    try {
      outcome = sync.sync(release, (r, intent) -> persistIntent(r, intent, context));
      before = release.getStatus(); // with the intent, when one was written
      after = nextStatus(release, outcome, now);
      if (!after.equals(before)) {
        statusWriter.write(release, after, context);
      }
    } catch (LookAgainLater later) {
      Optional<Recorded> recorded =
          later instanceof CachingStatusWriter.StatusWriteConflict
                  && outcome != null
                  && outcome.activatedNow()
              ? recordOnLatest(release, outcome, now, context)
              : Optional.empty();
      if (recorded.isEmpty()) {
        // Another writer got there first, or the account or agent is busy: no news, no Event.
        return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(later.after());
      }
      before = recorded.get().before();
      after = recorded.get().after();
    }

    // 4. Events, metrics, next look.
    releases.noteOutcome(release, outcome.reason());
    metrics.reconciled(outcome, after);
    events.record(release, before, after, outcome);
    UpdateControl<AgentRelease> control = UpdateControl.noUpdate();
    return requeue.after(release, outcome).map(control::rescheduleAfter).orElse(control);
  }

  @Override
  public ErrorStatusUpdateControl<AgentRelease> updateErrorStatus(
      AgentRelease release, Context<AgentRelease> context, Exception e) {
    Optional<AgentReleaseStatus> after =
        ReconcileFailures.outcomeOf(e)
            .filter(failure -> !RestoreFinalizer.gone(context))
            .map(outcome -> nextStatus(release, outcome, clock.instant()))
            .filter(status -> !status.equals(release.getStatus()));
    if (after.isEmpty()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    release.setStatus(after.get());
    return ErrorStatusUpdateControl.patchStatus(release);
  }

  private record Recorded(AgentReleaseStatus before, AgentReleaseStatus after) {}

  /** How often an activation that landed is written again after its status write lost a race. */
  static final int RECORD_ATTEMPTS = 3;

  /**
   * The activation landed but the status write that records it lost a race (a 409: a spec edit, or
   * another writer). Looking again later is not enough: by then the spec may ask for another
   * version, or someone may have made another version live, and the next activation would replace
   * the intent, so the record of this one would be lost. It is written again on the object as
   * stored now, for the generation it served, a bounded number of times.
   *
   * @return the status before and after the write that recorded it, or empty when it could not be
   *     written
   */
  private Optional<Recorded> recordOnLatest(
      AgentRelease release, Outcome outcome, Instant now, Context<AgentRelease> context) {
    for (int attempt = 0; attempt < RECORD_ATTEMPTS; attempt++) {
      Optional<AgentRelease> latest = statusWriter.latest(release, context);
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      AgentRelease stored = latest.get();
      Long storedFor =
          stored.getStatus() == null ? null : stored.getStatus().getObservedGeneration();
      Long served = release.getMetadata().getGeneration();
      if (storedFor != null && served != null && storedFor > served) {
        return Optional.empty(); // a newer look already wrote status: nothing to add to it
      }
      // The spec and generation this activation served, with the status as stored now.
      AgentRelease view = new AgentRelease();
      view.setMetadata(release.getMetadata());
      view.setSpec(release.getSpec());
      view.setStatus(stored.getStatus());
      AgentReleaseStatus after = nextStatus(view, outcome, now);
      try {
        statusWriter.write(stored, after, context);
        return Optional.of(new Recorded(stored.getStatus(), after));
      } catch (CachingStatusWriter.StatusWriteConflict again) {
        // Raced once more: read again.
      }
    }
    return Optional.empty();
  }

  /** Writes the intent, and makes the write the base of this reconcile's final status write. */
  private void persistIntent(
      AgentRelease release, PendingActivation intent, Context<AgentRelease> context) {
    AgentReleaseStatus withIntent = StatusCalculator.withPendingActivation(release, intent);
    AgentRelease written = statusWriter.write(release, withIntent, context);
    release.setStatus(withIntent);
    release.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
  }

  private AgentReleaseStatus nextStatus(AgentRelease release, Outcome outcome, Instant now) {
    Duration resync = requeue.resyncInterval(release);
    int history = sync.historyLimit(release, config.historyLimit());
    return StatusCalculator.next(release, outcome, now, resync, history);
  }
}
