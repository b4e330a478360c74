package ai.smallest.atoms.simulator;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Runs a seeded simulator for the sandbox and manual poking: {@code AtomsSimulatorMain [port]}. */
public final class AtomsSimulatorMain {

    static final String SANDBOX_KEY = "sandbox-key";
    static final String SANDBOX_USER = "user_sandbox";

    private AtomsSimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
        AtomsSimulator simulator = AtomsSimulator.start(port, Clock.systemUTC());
        seed(simulator);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "atoms-simulator-shutdown"));

        System.out.println("Atoms simulator listening on " + simulator.baseUrl()
                + " (API key \"" + SANDBOX_KEY + "\")");
        stopped.await();
    }

    /** Two demo agents: a small one with every version state, and one that needs pagination. */
    static void seed(AtomsSimulator simulator) {
        simulator.addApiKey(SANDBOX_KEY, SANDBOX_USER);

        AgentBuilder support = simulator.agent("agent-support")
                .workflowType("single_prompt")
                .publishedVersions(6);
        // v1 archived leaves v2..v6 published: five listable versions, one archived.
        support.archived(1);
        support.pinned(3).activeVersion(5);
        support.draft("Work in progress");

        simulator.agent("agent-sales")
                .workflowType("workflow_graph")
                .publishedVersions(120)
                .activeVersion(120);
    }
}
