package ai.smallest.atoms.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import ai.smallest.atoms.operator.TestReleases;
import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.SelectedVersion;
import ai.smallest.atoms.operator.api.VersionSelector;
import ai.smallest.atoms.operator.api.VersionStrategy;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import org.junit.jupiter.api.Test;

/** Which versions a selector accepts, what it refuses as a spec, and when it says it moved. */
class VersionSelectionTest {

  private static AgentVersion version(int number, String status, boolean pinned, String label) {
    return new AgentVersion(
        "id" + number, "a", status, number, label, false, null, null, pinned, null);
  }

  @Test
  void onlyPublishedNumberedVersionsAtOrAboveTheFloorQualify() {
    var latest = VersionSelection.qualifies(new VersionSelector(VersionStrategy.Latest, null, 3));

    assertThat(latest.test(version(3, "published", false, null))).isTrue();
    assertThat(latest.test(version(2, "published", false, null))).isFalse();
    assertThat(latest.test(version(4, "draft", false, null))).isFalse();
    assertThat(latest.test(new AgentVersion("x", "a", "published", null, null, false, null, null)))
        .isFalse();
  }

  @Test
  void pinnedAndLabelledStrategiesCheckTheAnswerThemselves() {
    var pinned =
        VersionSelection.qualifies(new VersionSelector(VersionStrategy.LatestPinned, null, null));
    var stable =
        VersionSelection.qualifies(
            new VersionSelector(VersionStrategy.LatestLabeled, "stable", null));

    assertThat(pinned.test(version(5, "published", true, null))).isTrue();
    assertThat(pinned.test(version(5, "published", false, null))).isFalse();
    assertThat(stable.test(version(5, "published", false, "stable"))).isTrue();
    assertThat(stable.test(version(5, "published", false, "Stable"))).isFalse();
    assertThat(stable.test(version(5, "published", false, null))).isFalse();
  }

  @Test
  void aLabelBelongsToLatestLabeledOnlyAndTheFloorIsPositive() {
    assertThat(
            VersionSelection.problems(
                new VersionSelector(VersionStrategy.LatestLabeled, null, null)))
        .containsExactly("spec.versionSelector.label is required for strategy LatestLabeled");
    assertThat(VersionSelection.problems(new VersionSelector(VersionStrategy.Latest, "stable", 0)))
        .containsExactly(
            "spec.versionSelector.label is only allowed with strategy LatestLabeled, not Latest",
            "spec.versionSelector.minVersionNumber must be >= 1, got 0");
    assertThat(VersionSelection.problems(new VersionSelector(null, null, null)))
        .containsExactly(
            "spec.versionSelector.strategy must be Latest, LatestPinned or LatestLabeled");
  }

  @Test
  void aSelectorReleaseSaysWhenItsSelectionMovesAndOnlyThen() {
    AgentRelease release = TestReleases.byNumber("ns", "r", "a", 1, null);
    release.getSpec().setVersionNumber(null);
    release
        .getSpec()
        .setVersionSelector(new VersionSelector(VersionStrategy.LatestPinned, null, null));
    AgentReleaseStatus before = new AgentReleaseStatus();
    before.setSelected(new SelectedVersion(6, "id6", "v6", "2026-11-23T10:00:00Z"));
    AgentReleaseStatus after = new AgentReleaseStatus();
    after.setSelected(new SelectedVersion(7, "id7", "v7", "2026-11-23T11:00:00Z"));

    assertThat(VersionSelection.changed(release, before, after))
        .contains(
            "spec.versionSelector (the latest pinned version) selects version 7 (\"v7\"), instead"
                + " of version 6");
    assertThat(VersionSelection.changed(release, after, after)).isEmpty();

    AgentRelease byNumber = TestReleases.byNumber("ns", "r", "a", 7, null);
    assertThat(VersionSelection.changed(byNumber, before, after)).isEmpty();
  }
}
