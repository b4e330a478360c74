package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckLedgerTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aConfirmationReplacesTheFirstCheckMomentAndIsRemembered() {
    CheckLedger ledger = new CheckLedger(() -> uid -> true);

    assertThat(ledger.firstCheckAt("u", T0.plusSeconds(30))).isEqualTo(T0.plusSeconds(30));
    assertThat(ledger.firstCheckAt("u", T0.plusSeconds(99))).isEqualTo(T0.plusSeconds(30));
    assertThat(ledger.confirmedAt("u")).isNull();

    ledger.confirmed("u", T0.plusSeconds(31));

    assertThat(ledger.confirmedAt("u")).isEqualTo(T0.plusSeconds(31));
  }

  @Test
  void entriesOfDeletedReleasesAreSweptOnceTheLedgerHasDoubled() {
    Set<String> live = new HashSet<>();
    CheckLedger ledger = new CheckLedger(() -> live::contains);

    for (int i = 0; i < 10 * ReleaseSweep.MINIMUM; i++) {
      String uid = "deleted-" + i;
      ledger.confirmed(uid, T0);
    }
    live.add("kept");
    ledger.confirmed("kept", T0);
    for (int i = 0; i < 10 * ReleaseSweep.MINIMUM; i++) {
      ledger.firstCheckAt("gone-" + i, T0);
    }

    assertThat(ledger.size()).isLessThanOrEqualTo(2 * ReleaseSweep.MINIMUM + 1);
    assertThat(ledger.confirmedAt("kept")).isEqualTo(T0);
  }
}
