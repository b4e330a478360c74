package ai.smallest.atoms.harness;

import ai.smallest.atoms.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The one Kubernetes API of the operator's Quarkus tests: starts an {@link EmbeddedApiServer} on a
 * free port, installs the CRDs from {@code crds/} (as a cluster admin would: the operator does not
 * install its CRD), and points the operator's Kubernetes client at it (and no kubeconfig or service
 * account of the machine). One server per test class:
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = EmbeddedApiServerResource.class, restrictToAnnotatedClass = true)
 * class SomeTest {
 *   @EmbeddedApiServerResource.Server EmbeddedApiServer apiServer;   // injected
 * }
 * }</pre>
 *
 * Init args ({@code @ResourceArg}) set {@link EmbeddedApiServer.Options}: {@code watchTimeout},
 * {@code bookmarkInterval}, {@code compactEvery} (ISO-8601 durations such as {@code PT5S}) and
 * {@code historyLimit}.
 */
public class EmbeddedApiServerResource implements QuarkusTestResourceLifecycleManager {

  /** Where the project's CRDs are, relative to the project directory (the tests' working dir). */
  public static final Path CRDS = Path.of("crds");

  /** The User-Agent of {@link #testClient}: the operator's own client is Fabric8's default. */
  public static final String TEST_CLIENT = "atoms-e2e-test";

  /** Marks a field of type {@link EmbeddedApiServer} of the test class to receive the server. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Server {}

  private static volatile EmbeddedApiServer current;
  private EmbeddedApiServer.Options options = EmbeddedApiServer.options();
  private EmbeddedApiServer server;
  private final Map<String, String> previous = new HashMap<>();

  /** The server of the test class that is running. */
  public static EmbeddedApiServer server() {
    if (current == null) {
      throw new IllegalStateException("no EmbeddedApiServerResource is running");
    }
    return current;
  }

  /**
   * A Kubernetes client of its own for the test code, so that the server can tell the test's
   * requests from the operator's ({@link #TEST_CLIENT}).
   */
  public static KubernetesClient testClient(EmbeddedApiServer server) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url())
            .withNamespace("default")
            .withUserAgent(TEST_CLIENT)
            .withRequestTimeout(30_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public void init(Map<String, String> initArgs) {
    initArgs.forEach(
        (name, value) -> {
          switch (name) {
            case "watchTimeout" -> options.watchTimeout(Duration.parse(value));
            case "bookmarkInterval" -> options.bookmarkInterval(Duration.parse(value));
            case "compactEvery" -> options.compactEvery(Duration.parse(value));
            case "historyLimit" -> options.historyLimit(Integer.parseInt(value));
            default ->
                throw new IllegalArgumentException(
                    "unknown EmbeddedApiServerResource argument " + name);
          }
        });
  }

  @Override
  public Map<String, String> start() {
    server = options.start();
    server.installCrds(CRDS);
    current = server;
    // Fabric8's own system properties, read whenever a client is configured: the Quarkus
    // properties (quarkus.kubernetes-client.api-server-url) are fixed when the application is
    // built, so a second test class, which restarts but does not rebuild it, would keep the first
    // class's server. (Quarkus' own Kubernetes mock test resource does the same.)
    Map<String, String> properties = new HashMap<>();
    properties.put(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, server.url());
    properties.put(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "default");
    properties.put(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    properties.put(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    properties.forEach(
        (name, value) -> {
          previous.put(name, System.getProperty(name));
          System.setProperty(name, value);
        });
    return Map.of();
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server, new TestInjector.AnnotatedAndMatchesType(Server.class, EmbeddedApiServer.class));
  }

  @Override
  public void stop() {
    previous.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
    previous.clear();
    if (server != null) {
      server.close();
      if (current == server) {
        current = null;
      }
    }
  }
}
