package ai.smallest.atoms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * BENCHMARKS.md is generated: the template (method and analysis) plus the recorded results. A hand
 * edit of the generated file, or a template change without re-rendering, fails here. To re-render
 * without running anything: {@code ./bench/run-benchmark --render-only}.
 */
class BenchmarksDocTest {

  @Test
  void checkedInBenchmarksDocIsTheTemplateFilledWithTheRecordedResults() throws Exception {
    assertThat(Files.readString(Report.DOC))
        .as(
            "BENCHMARKS.md differs from bench/BENCHMARKS.template.md + bench/results/*.md; run ./bench/run-benchmark --render-only")
        .isEqualTo(Report.render());
  }

  @Test
  void everyRecordedResultIsInTheDoc() throws Exception {
    String doc = Files.readString(Report.DOC);
    for (String name :
        new String[] {
          "benchmark.md",
          "benchmark-warm.md",
          "scale.md",
          "chaos.md",
          "apiserver-scale.md",
          "tenants.md",
          "sharding.md"
        }) {
      String firstLine =
          Files.readString(Report.RESULTS.resolve(name)).lines().findFirst().orElseThrow();
      assertThat(doc).as(name).contains(firstLine);
    }
  }
}
