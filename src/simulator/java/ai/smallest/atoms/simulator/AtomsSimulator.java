package ai.smallest.atoms.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stateful HTTP fake of the Atoms agent-versioning API (list published versions, activate a
 * version), served on 127.0.0.1 under {@code /atoms/v1}.
 *
 * <p>Test-side controls (seeding, console activation, publishing, pinning, labelling, archiving,
 * inspection) bypass HTTP and are not counted as API calls. Everything is safe to use from several
 * threads.
 *
 * <p>The list endpoint returns published versions newest first (versionNumber descending), stable
 * across pages, unless {@link #listOrder(ListOrder)} says otherwise. The contract promises no order
 * at all; what the real API does is not documented.
 */
public final class AtomsSimulator implements AutoCloseable {

  static {
    // The JDK server writes the status line and the body separately; with Nagle's algorithm on,
    // the body then waits for the client's delayed ACK, adding ~40 ms to every answer. Must be
    // set before the first HttpServer is created (the JDK reads it once); an explicit setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Enough that injected latency or timeouts do not serialise a concurrent client's requests. */
  private static final int HANDLER_THREADS = 32;

  private final VersionStore store;
  private final ApiKeyRegistry apiKeys = new ApiKeyRegistry();
  private final CallCounters counters = new CallCounters();
  private final FaultQueue faults = new FaultQueue();
  private final RandomFaults randomFaults = new RandomFaults();
  private final RequestLog log = new RequestLog();
  private final AgentDelays agentDelays = new AgentDelays();
  private final Map<String, AgentBuilder> builders = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Duration latency = Duration.ZERO;

  private AtomsSimulator(int port, Clock clock) throws IOException {
    this.store = new VersionStore(Objects.requireNonNull(clock, "clock"));
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads());
    server.createContext(
        "/",
        new SimulatorHttpHandler(
            counters,
            faults,
            new VersionsApi(store, apiKeys, log),
            () -> latency,
            randomFaults,
            log,
            agentDelays));
    server.setExecutor(executor);
    server.start();
  }

  /** Starts on a free port with the system UTC clock. */
  public static AtomsSimulator start() {
    return start(0, Clock.systemUTC());
  }

  /** Starts on {@code port} (0 picks a free one); {@code clock} stamps every timestamp. */
  public static AtomsSimulator start(int port, Clock clock) {
    try {
      return new AtomsSimulator(port, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Atoms simulator on port " + port, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + RequestRouter.BASE_PATH;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  // ---- seeding ------------------------------------------------------------------------------

  /** Registers a valid API key; {@code userId} is what activations through that key record. */
  public AtomsSimulator addApiKey(String apiKey, String userId) {
    apiKeys.add(apiKey, userId);
    return this;
  }

  /** Creates the agent on first use; later calls return the same builder. */
  public AgentBuilder agent(String agentId) {
    return builders.computeIfAbsent(agentId, id -> new AgentBuilder(store, id));
  }

  /**
   * The display name the API reports for {@code userId} ({@code activatedByName}, {@code
   * publishedByName}); by default the user id itself.
   */
  public AtomsSimulator userName(String userId, String displayName) {
    store.setDisplayName(userId, displayName);
    return this;
  }

  /**
   * The order of the list endpoint (default {@link ListOrder#NEWEST_FIRST}). The contract promises
   * no order: a client that is correct under every order does not depend on one.
   */
  public AtomsSimulator listOrder(ListOrder order) {
    store.setOrder(order);
    return this;
  }

  /** Every call about this agent answers 403, as for a workflow_graph agent without entitlement. */
  public void forbid(String agentId) {
    store.forbid(agentId);
  }

  /** Undoes {@link #forbid(String)}. */
  public void allow(String agentId) {
    store.allow(agentId);
  }

  // ---- out-of-band changes and inspection ---------------------------------------------------

  /**
   * A human activating a version in the console: produces drift the operator must notice. Follows
   * the API's rules but is not counted as an API call.
   *
   * @throws NoSuchElementException if the agent or version does not exist
   * @throws IllegalStateException if the version is not published
   */
  public SimVersion consoleActivate(String agentId, String versionId, String userId) {
    VersionStore.Activation activation = store.activate(agentId, versionId, userId);
    log.activation(SimActivationLog.of(log.now(), agentId, versionId, userId, activation, true));
    return switch (activation.outcome()) {
      case NOT_FOUND ->
          throw new NoSuchElementException("agent " + agentId + " has no version " + versionId);
      case NOT_PUBLISHED ->
          throw new IllegalStateException(
              "version "
                  + versionId
                  + " is "
                  + activation.version().status()
                  + ", only published versions can be activated");
      case ACTIVATED, ALREADY_ACTIVE -> activation.version();
    };
  }

  /**
   * @throws NoSuchElementException for an unknown agent
   */
  public Optional<SimVersion> activeVersion(String agentId) {
    return store.active(agentId);
  }

  /**
   * @throws NoSuchElementException for an unknown agent or version
   */
  public SimVersion version(String agentId, String versionId) {
    return store.byId(agentId, versionId);
  }

  /** All versions of every status, in creation order. */
  public List<SimVersion> versions(String agentId) {
    return store.all(agentId);
  }

  // ---- call accounting ----------------------------------------------------------------------

  /** Requests that reached the endpoint, whatever they were answered with (401, 404, faults…). */
  public int calls(Endpoint endpoint) {
    return counters.count(endpoint);
  }

  public int calls(Endpoint endpoint, String agentId) {
    return counters.count(endpoint, agentId);
  }

  /** Sum over both endpoints; requests to unknown paths are not API calls. */
  public int totalCalls() {
    return counters.total();
  }

  public void resetCounters() {
    counters.reset();
  }

  /**
   * Starts (or stops) keeping a {@link RequestRecord} of every request, for rates, gaps and
   * per-request timing; off by default because it grows with traffic.
   */
  public AtomsSimulator recordRequests(boolean on) {
    log.setRecording(on);
    return this;
  }

  /**
   * The requests recorded since {@link #recordRequests(boolean)} was turned on (or the last {@link
   * #clearLogs()}), in arrival order.
   */
  public List<RequestRecord> requestLog() {
    return log.requests();
  }

  /**
   * Every activation attempt through the API or {@link #consoleActivate}, oldest first (seeding is
   * not logged).
   */
  public List<SimActivation> activationLog() {
    return log.activations();
  }

  /** Requests being answered right now (including those held by latency or faults). */
  public int inFlight() {
    return log.inFlight();
  }

  /**
   * The most requests that were in flight at once since start or {@link #clearLogs()}: checks a
   * client's concurrency limit.
   */
  public int maxInFlight() {
    return log.maxInFlight();
  }

  /**
   * Empties the request and activation logs and restarts {@link #maxInFlight()}; counters are
   * separate ({@link #resetCounters()}).
   */
  public void clearLogs() {
    log.reset();
  }

  // ---- misbehaviour -------------------------------------------------------------------------

  /**
   * The next {@code times} requests to {@code endpoint}, for any agent, suffer {@code fault}; FIFO.
   */
  public void injectFault(Endpoint endpoint, Fault fault, int times) {
    faults.add(
        Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(fault, "fault"),
        times);
  }

  /**
   * The next {@code times} requests to {@code endpoint} about {@code agentId} suffer {@code fault};
   * FIFO together with the faults for any agent.
   */
  public void injectFault(Endpoint endpoint, String agentId, Fault fault, int times) {
    faults.add(
        Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(agentId, "agentId"),
        Objects.requireNonNull(fault, "fault"),
        times);
  }

  /**
   * Every request to {@code endpoint} about {@code agentId} suffers {@code fault} from now on,
   * until {@link #clearFaults(String)}: a tenant whose API misbehaves for good.
   */
  public void alwaysFault(Endpoint endpoint, String agentId, Fault fault) {
    faults.add(
        Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(agentId, "agentId"),
        Objects.requireNonNull(fault, "fault"),
        FaultQueue.FOREVER);
  }

  /** Drops the queued and permanent faults of {@code agentId} (those for any agent stay). */
  public void clearFaults(String agentId) {
    faults.clear(Objects.requireNonNull(agentId, "agentId"));
  }

  /** Drops every queued and permanent fault. */
  public void clearFaults() {
    faults.clear(null);
  }

  /**
   * From now on every request without a queued {@link Fault} suffers a fault drawn from {@code mix}
   * (null turns the mix off). Replaces any previous mix and restarts its random sequence.
   */
  public void setFaultMix(FaultMix mix) {
    randomFaults.set(mix);
  }

  public void clearFaultMix() {
    randomFaults.set(null);
  }

  /**
   * How many requests each kind of random fault was applied to (queued {@link Fault}s are not
   * counted here).
   */
  public Map<FaultKind, Integer> injectedFaults() {
    return randomFaults.injected();
  }

  public void resetInjectedFaults() {
    randomFaults.reset();
  }

  /** Added to every request before it is answered. */
  public void setLatency(Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be a non-negative duration");
    }
    this.latency = latency;
  }

  /**
   * Added to every request about {@code agentId}, after the latency of all requests: a slow tenant
   * next to fast ones. {@link Duration#ZERO} removes it.
   */
  public void setLatency(String agentId, Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be a non-negative duration");
    }
    agentDelays.setLatency(Objects.requireNonNull(agentId, "agentId"), latency);
  }

  /**
   * Requests about {@code agentId} wait (in flight, unanswered) until {@link #letGo(String)}:
   * "while these requests are in flight", without guessing at timing. Counted by {@link
   * #heldRequests(String)}.
   */
  public void hold(String agentId) {
    agentDelays.hold(Objects.requireNonNull(agentId, "agentId"));
  }

  /** Answers the held requests about {@code agentId}, and every later one at once. */
  public void letGo(String agentId) {
    agentDelays.letGo(Objects.requireNonNull(agentId, "agentId"));
  }

  /** Requests about {@code agentId} waiting on {@link #hold(String)} right now. */
  public int heldRequests(String agentId) {
    return agentDelays.held(agentId);
  }

  @Override
  public void close() {
    server.stop(0);
    // Interrupts handlers sleeping on latency or timeout faults so close() never waits on them.
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger sequence = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "atoms-simulator-" + sequence.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
