package ai.smallest.atoms.apiserver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Counts resource requests by client, verb, resource, subresource and object, and separately the
 * ones a fault rule answered instead of the server. Requests to discovery, OpenAPI, health and the
 * admin endpoints are not counted. One counter per distinct {@link ApiRequest}: memory grows with
 * the objects written, not with the requests.
 */
public final class RequestCounter {

  private final Map<ApiRequest, LongAdder> served = new ConcurrentHashMap<>();
  private final Map<ApiRequest, LongAdder> injected = new ConcurrentHashMap<>();

  void record(ApiRequest request, boolean faultInjected) {
    (faultInjected ? injected : served).computeIfAbsent(request, k -> new LongAdder()).increment();
  }

  /** Requests that match {@code filter}, whatever the answer (injected faults included). */
  public long count(Predicate<ApiRequest> filter) {
    return sum(served, filter) + sum(injected, filter);
  }

  /** Requests that match {@code filter} and were answered by a fault rule. */
  public long injected(Predicate<ApiRequest> filter) {
    return sum(injected, filter);
  }

  /** Counts of the matching requests, grouped by {@code key} (e.g. the object's name), sorted. */
  public Map<String, Long> countBy(Predicate<ApiRequest> filter, Function<ApiRequest, String> key) {
    Map<String, Long> grouped = new TreeMap<>();
    for (Map<ApiRequest, LongAdder> map : java.util.List.of(served, injected)) {
      map.forEach(
          (request, count) -> {
            if (filter.test(request)) {
              grouped.merge(String.valueOf(key.apply(request)), count.sum(), Long::sum);
            }
          });
    }
    return grouped;
  }

  /** Every distinct request with its count (injected ones included), for the admin endpoint. */
  Map<ApiRequest, long[]> snapshot(Predicate<ApiRequest> filter) {
    Map<ApiRequest, long[]> all = new java.util.HashMap<>();
    served.forEach(
        (r, c) -> {
          if (filter.test(r)) {
            all.computeIfAbsent(r, k -> new long[2])[0] += c.sum();
          }
        });
    injected.forEach(
        (r, c) -> {
          if (filter.test(r)) {
            long[] counts = all.computeIfAbsent(r, k -> new long[2]);
            counts[0] += c.sum();
            counts[1] += c.sum();
          }
        });
    return all;
  }

  /** Forgets every count. */
  public void reset() {
    served.clear();
    injected.clear();
  }

  private static long sum(Map<ApiRequest, LongAdder> map, Predicate<ApiRequest> filter) {
    long total = 0;
    for (Map.Entry<ApiRequest, LongAdder> entry : map.entrySet()) {
      if (filter.test(entry.getKey())) {
        total += entry.getValue().sum();
      }
    }
    return total;
  }
}
