package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.status.StatusCalculator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The JOSDK side of deletionPolicy Restore: the finalizer {@value AgentRelease#RESTORE_FINALIZER}
 * is on a release exactly while its policy is Restore (added and removed here, never by JOSDK,
 * which would put its own finalizer on every release), and a release being deleted with it is
 * handed to {@link RestoreOnDelete} until that lets it go.
 */
@ApplicationScoped
public class RestoreFinalizer {

  /** Adds or removes the finalizer on the stored object; a fake in unit tests. */
  public interface Finalizers {
    /** The object as stored after the change. */
    AgentRelease add(AgentRelease release, Context<AgentRelease> context);

    AgentRelease remove(AgentRelease release, Context<AgentRelease> context);
  }

  /** JOSDK's conflict-retrying finalizer patches. */
  static final Finalizers JOSDK =
      new Finalizers() {
        @Override
        public AgentRelease add(AgentRelease release, Context<AgentRelease> context) {
          return PrimaryUpdateAndCacheUtils.addFinalizer(
              context.getClient(), release, AgentRelease.RESTORE_FINALIZER);
        }

        @Override
        public AgentRelease remove(AgentRelease release, Context<AgentRelease> context) {
          return PrimaryUpdateAndCacheUtils.removeFinalizer(
              context.getClient(), release, AgentRelease.RESTORE_FINALIZER);
        }
      };

  private final RestoreOnDelete restore;
  private final Finalizers finalizers;
  private final ReleaseEvents events;
  private final StatusWriter statusWriter;
  private final RequeuePolicy requeue;
  private final RetryBackoff backoff;
  private final OperatorConfig config;
  private final Clock clock;

  @Inject
  public RestoreFinalizer(
      RestoreOnDelete restore,
      ReleaseEvents events,
      StatusWriter statusWriter,
      RequeuePolicy requeue,
      RetryBackoff backoff,
      OperatorConfig config,
      Clock clock) {
    this(restore, JOSDK, events, statusWriter, requeue, backoff, config, clock);
  }

  RestoreFinalizer(
      RestoreOnDelete restore,
      Finalizers finalizers,
      ReleaseEvents events,
      StatusWriter statusWriter,
      RequeuePolicy requeue,
      RetryBackoff backoff,
      OperatorConfig config,
      Clock clock) {
    this.restore = restore;
    this.finalizers = finalizers;
    this.events = events;
    this.statusWriter = statusWriter;
    this.requeue = requeue;
    this.backoff = backoff;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Puts the finalizer on, or takes it off, to match spec.deletionPolicy; {@code release} then
   * carries the stored object's finalizers and resourceVersion, the base of later writes.
   */
  public void match(AgentRelease release, Context<AgentRelease> context) {
    boolean wanted = release.getSpec() != null && release.getSpec().restoresOnDelete();
    if (wanted == release.hasFinalizer(AgentRelease.RESTORE_FINALIZER)) {
      return;
    }
    AgentRelease stored =
        wanted ? finalizers.add(release, context) : finalizers.remove(release, context);
    release.getMetadata().setFinalizers(stored.getMetadata().getFinalizers());
    release.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
  }

  /** Whether the release no longer exists (a delete event: all events reach the reconciler). */
  static boolean gone(Context<AgentRelease> context) {
    return context != null && context.isPrimaryResourceDeleted();
  }

  /**
   * What to do with a release that is gone (nothing) or being deleted (restore first, when it is
   * ours to restore); empty for any other release.
   */
  public Optional<UpdateControl<AgentRelease>> whileDeleting(
      AgentRelease release, Context<AgentRelease> context) {
    if (gone(context)) {
      backoff.reset(release.getMetadata().getUid());
      return Optional.of(UpdateControl.noUpdate());
    }
    return release.isMarkedForDeletion()
        ? Optional.of(onDelete(release, context))
        : Optional.empty();
  }

  /** A release being deleted: restore if it is ours to restore, then let it go. */
  UpdateControl<AgentRelease> onDelete(AgentRelease release, Context<AgentRelease> context) {
    if (!release.hasFinalizer(AgentRelease.RESTORE_FINALIZER)) {
      return UpdateControl.noUpdate(); // Orphan: deleting it changes nothing on Atoms
    }
    String uid = release.getMetadata().getUid();
    RestoreOnDelete.Result result;
    try {
      result = restore.restore(release);
    } catch (LookAgainLater later) {
      return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(later.after());
    }
    if (result instanceof RestoreOnDelete.Done done) {
      events.emit(release, done.event(), done.message());
      finalizers.remove(release, context);
      backoff.reset(uid);
      return UpdateControl.noUpdate();
    }
    RestoreOnDelete.Retry retry = (RestoreOnDelete.Retry) result;
    AgentReleaseStatus before = release.getStatus();
    AgentReleaseStatus after =
        StatusCalculator.next(
            release,
            retry.outcome(),
            clock.instant(),
            requeue.timing(release),
            config.historyLimit());
    after.setRestoreAttempts(retry.attempts() == 0 ? null : retry.attempts());
    events.record(release, before, after, retry.outcome());
    if (!after.equals(before)) {
      statusWriter.write(release, after, context);
    }
    // Waiting for a window: exactly then. Any failure: the transient backoff, whatever the reason,
    // so that max-attempts bounds how long the deletion waits.
    Duration next =
        retry.outcome().reason().requeue() == Reason.Requeue.SCHEDULED
            ? requeue.after(release, retry.outcome()).orElseThrow()
            : backoff.nextDelay(uid, retry.outcome().retryAfter());
    return UpdateControl.<AgentRelease>noUpdate().rescheduleAfter(next);
  }
}
