package ai.smallest.atoms.sandbox;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./sandbox [--api-port N] [--atoms-port N] [--admin-port N] [--dir PATH] [--quiet]}: starts
 * the sandbox, prints what to try next, and runs until Ctrl-C. Port 0 picks a free port.
 */
public final class SandboxMain {

  private SandboxMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path project = Path.of("").toAbsolutePath();
    SandboxSettings settings = SandboxSettings.defaults(project).withOperatorEcho(System.out);
    int api = settings.apiPort();
    int atoms = settings.atomsPort();
    int admin = settings.adminPort();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--api-port" -> api = Integer.parseInt(value(args, ++i));
        case "--atoms-port" -> atoms = Integer.parseInt(value(args, ++i));
        case "--admin-port" -> admin = Integer.parseInt(value(args, ++i));
        case "--dir" ->
            settings = settings.withStateDir(Path.of(value(args, ++i)).toAbsolutePath());
        case "--quiet" -> settings = settings.withOperatorEcho(null);
        case "--resync" ->
            settings =
                new SandboxSettings(
                    settings.apiPort(),
                    settings.atomsPort(),
                    settings.adminPort(),
                    settings.projectDir(),
                    settings.stateDir(),
                    Duration.ofSeconds(Long.parseLong(value(args, ++i))),
                    settings.operatorEcho());
        case "-h", "--help" -> {
          System.out.println(
              "usage: ./sandbox [--api-port N] [--atoms-port N] [--admin-port N] [--dir PATH] [--resync SECONDS] [--quiet]");
          System.out.println(
              "  ports default to "
                  + SandboxSettings.DEFAULT_API_PORT
                  + ", "
                  + SandboxSettings.DEFAULT_ATOMS_PORT
                  + ", "
                  + SandboxSettings.DEFAULT_ADMIN_PORT
                  + "; 0 picks a free port. State (kubeconfig, logs) goes to target/sandbox.");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
    }
    settings = settings.withPorts(api, atoms, admin);

    System.out.println(
        "Starting the atoms-operator sandbox: embedded Kubernetes API, Atoms simulator, operator...");
    Sandbox sandbox;
    try {
      sandbox = Sandbox.start(settings);
    } catch (RuntimeException e) {
      System.err.println("The sandbox could not start: " + e.getMessage());
      if (String.valueOf(e.getMessage()).contains("port")
          || String.valueOf(e.getCause()).contains("Address already in use")) {
        System.err.println(
            "A port is taken: pass --api-port 0 --atoms-port 0 --admin-port 0 to use free ones.");
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping the sandbox...");
                  sandbox.close();
                  stopped.countDown();
                },
                "sandbox-shutdown"));
    printNextSteps(System.out, sandbox, project);
    stopped.await();
  }

  static void printNextSteps(PrintStream out, Sandbox sandbox, Path project) {
    String kubeconfig = relative(project, sandbox.kubeconfig());
    out.println();
    out.println("The sandbox is ready (Ctrl-C stops it).");
    out.println(
        "  Kubernetes API : " + sandbox.apiServer().url() + "   (AgentRelease CRD installed)");
    out.println(
        "  Atoms API      : "
            + sandbox.simulator().baseUrl()
            + "   (simulator, API key \""
            + DemoAgents.API_KEY
            + "\")");
    out.println(
        "  Operator       : running, re-checking every "
            + sandbox.settings().resyncInterval().toSeconds()
            + "s; log in "
            + relative(project, sandbox.settings().stateDir().resolve("operator.log")));
    out.println();
    out.println("In another terminal:");
    out.println(
        "  export KUBECONFIG="
            + (Path.of(kubeconfig).isAbsolute() ? kubeconfig : "$PWD/" + kubeconfig));
    out.println("  kubectl apply -f examples/");
    out.println("  kubectl get agr");
    out.println("  kubectl wait agr --all --for=condition=Ready --timeout=60s");
    out.println("  kubectl describe agr support-agent");
    out.println(
        "  kubectl patch agr support-agent --type=merge -p '{\"spec\":{\"versionNumber\":4}}'");
    out.println();
    out.println(
        "Play someone changing the live version in the Atoms console (the operator reverts it):");
    out.println(
        "  curl -s -X POST '" + sandbox.adminUrl() + "/agents/agent-support/activate?version=2'");
    out.println(
        "  curl -s " + sandbox.adminUrl() + "/calls      # the Atoms API calls the operator made");
    out.println();
  }

  private static String relative(Path project, Path path) {
    Path absolute = path.toAbsolutePath();
    return absolute.startsWith(project)
        ? project.relativize(absolute).toString()
        : absolute.toString();
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("option " + args[i - 1] + " needs a value");
      System.exit(2);
    }
    return args[i];
  }
}
