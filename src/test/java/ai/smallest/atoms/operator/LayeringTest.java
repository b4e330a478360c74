package ai.smallest.atoms.operator;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages import one way only (issue #13 point 5): api and config at the bottom,
 * then atoms, status, metrics, and the reconciler on top; nothing imports the reconciler. Checked
 * with ArchUnit over the compiled main classes, so an upward import fails the build.
 */
class LayeringTest {

  private static final String BASE = "ai.smallest.atoms.operator";
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);
  }

  static Architectures.LayeredArchitecture layers() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("api")
        .definedBy(BASE + ".api..")
        .layer("config")
        .definedBy(BASE + ".config..")
        .layer("atoms")
        .definedBy(BASE + ".atoms..")
        .layer("status")
        .definedBy(BASE + ".status..")
        .layer("metrics")
        .definedBy(BASE + ".metrics..")
        .layer("reconciler")
        .definedBy(BASE + ".reconciler..")
        .whereLayer("reconciler")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("metrics")
        .mayOnlyBeAccessedByLayers("reconciler")
        .whereLayer("status")
        .mayOnlyBeAccessedByLayers("metrics", "reconciler")
        .whereLayer("atoms")
        .mayOnlyBeAccessedByLayers("status", "metrics", "reconciler")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("atoms", "status", "metrics", "reconciler")
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("config", "atoms", "status", "metrics", "reconciler");
  }

  @Test
  void importsRunOnlyFromApiAndConfigThroughAtomsStatusAndMetricsToTheReconciler() {
    assertThat(main.size()).as("main classes found").isGreaterThan(50);
    layers().check(main);
  }

  @Test
  void thePackagesHaveNoImportCycles() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void theCheckSeesImportsBetweenPackages() {
    // Not vacuous: the same importer sees the reconciler's real imports of metrics, so a rule that
    // forbids them fails; an upward import is seen the same way.
    EvaluationResult forbidden =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("metrics")
            .definedBy(BASE + ".metrics..")
            .layer("reconciler")
            .definedBy(BASE + ".reconciler..")
            .whereLayer("metrics")
            .mayNotBeAccessedByAnyLayer()
            .evaluate(main);
    assertThat(forbidden.hasViolation()).isTrue();
  }

  @Test
  void theReconcilerStaysAShortJosdkAdapter() throws java.io.IOException {
    // The decision tree lives in ReleaseSync, status writes in StatusRecorder, wiring in
    // ReleaseEventSources: the adapter reads top to bottom in one screenful or two (issue #13).
    long lines =
        java.nio.file.Files.readAllLines(
                java.nio.file.Path.of(
                    "src/main/java/ai/smallest/atoms/operator/reconciler/AgentReleaseReconciler.java"))
            .size();
    assertThat(lines).isLessThanOrEqualTo(150);
  }
}
