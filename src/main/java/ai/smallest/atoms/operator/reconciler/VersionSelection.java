package ai.smallest.atoms.operator.reconciler;

import ai.smallest.atoms.operator.api.AgentRelease;
import ai.smallest.atoms.operator.api.AgentReleaseSpec;
import ai.smallest.atoms.operator.api.AgentReleaseStatus;
import ai.smallest.atoms.operator.api.Reason;
import ai.smallest.atoms.operator.api.SelectedVersion;
import ai.smallest.atoms.operator.api.VersionSelector;
import ai.smallest.atoms.operator.api.VersionStrategy;
import ai.smallest.atoms.operator.atoms.AgentVersion;
import ai.smallest.atoms.operator.atoms.ApiKey;
import ai.smallest.atoms.operator.atoms.VersionFinder;
import ai.smallest.atoms.operator.status.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * spec.versionSelector resolved against the published versions. The list contract promises no
 * order, so every page is read (up to the finder's page cap, with its checks against lying totals
 * and repeated pages) and the highest {@code versionNumber} that qualifies wins. LatestPinned asks
 * the list endpoint for pinned versions only ({@code isPinned=true}, whose {@code total} still
 * counts all published versions, so the end of the listing is where a page comes back short) and
 * checks {@code isPinned} on each answer as well; LatestLabeled compares the label exactly.
 */
final class VersionSelection {

  private VersionSelection() {}

  /**
   * The chosen version (empty when none qualifies), the active version when the listing showed it,
   * the count of published versions, and the calls made: in the finder's result shape, so the rest
   * of the decision reads the same for every way of declaring a version.
   */
  static VersionFinder.Result select(
      VersionFinder finder, ApiKey apiKey, String agentId, VersionSelector selector) {
    boolean pinned = selector.getStrategy() == VersionStrategy.LatestPinned;
    VersionFinder.Listing listing = finder.list(apiKey, agentId, pinned ? Boolean.TRUE : null);
    Optional<AgentVersion> chosen =
        listing.versions().stream()
            .filter(qualifies(selector))
            .max(Comparator.comparing(AgentVersion::versionNumber));
    return new VersionFinder.Result(
        chosen, listing.active(), listing.totalPublished(), listing.listCalls());
  }

  /** Published, numbered, at or above the floor, and pinned or labelled as the strategy says. */
  static Predicate<AgentVersion> qualifies(VersionSelector selector) {
    int floor = selector.getMinVersionNumber() == null ? 1 : selector.getMinVersionNumber();
    Predicate<AgentVersion> base =
        v -> v.published() && v.versionNumber() != null && v.versionNumber() >= floor;
    return switch (selector.getStrategy()) {
      case Latest -> base;
      case LatestPinned -> base.and(AgentVersion::pinned);
      case LatestLabeled -> base.and(v -> Objects.equals(selector.getLabel(), v.label()));
    };
  }

  /** Why nothing was selected: Stalled until a version qualifies, re-checked at each resync. */
  static Outcome noneSelected(AgentReleaseSpec spec, VersionFinder.Result found) {
    VersionSelector selector = spec.getVersionSelector();
    String what =
        switch (selector.getStrategy()) {
          case Latest -> "Publish a version";
          case LatestPinned -> "Pin a published version in the Atoms console";
          case LatestLabeled ->
              "Label a published version \"" + selector.getLabel() + "\" in the Atoms console";
        };
    String floor =
        selector.getMinVersionNumber() == null
            ? ""
            : " at or above " + selector.getMinVersionNumber();
    return Outcome.notReady(
        Reason.NoVersionSelected,
        "No published version of agent "
            + spec.getAgentId()
            + " matches spec.versionSelector ("
            + selector.describe()
            + "; "
            + (found.totalPublished() < 0 ? "?" : found.totalPublished())
            + " published versions), so nothing is activated. "
            + what
            + floor
            + ": the operator looks again at its next resync, or at once on a reconcile request.",
        found.active().orElse(null));
  }

  /** "version 7 (the latest pinned version)" for a selector, else what the spec names. */
  static String describe(AgentReleaseSpec spec, AgentVersion version) {
    if (spec.getVersionSelector() == null || version == null) {
      return spec.describeDesiredVersion();
    }
    return "version " + version.versionNumber() + " (" + spec.getVersionSelector().describe() + ")";
  }

  /** What SpecValidator says about a selector, mirroring the CRD's enum and CEL rule. */
  static List<String> problems(VersionSelector selector) {
    List<String> problems = new ArrayList<>();
    if (selector.getStrategy() == null) {
      problems.add("spec.versionSelector.strategy must be Latest, LatestPinned or LatestLabeled");
    }
    boolean labelled = selector.getStrategy() == VersionStrategy.LatestLabeled;
    if (labelled && (selector.getLabel() == null || selector.getLabel().isEmpty())) {
      problems.add("spec.versionSelector.label is required for strategy LatestLabeled");
    } else if (!labelled && selector.getStrategy() != null && selector.getLabel() != null) {
      problems.add(
          "spec.versionSelector.label is only allowed with strategy LatestLabeled, not "
              + selector.getStrategy());
    }
    if (selector.getLabel() != null
        && selector.getLabel().length() > VersionSelector.LABEL_MAX_LENGTH) {
      problems.add(
          "spec.versionSelector.label is longer than "
              + VersionSelector.LABEL_MAX_LENGTH
              + " characters");
    }
    if (selector.getMinVersionNumber() != null && selector.getMinVersionNumber() < 1) {
      problems.add(
          "spec.versionSelector.minVersionNumber must be >= 1, got "
              + selector.getMinVersionNumber());
    }
    return problems;
  }

  /**
   * The message of a VersionSelected Event when a selector release's selection changed from {@code
   * before} to {@code after}; empty otherwise (and for releases that name their version: their
   * selection changes only with their spec).
   */
  static Optional<String> changed(
      AgentRelease release, AgentReleaseStatus before, AgentReleaseStatus after) {
    if (release.getSpec() == null || release.getSpec().getVersionSelector() == null) {
      return Optional.empty();
    }
    SelectedVersion was = before == null ? null : before.getSelected();
    SelectedVersion now = after.getSelected();
    if (now == null || (was != null && Objects.equals(was.getVersionId(), now.getVersionId()))) {
      return Optional.empty();
    }
    String label =
        now.getLabel() == null || now.getLabel().isBlank() ? "" : " (\"" + now.getLabel() + "\")";
    return Optional.of(
        "spec.versionSelector ("
            + release.getSpec().getVersionSelector().describe()
            + ") selects version "
            + now.getVersionNumber()
            + label
            + (was == null ? "" : ", instead of version " + was.getVersionNumber()));
  }
}
