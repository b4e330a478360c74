package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void readsNamesLabelsAndValuesOfEverySeries() {
    Exposition exposition =
        Exposition.parse(
            """
            # HELP atoms_api_requests_total Atoms API requests
            # TYPE atoms_api_requests_total counter
            atoms_api_requests_total{endpoint="list_versions",status_class="2xx"} 7.0
            atoms_api_requests_total{endpoint="activate_version",status_class="4xx"} 1.0
            process_cpu_usage 0.01
            jvm_info_total{version="17 \\"LTS\\""} 1.0 1700000000000
            """);

    assertThat(exposition.names())
        .containsExactly("atoms_api_requests_total", "jvm_info_total", "process_cpu_usage");
    assertThat(exposition.labels("atoms_api_requests_total"))
        .containsExactly("endpoint", "status_class");
    assertThat(exposition.values("atoms_api_requests_total", "endpoint"))
        .containsExactly("activate_version", "list_versions");
    assertThat(exposition.labels("process_cpu_usage")).isEmpty();
    assertThat(exposition.values("jvm_info_total", "version")).containsExactly("17 \\\"LTS\\\"");
  }

  @Test
  void refusesWhatIsNotTheTextFormat() {
    assertThatThrownBy(() -> Exposition.parse("{not a metric}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
