package ai.smallest.atoms.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void selectorsFunctionsAndAggregationsYieldOnlyTheMetricNames() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, endpoint) (rate(atoms_api_request_duration_seconds_bucket{namespace=\"$namespace\", job=\"x\"}[5m])))"))
        .containsExactly("atoms_api_request_duration_seconds_bucket");
    assertThat(
            PromQl.metricNames(
                "sum(rate(atoms_api_requests_total{status_class!=\"2xx\"}[10m])) / sum(rate(atoms_api_requests_total[10m])) > 0.25"))
        .containsExactly("atoms_api_requests_total");
    assertThat(PromQl.metricNames("absent(up{job=\"a-b\", namespace=\"ns\"} == 1)"))
        .containsExactly("up");
    assertThat(
            PromQl.metricNames(
                "sum(max by (ready_reason) (atoms_operator_agentreleases{ready_reason=~\"A|B\"})) or vector(0)"))
        .containsExactly("atoms_operator_agentreleases");
  }

  @Test
  void keywordsLabelsAndStringsAreNotMetrics() {
    assertThat(
            PromQl.metricNames(
                "a_total unless on (pod) group_left (node) b_info offset 5m and bool c > ignoring (x) d"))
        .containsExactlyInAnyOrder("a_total", "b_info", "c", "d");
    assertThat(PromQl.metricNames("count_values(\"version\", build_info)"))
        .containsExactly("build_info");
    assertThat(PromQl.metricNames("sum without (instance) (x:recorded:rate5m)"))
        .containsExactly("x:recorded:rate5m");
  }

  @Test
  void matchersAreReadPerSelector() {
    assertThat(
            PromQl.matchers(
                "sum(rate(atoms_api_requests_total{job=\"j\", endpoint=\"activate_version\", status_class!=\"2xx\"}[5m])) / up{area=~\"heap|x\"}"))
        .containsExactly(
            new PromQl.Matcher("atoms_api_requests_total", "job", "=", "j"),
            new PromQl.Matcher("atoms_api_requests_total", "endpoint", "=", "activate_version"),
            new PromQl.Matcher("atoms_api_requests_total", "status_class", "!=", "2xx"),
            new PromQl.Matcher("up", "area", "=~", "heap|x"));
    assertThat(new PromQl.Matcher("m", "namespace", "=", "$namespace").equality()).isFalse();
  }
}
