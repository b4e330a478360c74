package ai.smallest.atoms.operator.atoms;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Client-side politeness per Atoms account (API key), shared by every reconcile that uses the key:
 * at most {@code requestsPerSecond} request starts per second, evenly spaced, and at most {@code
 * concurrency} requests in flight. JOSDK's {@code @RateLimited} counts per resource and so cannot
 * protect an account quota; a few lines of token spacing here avoid pulling in a resilience library
 * for one primitive (SmallRye Fault Tolerance's rate limit rejects instead of waiting).
 */
public class AccountRateLimiter {

  /** Monotonic time source, replaceable in tests. */
  public interface Ticker {
    long nanos();
  }

  /** Waiting, replaceable in tests. */
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final int concurrency;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Map<ApiKey, Account> accounts = new ConcurrentHashMap<>();

  public AccountRateLimiter(double requestsPerSecond, int concurrency) {
    this(
        requestsPerSecond,
        concurrency,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  public AccountRateLimiter(
      double requestsPerSecond, int concurrency, Ticker ticker, Sleeper sleeper) {
    if (requestsPerSecond <= 0 || concurrency <= 0) {
      throw new IllegalArgumentException("rate limit and concurrency must be positive");
    }
    this.intervalNanos = (long) (1_000_000_000L / requestsPerSecond);
    this.concurrency = concurrency;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /** Runs {@code request} once this account may start another request. */
  public <T> T call(ApiKey apiKey, Supplier<T> request) {
    Account account = accounts.computeIfAbsent(apiKey, k -> new Account(concurrency));
    try {
      account.inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AtomsApiException.network(
          "interrupted while waiting for the client-side rate limit", e);
    }
    try {
      sleepFor(account.reserveStart());
      return request.get();
    } finally {
      account.inFlight.release();
    }
  }

  private void sleepFor(long waitNanos) {
    if (waitNanos <= 0) {
      return;
    }
    try {
      sleeper.sleep(waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AtomsApiException.network(
          "interrupted while waiting for the client-side rate limit", e);
    }
  }

  private final class Account {
    private final Semaphore inFlight;
    private long nextStartNanos;
    private boolean started;

    Account(int concurrency) {
      this.inFlight = new Semaphore(concurrency, true);
    }

    /** Reserves the next start slot; returns how long the caller must wait for it. */
    synchronized long reserveStart() {
      long now = ticker.nanos();
      long start = !started || nextStartNanos - now < 0 ? now : nextStartNanos;
      started = true;
      nextStartNanos = start + intervalNanos;
      return start - now;
    }
  }
}
