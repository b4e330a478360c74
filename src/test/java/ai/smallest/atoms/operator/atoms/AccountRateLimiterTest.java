package ai.smallest.atoms.operator.atoms;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.atoms.AccountRateLimiter.Admission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-account limits that never make a caller wait: admissions, queues, wake-ups, reservations. */
class AccountRateLimiterTest {

  private static final AccountId A = ApiKey.of("account-a").account();
  private static final AccountId B = ApiKey.of("account-b").account();

  /** A rate that never binds: starts may follow each other within the same nanosecond. */
  private static final double UNLIMITED = 1e12;

  /** Fake monotonic time. */
  private static final class FakeTime implements AccountRateLimiter.Ticker {
    long now;

    @Override
    public long nanos() {
      return now;
    }

    void advance(Duration by) {
      now += by.toNanos();
    }
  }

  private final FakeTime time = new FakeTime();
  private final List<Object> woken = new ArrayList<>();
  private final Set<Object> gone = new HashSet<>();

  private AccountRateLimiter limiter(double requestsPerSecond, int concurrency) {
    AccountRateLimiter limiter = new AccountRateLimiter(requestsPerSecond, concurrency, time);
    limiter.onSlotSetAside(
        waiter -> {
          woken.add(waiter);
          return !gone.contains(waiter);
        });
    return limiter;
  }

  @Test
  void syncsStartAtOnceWhileTheAccountHasFreeSlots() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 2);

    assertThat(limiter.tryStart(A, "r1").admitted()).isTrue();
    assertThat(limiter.tryStart(A, "r2").admitted()).isTrue();

    Admission third = limiter.tryStart(A, "r3");
    assertThat(third.admitted()).isFalse();
    assertThat(third.delay()).isEqualTo(AccountRateLimiter.QUEUED_RECHECK);
    assertThat(limiter.waiting()).isEqualTo(1);
  }

  @Test
  void aFullAccountNeverDelaysAnotherAccount() {
    AccountRateLimiter limiter = limiter(1, 1);
    limiter.tryStart(A, "a1");
    assertThat(limiter.tryStart(A, "a2").admitted()).isFalse();

    assertThat(limiter.tryStart(B, "b1").admitted()).isTrue();
  }

  @Test
  void aFreedSlotGoesToTheFirstWaiterAndNobodyCanTakeItMeanwhile() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 1);
    Admission running = limiter.tryStart(A, "first");
    limiter.tryStart(A, "second");
    limiter.tryStart(A, "third");
    limiter.tryStart(A, "second"); // a safety-net look again keeps its place

    running.permit().close();

    assertThat(woken).containsExactly("second");
    assertThat(limiter.tryStart(A, "third").admitted()).as("third jumps the queue").isFalse();
    assertThat(limiter.tryStart(A, "newcomer").admitted()).as("newcomer jumps").isFalse();
    Admission second = limiter.tryStart(A, "second");
    assertThat(second.admitted()).isTrue();

    second.permit().close();
    assertThat(woken).containsExactly("second", "third");
  }

  @Test
  void aWokenReleaseThatIsGoneHandsItsSlotToTheNext() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 1);
    Admission running = limiter.tryStart(A, "first");
    limiter.tryStart(A, "deleted");
    limiter.tryStart(A, "next");
    gone.add("deleted");

    running.permit().close();

    assertThat(woken).containsExactly("deleted", "next");
    assertThat(limiter.tryStart(A, "next").admitted()).isTrue();
  }

  @Test
  void aSlotSetAsideAndNeverTakenReturnsAfterTheClaimTimeout() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 1);
    Admission running = limiter.tryStart(A, "first");
    limiter.tryStart(A, "moved-away");
    running.permit().close();
    assertThat(limiter.tryStart(A, "other").admitted()).isFalse();

    time.advance(AccountRateLimiter.CLAIM_TIMEOUT.plusSeconds(1));

    // "other" queued behind the set-aside slot: once it expires, "other" takes the slot.
    assertThat(limiter.tryStart(A, "other").admitted()).isTrue();
    assertThat(woken).containsExactly("moved-away");
  }

  @Test
  void closingAPermitTwiceFreesOneSlot() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 1);
    Admission running = limiter.tryStart(A, "first");
    running.permit().close();
    assertThat(limiter.tryStart(A, "second").admitted()).isTrue();

    running.permit().close();

    assertThat(limiter.tryStart(A, "third").admitted()).isFalse();
  }

  @Test
  void theRateIsReservedNotSleptFor() {
    AccountRateLimiter limiter = limiter(2, 4);
    Admission first = limiter.tryStart(A, "first");
    limiter.reserveRequest(A); // the first request uses the start reserved at admission
    first.permit().close();

    Admission early = limiter.tryStart(A, "second");

    assertThat(early.admitted()).isFalse();
    assertThat(early.delay()).isEqualTo(Duration.ofMillis(500));
    // Its concurrency slot is kept for it meanwhile; the rate binds everyone alike.
    assertThat(limiter.tryStart(A, "third").delay()).isEqualTo(Duration.ofMillis(500));
    time.advance(Duration.ofMillis(500));
    assertThat(limiter.tryStart(A, "second").admitted()).isTrue();
    assertThat(limiter.tryStart(A, "third").delay()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void followUpRequestsBorrowLaterStartsAndTheNextSyncWaitsForThem() {
    AccountRateLimiter limiter = limiter(2, 4);
    Admission sync = limiter.tryStart(A, "paging");
    limiter.reserveRequest(A);
    limiter.reserveRequest(A); // borrows the start at 0.5 s
    limiter.reserveRequest(A); // and at 1.0 s
    sync.permit().close();

    Admission next = limiter.tryStart(A, "next");

    assertThat(next.delay()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void overAThousandRequestsTheAverageRateHolds() {
    AccountRateLimiter limiter = limiter(10, 4);
    List<Long> starts = new ArrayList<>();
    int sync = 0;
    while (starts.size() < 1000) {
      Admission admission = limiter.tryStart(A, "release-" + (sync % 7));
      if (!admission.admitted()) {
        time.advance(admission.delay());
        continue;
      }
      int pages = 1 + sync % 3; // syncs of one to three requests
      for (int i = 0; i < pages; i++) {
        limiter.reserveRequest(A);
        starts.add(time.now);
      }
      admission.permit().close();
      sync++;
    }

    long elapsed = starts.get(999) - starts.get(0);
    // 1,000 starts at 10 per second take at least 99.7 s (the last sync may borrow two slots).
    assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(99_700));
  }

  @Test
  void idleTimeIsNotBankedIntoABurst() {
    AccountRateLimiter limiter = limiter(2, 1);
    limiter.tryStart(A, "r").permit().close();

    time.advance(Duration.ofSeconds(60));
    Admission afterIdle = limiter.tryStart(A, "r");
    limiter.reserveRequest(A);
    limiter.reserveRequest(A);
    limiter.reserveRequest(A);
    afterIdle.permit().close();

    // A minute of silence bought no credit: the sync's three starts are paid for by waiting.
    assertThat(limiter.tryStart(A, "r").delay()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void accountsThatHoldNothingAreForgotten() {
    AccountRateLimiter limiter = limiter(UNLIMITED, 1);
    for (int i = 0; i < 1000; i++) {
      AccountId rotated = ApiKey.of("key-" + i).account();
      limiter.tryStart(rotated, "release").permit().close();
      time.advance(Duration.ofSeconds(1));
    }

    assertThat(limiter.accountsInMemory()).isLessThanOrEqualTo(130);
    // A busy account is never forgotten, however many idle ones come and go.
    Admission busy = limiter.tryStart(A, "busy");
    limiter.tryStart(A, "queued");
    for (int i = 0; i < 1000; i++) {
      limiter.tryStart(ApiKey.of("more-" + i).account(), "release").permit().close();
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(limiter.tryStart(A, "newcomer").admitted()).isFalse();
    busy.permit().close();
    assertThat(woken).containsExactly("queued");
  }

  @Test
  void accountsAreKnownByADigestThatNeverShowsTheKey() {
    ApiKey key = ApiKey.of("sk-live-0123456789abcdef");

    assertThat(key.account()).isEqualTo(ApiKey.of("sk-live-0123456789abcdef").account());
    assertThat(key.account()).isNotEqualTo(ApiKey.of("sk-live-0123456789abcdeg").account());
    assertThat(key.account().sha256()).hasSize(64).doesNotContain("0123456789abcdef");
    assertThat(key.account().toString()).doesNotContain("sk-live");
  }
}
