package ai.smallest.atoms.operator.packaging;

import ai.smallest.atoms.operator.config.OperatorConfig;
import ai.smallest.atoms.operator.config.SafeSettings;
import ai.smallest.atoms.operator.reconciler.AgentReleaseReconciler;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator makes of a Deployment's environment: the same SmallRye Config mapping the
 * operator uses ({@link OperatorConfig}), fed only with the literal env values of a manifest, and
 * the list of environment variables the operator reads at all. Keeps the chart and deploy/ from
 * drifting away from the operator's configuration keys.
 */
final class OperatorEnvironment {

  /** Read by Quarkus / quarkus-operator-sdk / our own code directly, not through OperatorConfig. */
  static final Set<String> OTHER_KNOWN =
      Set.of(
          "POD_NAMESPACE",
          "QUARKUS_LOG_LEVEL",
          "JAVA_OPTS_APPEND", // the base image's run-java.sh
          "QUARKUS_OPERATOR_SDK_CONTROLLERS_"
              + AgentReleaseReconciler.NAME.toUpperCase()
              + "_NAMESPACES",
          SafeSettings.SELECTOR_PROPERTY.toUpperCase().replace('.', '_').replace('-', '_'));

  private OperatorEnvironment() {}

  /**
   * OperatorConfig as the operator would see it with these environment variables (and its built-in
   * defaults).
   */
  static OperatorConfig configFrom(Map<String, String> env) {
    Map<String, String> literal = new HashMap<>();
    env.forEach(
        (k, v) -> {
          if (!v.startsWith("<from:")) {
            literal.put(k, v);
          }
        });
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new EnvConfigSource(literal, 300))
            .withConverter(Duration.class, 200, new DurationConverter())
            .withMapping(OperatorConfig.class)
            .build();
    return config.getConfigMapping(OperatorConfig.class);
  }

  /** ATOMS_* names of every OperatorConfig property, e.g. ATOMS_DEFAULT_API_KEY_SECRET_NAME. */
  static Set<String> operatorConfigVariables() {
    Set<String> names = new TreeSet<>();
    collect(OperatorConfig.class, "atoms", names);
    return names;
  }

  private static void collect(Class<?> group, String prefix, Set<String> names) {
    for (Method m : group.getMethods()) {
      if (m.getParameterCount() != 0
          || m.isDefault()
          || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      String property = prefix + "." + kebab(m.getName());
      Class<?> type = m.getReturnType();
      if (type.isInterface() && type.getEnclosingClass() == OperatorConfig.class) {
        collect(type, property, names);
      } else {
        names.add(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
      }
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }

  static Optional<String> unknownVariable(Map<String, String> env) {
    Set<String> known = operatorConfigVariables();
    return env.keySet().stream()
        .filter(n -> !known.contains(n) && !OTHER_KNOWN.contains(n))
        .findFirst();
  }
}
