package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccountRateLimiterTest {

  /** Fake time: sleeping advances the clock instead of waiting. */
  private static final class FakeTime
      implements AccountRateLimiter.Ticker, AccountRateLimiter.Sleeper {
    long now;

    @Override
    public synchronized long nanos() {
      return now;
    }

    @Override
    public synchronized void sleep(long nanos) {
      now += nanos;
    }
  }

  @Test
  void aBurstOfOneThousandCallsNeverExceedsTheConfiguredRate() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(10, 4, time, time);
    ApiKey key = ApiKey.of("account-a");
    List<Long> starts = new ArrayList<>();

    for (int i = 0; i < 1000; i++) {
      limiter.call(key, () -> starts.add(time.nanos()));
    }

    // Any one-second window holds at most 10 request starts.
    for (int i = 0; i + 10 < starts.size(); i++) {
      assertThat(starts.get(i + 10) - starts.get(i))
          .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }
    assertThat(starts.get(999) - starts.get(0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(99_900));
  }

  @Test
  void accountsAreLimitedIndependently() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(1, 1, time, time);

    limiter.call(ApiKey.of("a"), () -> null);
    long beforeOtherAccount = time.nanos();
    limiter.call(ApiKey.of("b"), () -> null);

    assertThat(time.nanos()).isEqualTo(beforeOtherAccount);
    limiter.call(ApiKey.of("a"), () -> null);
    assertThat(time.nanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void idleTimeIsNotBankedIntoABurst() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(2, 1, time, time);
    ApiKey key = ApiKey.of("a");
    limiter.call(key, () -> null);

    time.sleep(TimeUnit.SECONDS.toNanos(60));
    long afterIdle = time.nanos();
    limiter.call(key, () -> null);
    limiter.call(key, () -> null);

    assertThat(time.nanos() - afterIdle).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
  }

  @Test
  void concurrencyBoundsRequestsInFlightPerAccount() throws Exception {
    AccountRateLimiter limiter = new AccountRateLimiter(1_000_000, 3);
    ApiKey key = ApiKey.of("a");
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      for (int i = 0; i < 10; i++) {
        pool.submit(
            () ->
                limiter.call(
                    key,
                    () -> {
                      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      try {
                        release.await(5, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return inFlight.decrementAndGet();
                    }));
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> inFlight.get() == 3);
      assertThat(maxInFlight.get()).isEqualTo(3);
    } finally {
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(maxInFlight.get()).isEqualTo(3);
  }
}
