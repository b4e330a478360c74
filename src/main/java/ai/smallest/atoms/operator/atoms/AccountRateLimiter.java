package ai.smallest.atoms.operator.atoms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Client-side politeness per Atoms account, shared by every release whose key belongs to it: at
 * most {@code concurrency} syncs at a time, and on average at most {@code requestsPerSecond}
 * request starts per second. It never makes a thread wait. A sync that may not start now gets a
 * {@link Admission#delay() delay} instead, and the caller looks again later, so one slow or
 * saturated account costs its own releases time and never another account's (client-go's workqueue
 * rate limiters work the same way: the item is re-queued with a delay, no worker sleeps).
 *
 * <ul>
 *   <li><b>Concurrency.</b> A sync holds one of its account's slots from {@link #tryStart} until it
 *       closes its {@link Permit}. When all are taken, the release joins the account's queue (first
 *       come, first served). A freed slot is set aside for the head of the queue and {@link
 *       #onSlotSetAside the caller is told} (the operator then reconciles that release at once);
 *       nobody else can take it meanwhile, so no release of a busy account starves. A slot set
 *       aside for a release that never comes back (deleted, or moved to another key) returns after
 *       {@link #CLAIM_TIMEOUT}.
 *   <li><b>Rate.</b> Starts are reserved, not slept for: the first request of a sync must find the
 *       account's next start slot due, else the release waits exactly until it is (its concurrency
 *       slot stays set aside); follow-up requests of the same sync borrow later slots at once, and
 *       the next sync waits for what they borrowed, so the average rate holds.
 * </ul>
 *
 * Accounts are known by {@link AccountId} (a digest), never by the key, and forgotten once idle.
 * The few lines of state here are hand-written rather than a cache library's: an entry must never
 * be evicted while a sync holds one of its slots.
 */
public class AccountRateLimiter {

  /** How long a slot set aside for a woken release waits for it to come and take it. */
  public static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A queued release looks again after this even without a wake-up: a safety net only, the wake-up
   * normally comes first.
   */
  public static final Duration QUEUED_RECHECK = Duration.ofSeconds(30);

  /** Monotonic time source, replaceable in tests. */
  public interface Ticker {
    long nanos();
  }

  /** Whether a sync may start now: a permit to close when done, or how long to wait. */
  public record Admission(Permit permit, Duration delay) {
    public boolean admitted() {
      return permit != null;
    }
  }

  private static final int SWEEP_MINIMUM = 64;

  private final long intervalNanos;
  private final int concurrency;
  private final Ticker ticker;
  private final Map<AccountId, Account> accounts = new ConcurrentHashMap<>();
  private final AtomicInteger sweepAbove = new AtomicInteger(SWEEP_MINIMUM);
  private volatile Predicate<Object> wake = waiter -> false;

  public AccountRateLimiter(double requestsPerSecond, int concurrency) {
    this(requestsPerSecond, concurrency, System::nanoTime);
  }

  public AccountRateLimiter(double requestsPerSecond, int concurrency, Ticker ticker) {
    if (requestsPerSecond <= 0 || concurrency <= 0) {
      throw new IllegalArgumentException("rate limit and concurrency must be positive");
    }
    this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
    this.concurrency = concurrency;
    this.ticker = ticker;
  }

  /**
   * Who to tell when a slot is set aside for a queued {@code waiter}: it should come back at once.
   * Returns false when the waiter is gone, and the slot goes to the next in the queue.
   */
  public void onSlotSetAside(Predicate<Object> wake) {
    this.wake = wake;
  }

  /**
   * Starts a sync of {@code waiter} (the caller's identity of what waits, compared with equals) on
   * {@code account} now, or says how long to wait before trying again.
   */
  public Admission tryStart(AccountId account, Object waiter) {
    if (accounts.size() > sweepAbove.get()) {
      sweepIdleAccounts();
    }
    List<Object> woken = new ArrayList<>();
    Admission admission;
    while (true) {
      Account state = accounts.computeIfAbsent(account, Account::new);
      synchronized (state) {
        if (!state.retired) {
          admission = state.tryStart(waiter, ticker.nanos(), woken);
          break;
        }
      }
    }
    wakeUp(account, woken);
    return admission;
  }

  /**
   * Counts the start of one request against {@code account}'s rate: the first request of a sync
   * uses the start reserved when it was admitted, later ones borrow the next slots. Never waits.
   */
  public void reserveRequest(AccountId account) {
    while (true) {
      Account state = accounts.computeIfAbsent(account, Account::new);
      synchronized (state) {
        if (!state.retired) {
          state.reserveRequest(ticker.nanos());
          return;
        }
      }
    }
  }

  /** Releases waiting in a queue or for a slot set aside for them, over all accounts. */
  public int waiting() {
    int count = 0;
    for (Account state : accounts.values()) {
      synchronized (state) {
        count += state.queue.size() + state.setAside.size();
      }
    }
    return count;
  }

  /** Accounts with state in memory (for tests). */
  int accountsInMemory() {
    return accounts.size();
  }

  /** A started sync's hold on one of its account's slots. Closing it more than once is harmless. */
  public final class Permit implements AutoCloseable {
    private final Account account;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Permit(Account account) {
      this.account = account;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      List<Object> woken = new ArrayList<>();
      synchronized (account) {
        account.finished(ticker.nanos(), woken);
      }
      wakeUp(account.id, woken);
    }
  }

  /** Tells each woken waiter; a waiter that is gone hands its slot on to the next. */
  private void wakeUp(AccountId id, List<Object> woken) {
    while (!woken.isEmpty()) {
      List<Object> gone = new ArrayList<>();
      for (Object waiter : woken) {
        boolean told;
        try {
          told = wake.test(waiter);
        } catch (RuntimeException e) {
          told = false;
        }
        if (!told) {
          gone.add(waiter);
        }
      }
      woken = new ArrayList<>();
      Account state = accounts.get(id);
      if (state == null || gone.isEmpty()) {
        return;
      }
      synchronized (state) {
        long now = ticker.nanos();
        for (Object waiter : gone) {
          state.setAside.remove(waiter);
        }
        state.handOver(now, woken);
      }
    }
  }

  /** Forgets accounts that hold nothing: no sync, no waiter, no borrowed start in the future. */
  private void sweepIdleAccounts() {
    long now = ticker.nanos();
    for (Account state : accounts.values()) {
      synchronized (state) {
        if (state.idle(now)) {
          state.retired = true;
          accounts.remove(state.id, state);
        }
      }
    }
    sweepAbove.set(Math.max(SWEEP_MINIMUM, 2 * accounts.size()));
  }

  /** One account's state; every method runs under the object's monitor. */
  private final class Account {
    private final AccountId id;
    private int running;

    /** Starts reserved at admission and not yet used by a request. */
    private int prepaid;

    private long nextStartNanos;
    private boolean started;
    private boolean retired;
    private final LinkedHashSet<Object> queue = new LinkedHashSet<>();

    /** Waiters a slot is set aside for, with the deadline to take it (nanos). */
    private final Map<Object, Long> setAside = new LinkedHashMap<>();

    Account(AccountId id) {
      this.id = id;
    }

    Admission tryStart(Object waiter, long now, List<Object> woken) {
      expireClaims(now);
      handOver(now, woken);
      woken.remove(waiter); // it is here already
      boolean slot =
          setAside.containsKey(waiter)
              || (queue.isEmpty() && running + setAside.size() < concurrency);
      if (!slot) {
        queue.add(waiter); // keeps its place when already queued
        return new Admission(null, QUEUED_RECHECK);
      }
      long rateWait = started ? nextStartNanos - now : 0;
      if (rateWait > 0) {
        // Keep the slot for the short wait for the next start.
        setAside.put(waiter, now + rateWait + CLAIM_TIMEOUT.toNanos());
        return new Admission(null, Duration.ofNanos(rateWait));
      }
      setAside.remove(waiter);
      running++;
      reserveStart(now);
      prepaid++;
      return new Admission(new Permit(this), Duration.ZERO);
    }

    void reserveRequest(long now) {
      if (prepaid > 0) {
        prepaid--;
      } else {
        reserveStart(now);
      }
    }

    void finished(long now, List<Object> woken) {
      running--;
      prepaid = Math.min(prepaid, running); // a sync that made no request leaves no credit
      expireClaims(now);
      handOver(now, woken);
    }

    /** Sets freed slots aside for the head of the queue. */
    void handOver(long now, List<Object> woken) {
      Iterator<Object> next = queue.iterator();
      while (next.hasNext() && running + setAside.size() < concurrency) {
        Object waiter = next.next();
        next.remove();
        setAside.put(waiter, now + CLAIM_TIMEOUT.toNanos());
        woken.add(waiter);
      }
    }

    private void expireClaims(long now) {
      setAside.values().removeIf(deadline -> deadline - now < 0);
    }

    private void reserveStart(long now) {
      long start = !started || nextStartNanos - now < 0 ? now : nextStartNanos;
      started = true;
      nextStartNanos = start + intervalNanos;
    }

    boolean idle(long now) {
      expireClaims(now);
      return running == 0
          && queue.isEmpty()
          && setAside.isEmpty()
          && (!started || nextStartNanos - now <= 0);
    }
  }
}
