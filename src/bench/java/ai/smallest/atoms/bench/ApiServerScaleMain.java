package ai.smallest.atoms.bench;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.apiserver.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the embedded Kubernetes API server holds up at benchmark scale: N AgentReleases (default
 * 50,000) with a realistic status, created over HTTP, then timed reads (get, paginated and full
 * lists), Fabric8 informers syncing them, and watch event delivery to several watchers, with the
 * server's heap before and after. Run with {@code ./bench/run-apiserver-scale}; writes {@code
 * bench/results/apiserver-scale.{md,json}} and regenerates BENCHMARKS.md.
 *
 * <p>Latencies are what a plain HTTP client in the same JVM sees (request sent to response read),
 * so they include serialisation on both ends but no network. The server and the client share the
 * machine's cores.
 *
 * <pre>
 * Options: --objects N (50000) --namespaces (10) --threads (4) --page (500) --gets (10000)
 *          --watch-events (2000) --watchers (3) --out DIR (bench/results) --no-doc
 * </pre>
 */
public final class ApiServerScaleMain {

  static final Path CRDS = Path.of("crds");
  static final String BASE = "/apis/atoms.smallest.ai/v1alpha1";
  static final ResourceDefinitionContext AGENT_RELEASES =
      new ResourceDefinitionContext.Builder()
          .withGroup("atoms.smallest.ai")
          .withVersion("v1alpha1")
          .withPlural("agentreleases")
          .withKind("AgentRelease")
          .withNamespaced(true)
          .build();

  private int objects = 50_000;
  private int namespaces = 10;
  private int threads = 4;
  private int page = 500;
  private int gets = 10_000;
  private int watchEvents = 2_000;
  private int watchers = 3;
  private Path out = Path.of("bench", "results");
  private boolean doc = true;

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private EmbeddedApiServer server;

  public static void main(String[] args) throws Exception {
    ApiServerScaleMain main = new ApiServerScaleMain();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--objects" -> main.objects = Integer.parseInt(value);
        case "--namespaces" -> main.namespaces = Integer.parseInt(value);
        case "--threads" -> main.threads = Integer.parseInt(value);
        case "--page" -> main.page = Integer.parseInt(value);
        case "--gets" -> main.gets = Integer.parseInt(value);
        case "--watch-events" -> main.watchEvents = Integer.parseInt(value);
        case "--watchers" -> main.watchers = Integer.parseInt(value);
        case "--out" -> main.out = Path.of(value);
        case "--no-doc" -> {
          main.doc = false;
          i--;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    main.run();
    System.exit(0);
  }

  private void run() throws Exception {
    String machine = Machine.describe();
    results.put("objects", objects);
    results.put("namespaces", namespaces);
    results.put("clientThreads", threads);
    results.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1024 / 1024);
    long heapBefore = usedHeapAfterGc();
    server = EmbeddedApiServer.start(0);
    try {
      server.installCrds(CRDS);
      for (int ns = 0; ns < namespaces; ns++) {
        server.createNamespace("scale-" + ns);
      }
      long heapEmpty = usedHeapAfterGc();
      results.put("heapEmptyServerMiB", mib(heapEmpty - heapBefore));

      timedWrites("create", this::create, objects);
      timedWrites("statusWrite", this::writeStatus, objects);
      long heapFull = usedHeapAfterGc();
      results.put("heapWithObjectsMiB", mib(heapFull - heapBefore));
      results.put(
          "heapPerObjectKiB", Math.round((heapFull - heapEmpty) / 1024.0 / objects * 10) / 10.0);
      results.put(
          "storedObjectBytes",
          get(name(objects / 2)).body().getBytes(StandardCharsets.UTF_8).length);

      timedGets();
      timedLists();
      informers();
      watchDelivery();
      results.put("heapAtEndMiB", mib(usedHeapAfterGc() - heapBefore));
    } finally {
      server.close();
    }
    write(machine);
  }

  // ---- objects ------------------------------------------------------------------------------

  private String namespace(int i) {
    return "scale-" + (i % namespaces);
  }

  private static String name(int i) {
    return String.format("release-%05d", i);
  }

  private String path(int i) {
    return BASE + "/namespaces/" + namespace(i) + "/agentreleases/" + name(i);
  }

  private ObjectNode release(int i) {
    ObjectNode release =
        Json.object().put("apiVersion", "atoms.smallest.ai/v1alpha1").put("kind", "AgentRelease");
    release.putObject("metadata").put("name", name(i)).put("namespace", namespace(i));
    release
        .putObject("spec")
        .put("agentId", String.format("agent-%05d", i))
        .put("versionNumber", 1 + i % 30)
        .putObject("apiKeySecretRef")
        .put("name", "atoms-api-key");
    return release;
  }

  /** The status the operator writes once a release is Ready (about 1 KB). */
  private static String status(int i, int version) {
    String now = Instant.now().toString();
    String id = String.format("665f1e%018x", (long) i * 1000 + version);
    return """
        {"status":{"observedGeneration":1,"versionNumber":%d,"versionId":"%s","label":"v%d",
        "activated":true,"activatedAt":"%s","activatedBy":"user_operator","lastSyncedAt":"%s",
        "history":[{"versionNumber":%d,"versionId":"%s","activatedAt":"%s","by":"Operator"}],
        "conditions":[{"type":"Ready","status":"True","reason":"Activated","observedGeneration":1,
        "lastTransitionTime":"%s","message":"Agent agent-%05d serves version %d (\\"v%d\\")"}]}}
        """
        .formatted(
            version,
            id,
            version,
            now,
            now,
            version,
            id,
            now,
            now.substring(0, 19) + "Z",
            i,
            version,
            version);
  }

  private void create(int i) {
    send(
        HttpRequest.newBuilder(uri(BASE + "/namespaces/" + namespace(i) + "/agentreleases"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(release(i)))),
        201);
  }

  private void writeStatus(int i) {
    send(
        HttpRequest.newBuilder(uri(path(i) + "/status"))
            .header("Content-Type", "application/merge-patch+json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(status(i, 1 + i % 30))),
        200);
  }

  // ---- measurements -------------------------------------------------------------------------

  private interface Write {
    void apply(int i) throws Exception;
  }

  private void timedWrites(String what, Write write, int count) throws Exception {
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = thread; i < count; i += threads) {
                  long t0 = System.nanoTime();
                  write.apply(i);
                  latencies.add((System.nanoTime() - t0) / 1e6);
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - started) / 1e9;
    results.put(what, latencySummary(latencies, count / seconds));
    System.out.printf("%s: %d in %.1f s (%d threads)%n", what, count, seconds, threads);
  }

  private void timedGets() {
    Random random = new Random(6);
    List<Double> latencies = new ArrayList<>();
    long started = System.nanoTime();
    for (int k = 0; k < gets; k++) {
      int i = random.nextInt(objects);
      long t0 = System.nanoTime();
      get(name(i), namespace(i));
      latencies.add((System.nanoTime() - t0) / 1e6);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    results.put("get", latencySummary(latencies, gets / seconds));
    System.out.printf("get: %d in %.1f s%n", gets, seconds);
  }

  private void timedLists() {
    // Paginated, across namespaces, as an informer with a list limit reads: three passes.
    List<Double> pages = new ArrayList<>();
    List<Double> passes = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      long passStart = System.nanoTime();
      String next = null;
      int seen = 0;
      do {
        long t0 = System.nanoTime();
        HttpResponse<String> response =
            send(
                HttpRequest.newBuilder(
                        uri(
                            BASE
                                + "/agentreleases?limit="
                                + page
                                + (next == null ? "" : "&continue=" + next)))
                    .GET(),
                200);
        pages.add((System.nanoTime() - t0) / 1e6);
        JsonNode list = parse(response.body());
        seen += list.path("items").size();
        next = list.at("/metadata/continue").asText(null);
      } while (next != null && !next.isEmpty());
      if (seen != objects) {
        throw new IllegalStateException("paginated list saw " + seen + " of " + objects);
      }
      passes.add((System.nanoTime() - passStart) / 1e6);
    }
    Map<String, Object> paginated = latencySummary(pages, Double.NaN);
    paginated.put("pageSize", page);
    paginated.put("fullPassMillis", Stats.fmt(Stats.percentile(passes, 50), 0));
    results.put("listPage", paginated);

    List<Double> full = new ArrayList<>();
    long bytes = 0;
    for (int k = 0; k < 3; k++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(uri(BASE + "/agentreleases")).GET(), 200);
      full.add((System.nanoTime() - t0) / 1e6);
      bytes = response.body().getBytes(StandardCharsets.UTF_8).length;
    }
    Map<String, Object> unpaginated = latencySummary(full, Double.NaN);
    unpaginated.put("responseMiB", Stats.fmt(bytes / 1024.0 / 1024.0, 1));
    results.put("listAll", unpaginated);

    List<Double> namespaceLists = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      long t0 = System.nanoTime();
      send(
          HttpRequest.newBuilder(
                  uri(BASE + "/namespaces/" + namespace(k) + "/agentreleases?limit=" + page))
              .GET(),
          200);
      namespaceLists.add((System.nanoTime() - t0) / 1e6);
    }
    results.put("listNamespacePage", latencySummary(namespaceLists, Double.NaN));
    System.out.printf("lists: page p50 %s ms%n", paginated.get("p50Millis"));
  }

  private void informers() throws Exception {
    for (Long limit : new Long[] {(long) page, null}) {
      try (KubernetesClient client = client("scale-informer")) {
        CountDownLatch synced = new CountDownLatch(objects);
        long t0 = System.nanoTime();
        SharedIndexInformer<GenericKubernetesResource> informer =
            client
                .genericKubernetesResources(AGENT_RELEASES)
                .inAnyNamespace()
                .withLimit(limit)
                .inform(
                    new ResourceEventHandler<>() {
                      @Override
                      public void onAdd(GenericKubernetesResource obj) {
                        synced.countDown();
                      }

                      @Override
                      public void onUpdate(
                          GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {}

                      @Override
                      public void onDelete(
                          GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {}
                    },
                    0);
        if (!synced.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException("informer did not sync " + objects + " objects");
        }
        results.put(
            limit == null ? "informerSyncUnpaginatedMillis" : "informerSyncPaginatedMillis",
            Math.round((System.nanoTime() - t0) / 1e6));
        informer.close();
      }
    }
  }

  private void watchDelivery() throws Exception {
    List<KubernetesClient> clients = new ArrayList<>();
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Double> delivery = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch received = new CountDownLatch(watchEvents * watchers);
    // Fabric8 calls handlers asynchronously: the initial ADDs are let through before timing.
    CountDownLatch added = new CountDownLatch(objects * watchers);
    AtomicInteger warmedUp = new AtomicInteger();
    try {
      for (int w = 0; w < watchers; w++) {
        KubernetesClient client = client("scale-watcher-" + w);
        clients.add(client);
        // inform() returns once the informer has listed and started watching.
        SharedIndexInformer<GenericKubernetesResource> informer =
            client
                .genericKubernetesResources(AGENT_RELEASES)
                .inAnyNamespace()
                .withLimit((long) page)
                .inform(
                    new ResourceEventHandler<>() {
                      @Override
                      public void onAdd(GenericKubernetesResource obj) {
                        added.countDown();
                      }

                      @Override
                      public void onUpdate(
                          GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                        Map<String, String> labels = newObj.getMetadata().getLabels();
                        String mark = labels == null ? null : labels.get("scale-mark");
                        if ("warm-up".equals(mark)) {
                          warmedUp.incrementAndGet();
                        }
                        Long sent = mark == null ? null : sentAt.get(mark);
                        if (sent != null) {
                          delivery.add((System.nanoTime() - sent) / 1e6);
                          received.countDown();
                        }
                      }

                      @Override
                      public void onDelete(
                          GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {}
                    },
                    0);
        informers.add(informer);
      }
      if (!added.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("informers did not see every object");
      }
      // One untimed event first: Fabric8 sets up its watch event deserialiser on the first one
      // (about a second on this machine), which is the client's start-up, not delivery.
      patchLabel(0, "warm-up");
      await(warmedUp, watchers);
      Random random = new Random(7);
      long started = System.nanoTime();
      for (int k = 0; k < watchEvents; k++) {
        int i = random.nextInt(objects);
        String mark = "m" + k;
        sentAt.put(mark, System.nanoTime());
        patchLabel(i, mark);
      }
      if (!received.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "watchers got " + (watchEvents * watchers - received.getCount()) + " events");
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Object> summary = latencySummary(delivery, watchEvents / seconds);
      summary.put("watchers", watchers);
      summary.put("events", watchEvents);
      results.put("watchDelivery", summary);
      System.out.printf("watch delivery: p50 %s ms%n", summary.get("p50Millis"));
    } finally {
      informers.forEach(SharedIndexInformer::close);
      clients.forEach(KubernetesClient::close);
    }
  }

  private void patchLabel(int i, String mark) {
    send(
        HttpRequest.newBuilder(uri(path(i)))
            .header("Content-Type", "application/merge-patch+json")
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.ofString(
                    "{\"metadata\":{\"labels\":{\"scale-mark\":\"" + mark + "\"}}}")),
        200);
  }

  private static void await(AtomicInteger counter, int target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (counter.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + counter.get() + " of " + target + " arrived");
      }
      Thread.sleep(10);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private KubernetesClient client(String userAgent) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url())
            .withUserAgent(userAgent)
            .withRequestTimeout(120_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private HttpResponse<String> get(String name) {
    int i = Integer.parseInt(name.substring("release-".length()));
    return get(name, namespace(i));
  }

  private HttpResponse<String> get(String name, String namespace) {
    return send(
        HttpRequest.newBuilder(uri(BASE + "/namespaces/" + namespace + "/agentreleases/" + name))
            .GET(),
        200);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(120)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            response.request().method()
                + " "
                + response.request().uri()
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(server.url() + path);
  }

  private static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, Object> latencySummary(List<Double> millis, double perSecond) {
    List<Double> copy = new ArrayList<>(millis);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", copy.size());
    summary.put("p50Millis", Stats.fmt(Stats.percentile(copy, 50), 2));
    summary.put("p99Millis", Stats.fmt(Stats.percentile(copy, 99), 2));
    summary.put("maxMillis", Stats.fmt(Stats.max(copy), 2));
    if (!Double.isNaN(perSecond)) {
      summary.put("perSecond", Math.round(perSecond));
    }
    return summary;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long mib(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0);
  }

  // ---- report -------------------------------------------------------------------------------

  private void write(String machine) throws IOException {
    Files.createDirectories(out);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("results", results);
    Files.writeString(
        out.resolve("apiserver-scale.json"),
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
            + "\n");
    Files.writeString(out.resolve("apiserver-scale.md"), markdown(machine));
    System.out.println(markdown(machine));
    if (doc) {
      Report.regenerate();
    }
  }

  @SuppressWarnings("unchecked")
  private String markdown(String machine) {
    StringBuilder md = new StringBuilder();
    md.append("### Embedded API server at ")
        .append(String.format("%,d", objects))
        .append(" AgentReleases\n\n");
    md.append("Measured ")
        .append(machine)
        .append("; server heap limit ")
        .append(results.get("maxHeapMiB"))
        .append(" MiB, ")
        .append(results.get("clientThreads"))
        .append(" client threads for writes, ")
        .append(results.get("namespaces"))
        .append(" namespaces.\n\n");
    md.append("| memory (live heap after GC) | MiB |\n|---|---:|\n");
    md.append("| empty server | ").append(results.get("heapEmptyServerMiB")).append(" |\n");
    md.append("| with the objects (")
        .append(results.get("storedObjectBytes"))
        .append(" bytes of JSON each, ")
        .append(results.get("heapPerObjectKiB"))
        .append(" KiB of heap each) | ")
        .append(results.get("heapWithObjectsMiB"))
        .append(" |\n");
    md.append("| at the end (history of the last 20,000 changes included) | ")
        .append(results.get("heapAtEndMiB"))
        .append(" |\n\n");
    md.append("| request | count | p50 ms | p99 ms | max ms | per second |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    row(md, "create (POST, schema and CEL checked)", "create");
    row(md, "status write (merge PATCH of /status)", "statusWrite");
    row(md, "get", "get");
    row(
        md,
        "list page of "
            + page
            + " across namespaces (full pass: "
            + ((Map<String, Object>) results.get("listPage")).get("fullPassMillis")
            + " ms)",
        "listPage");
    row(md, "list page of " + page + " in one namespace", "listNamespacePage");
    row(
        md,
        "list all, unpaginated ("
            + ((Map<String, Object>) results.get("listAll")).get("responseMiB")
            + " MiB)",
        "listAll");
    row(
        md,
        "watch event delivery, write sent to handler called (" + watchers + " Fabric8 informers)",
        "watchDelivery");
    md.append("\nFabric8 informer initial sync of all objects: ")
        .append(results.get("informerSyncPaginatedMillis"))
        .append(" ms in pages of ")
        .append(page)
        .append(", ")
        .append(results.get("informerSyncUnpaginatedMillis"))
        .append(" ms in one list.\n");
    return md.toString();
  }

  @SuppressWarnings("unchecked")
  private void row(StringBuilder md, String label, String key) {
    Map<String, Object> r = (Map<String, Object>) results.get(key);
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(r.get("count"))
        .append(" | ")
        .append(r.get("p50Millis"))
        .append(" | ")
        .append(r.get("p99Millis"))
        .append(" | ")
        .append(r.get("maxMillis"))
        .append(" | ")
        .append(r.getOrDefault("perSecond", ""))
        .append(" |\n");
  }
}
