package ai.smallest.atoms.sandbox;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import ai.smallest.atoms.harness.OperatorProcess;
import ai.smallest.atoms.simulator.AtomsSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the one-command sandbox runs, started in dependency order and stopped in reverse: the
 * embedded Kubernetes API server (with the project's CRDs installed), the seeded Atoms API
 * simulator and its admin endpoint, a kubeconfig, and the operator as a child process.
 */
public final class Sandbox implements AutoCloseable {

  public static final List<String> AGENTS =
      List.of("agent-support", "agent-sales", "agent-onboarding");

  /** A small heap and the serial collector: the sandbox runs on a laptop, next to an IDE. */
  private static final List<String> OPERATOR_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");

  private final SandboxSettings settings;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EmbeddedApiServer apiServer;
  private AtomsSimulator simulator;
  private SimulatorAdminServer admin;
  private OperatorProcess operator;
  private Writer requestLog;

  private Sandbox(SandboxSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything and returns once the operator is ready; on failure, stops what had started.
   */
  public static Sandbox start(SandboxSettings settings) {
    Sandbox sandbox = new Sandbox(settings);
    try {
      sandbox.startAll();
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  private void startAll() {
    try {
      Files.createDirectories(settings.stateDir());
      requestLog =
          Files.newBufferedWriter(
              settings.stateDir().resolve("apiserver-requests.log"), StandardCharsets.UTF_8);
      started.add(requestLog);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + settings.stateDir(), e);
    }
    apiServer = EmbeddedApiServer.start(settings.apiPort(), Clock.systemUTC(), this::logRequest);
    started.add(apiServer);
    CrdInstaller.install(settings.projectDir().resolve("crds"), apiServer.operations());

    simulator = AtomsSimulator.start(settings.atomsPort(), Clock.systemUTC());
    started.add(simulator);
    DemoAgents.seed(simulator);
    admin = new SimulatorAdminServer(simulator, AGENTS, settings.adminPort());
    started.add(admin);

    Kubeconfig.write(settings.kubeconfig(), apiServer.url());
    operator =
        OperatorProcess.start(
            settings.operatorJar(),
            OPERATOR_JVM_OPTIONS,
            operatorEnvironment(),
            settings.stateDir().resolve("operator.log"),
            settings.operatorEcho());
    started.add(operator);
    operator.awaitReady(Duration.ofSeconds(90));
  }

  /**
   * The operator's configuration: production defaults, except short intervals so changes show
   * quickly.
   */
  private Map<String, String> operatorEnvironment() {
    String resync = settings.resyncInterval().toSeconds() + "s";
    Map<String, String> env = OperatorProcess.baseEnvironment(apiServer.url(), simulator.baseUrl());
    env.put("KUBECONFIG", settings.kubeconfig().toAbsolutePath().toString());
    env.put("ATOMS_RESYNC_INTERVAL", resync);
    env.put("ATOMS_ERROR_RETRY_INTERVAL", resync);
    return env;
  }

  private synchronized void logRequest(String line) {
    try {
      requestLog.write(java.time.Instant.now() + " " + line + "\n");
      requestLog.flush();
    } catch (IOException e) {
      // The request log is a debugging aid only.
    }
  }

  public EmbeddedApiServer apiServer() {
    return apiServer;
  }

  public AtomsSimulator simulator() {
    return simulator;
  }

  public String adminUrl() {
    return admin.url();
  }

  public Path kubeconfig() {
    return settings.kubeconfig();
  }

  public SandboxSettings settings() {
    return settings;
  }

  /** Where the operator's HTTP endpoints answer (/q/metrics, /q/health). */
  public String operatorUrl() {
    return operator.baseUrl();
  }

  public boolean operatorAlive() {
    return operator != null && operator.isAlive();
  }

  /** The operator's last log lines, for test failure messages. */
  public String operatorLogTail() {
    return operator == null ? "" : operator.tail();
  }

  /** Stops the operator first (so it never sees its API disappear), then the servers. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // Keep stopping the rest.
      }
    }
    started.clear();
  }
}
