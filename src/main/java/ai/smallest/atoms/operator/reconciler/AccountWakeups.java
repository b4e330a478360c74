package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.atoms.AccountRateLimiter;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reconciles a release the moment its Atoms account sets a slot aside for it, so a busy account's
 * queue moves as fast as its slots free up, without any thread waiting for them ({@link
 * AccountRateLimiter}). Waiting releases are known by {@link #waiterOf} ("namespace/name").
 */
@ApplicationScoped
public class AccountWakeups {

  private final AccountRateLimiter limiter;

  public AccountWakeups(AccountRateLimiter limiter) {
    this.limiter = limiter;
  }

  /** The identity a release waits under in its account's queue. */
  static String waiterOf(AgentRelease release) {
    return release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
  }

  EventSource<Void, AgentRelease> eventSource(EventSourceContext<AgentRelease> context) {
    SimpleInboundEventSource<AgentRelease> wakeups =
        new SimpleInboundEventSource<>("account-wakeups");
    var releases = context.getPrimaryCache();
    limiter.onSlotSetAside(
        waiter -> {
          String key = (String) waiter;
          int slash = key.indexOf('/');
          ResourceID id = new ResourceID(key.substring(slash + 1), key.substring(0, slash));
          if (!wakeups.isRunning() || releases.get(id).isEmpty()) {
            return false; // deleted (or not started): the slot goes to the next in line
          }
          wakeups.propagateEvent(id);
          return true;
        });
    return wakeups;
  }
}
