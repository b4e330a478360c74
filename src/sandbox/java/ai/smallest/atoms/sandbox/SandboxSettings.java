package ai.smallest.atoms.sandbox;

import ai.smallest.atoms.harness.OperatorProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a sandbox. Port 0 picks a free port.
 *
 * @param projectDir the repository root: crds/ and target/quarkus-app/ are read from it
 * @param stateDir where the kubeconfig and logs are written
 * @param resyncInterval the operator's {@code atoms.resync-interval}: short, so drift visibly
 *     reverts
 * @param operatorEcho where to copy the operator's log, or null
 */
public record SandboxSettings(
    int apiPort,
    int atomsPort,
    int adminPort,
    Path projectDir,
    Path stateDir,
    Duration resyncInterval,
    PrintStream operatorEcho) {

  public static final int DEFAULT_API_PORT = 17443;
  public static final int DEFAULT_ATOMS_PORT = 17080;
  public static final int DEFAULT_ADMIN_PORT = 17081;

  public static SandboxSettings defaults(Path projectDir) {
    return new SandboxSettings(
        DEFAULT_API_PORT,
        DEFAULT_ATOMS_PORT,
        DEFAULT_ADMIN_PORT,
        projectDir,
        projectDir.resolve("target/sandbox"),
        Duration.ofSeconds(15),
        null);
  }

  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  public Path operatorJar() {
    return projectDir.resolve(OperatorProcess.JAR);
  }

  public SandboxSettings withPorts(int api, int atoms, int admin) {
    return new SandboxSettings(
        api, atoms, admin, projectDir, stateDir, resyncInterval, operatorEcho);
  }

  public SandboxSettings withStateDir(Path dir) {
    return new SandboxSettings(
        apiPort, atomsPort, adminPort, projectDir, dir, resyncInterval, operatorEcho);
  }

  public SandboxSettings withResyncInterval(Duration interval) {
    return new SandboxSettings(
        apiPort, atomsPort, adminPort, projectDir, stateDir, interval, operatorEcho);
  }

  public SandboxSettings withOperatorEcho(PrintStream echo) {
    return new SandboxSettings(
        apiPort, atomsPort, adminPort, projectDir, stateDir, resyncInterval, echo);
  }
}
