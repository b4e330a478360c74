package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.deployment.pkg.jar.FastJarFormat;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built here (no Docker engine), so what can be checked statically is: the
 * Dockerfile copies exactly the fast-jar layout Quarkus produces (its constants, read from the
 * Quarkus build code on the test classpath, so an upgrade that changes the layout fails this test),
 * the project does not switch Quarkus to another packaging, and the image runs as a non-root user.
 * Surefire runs before `package`, so the copied paths are compared with a real build's output only
 * when one exists (a second `verify`, or after `./mvnw package`).
 */
class DockerfileTest {

  private static final String APP_DIR =
      "target/" + FastJarFormat.DEFAULT_FAST_JAR_DIRECTORY_NAME + "/";

  /**
   * Where `package` writes the SBOM (pom.xml, cyclonedx-maven-plugin), and where the image has it.
   */
  static final String SBOM = APP_DIR + "atoms-operator.cdx.json";

  static final String SBOM_IN_IMAGE = "/deployments/sbom/atoms-operator.cdx.json";

  /** FROM name:tag, optionally @sha256:digest. */
  private static final Pattern FROM =
      Pattern.compile("FROM (\\S+?):([^@\\s]+)(?:@(sha256:[0-9a-f]{64}))?");

  private record Copy(String source, String destination) {}

  private static List<String> instructions() {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Repo.read(Repo.DOCKERFILE).split("\n")) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        lines.add(current.append(trimmed).toString());
        current.setLength(0);
      }
    }
    return lines;
  }

  private static List<Copy> copies() {
    return instructions().stream()
        .filter(i -> i.startsWith("COPY "))
        .map(i -> i.substring(5).replaceAll("--chown=\\S+\\s+", "").strip().split("\\s+"))
        .map(parts -> new Copy(parts[0], parts[1]))
        .toList();
  }

  @Test
  void copiesExactlyTheQuarkusFastJarLayoutAndTheSbomIntoDeployments() {
    assertThat(copies())
        .containsExactly(
            new Copy(APP_DIR + FastJarFormat.LIB + "/", "/deployments/" + FastJarFormat.LIB + "/"),
            new Copy(APP_DIR + "*.jar", "/deployments/"),
            new Copy(APP_DIR + FastJarFormat.APP + "/", "/deployments/" + FastJarFormat.APP + "/"),
            new Copy(
                APP_DIR + FastJarFormat.QUARKUS + "/",
                "/deployments/" + FastJarFormat.QUARKUS + "/"),
            new Copy(SBOM, SBOM_IN_IMAGE));
    assertThat(instructions())
        .contains("ENV JAVA_APP_JAR=\"/deployments/" + FastJarFormat.QUARKUS_RUN_JAR + "\"");
  }

  @Test
  void projectKeepsQuarkusDefaultFastJarPackaging() throws Exception {
    Properties properties = new Properties();
    try (var in = Files.newInputStream(Repo.APPLICATION_PROPERTIES)) {
      properties.load(in);
    }
    assertThat(properties.getProperty("quarkus.package.jar.type", "fast-jar"))
        .isEqualTo("fast-jar");
    assertThat(properties.getProperty("quarkus.package.jar.enabled", "true")).isEqualTo("true");
    assertThat(properties.stringPropertyNames())
        .noneMatch(k -> k.startsWith("quarkus.package.output"));
  }

  @Test
  void runsAsNonRootNumericUserOnAPinnedBaseImage() {
    List<String> instructions = instructions();
    String from =
        instructions.stream().filter(i -> i.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow();
    String user =
        instructions.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();

    Matcher tag = FROM.matcher(from);
    assertThat(tag.matches())
        .as("base image has a tag, and a sha256 digest if any: %s", from)
        .isTrue();
    assertThat(tag.group(2)).isNotEqualTo("latest");
    // runAsNonRoot can only verify a numeric user.
    assertThat(user.substring(5)).matches("[1-9][0-9]*").isNotEqualTo("0");
    assertThat(instructions).contains("EXPOSE 8080");
    assertThat(String.join("\n", instructions)).doesNotContain("--chown=");
  }

  /** The image's ENV variables, from instructions of the form ENV NAME=value (quoted or not). */
  private static Map<String, String> environment() {
    Map<String, String> env = new java.util.HashMap<>();
    Pattern assignment =
        Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|'([^']*)'|(\\S+))");
    for (String instruction : instructions()) {
      if (instruction.startsWith("ENV ")) {
        Matcher m = assignment.matcher(instruction.substring(4));
        while (m.find()) {
          String value =
              m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
          env.put(m.group(1), value);
        }
      }
    }
    return env;
  }

  @Test
  void benchmarksAndTestsRunTheOperatorWithTheImagesJvmOptionsAndEnvironment() {
    Map<String, String> env = environment();
    List<String> imageJvmOptions =
        java.util.Arrays.stream(env.get("JAVA_OPTS_APPEND").split("\\s+"))
            .filter(option -> option.startsWith("-XX:"))
            .toList();

    assertThat(imageJvmOptions).contains("-XX:MaxRAMPercentage=50.0", "-XX:TieredStopAtLevel=1");
    assertThat(ai.smallest.atoms.harness.OperatorProcess.PRODUCTION_JVM_OPTIONS)
        .containsAll(imageJvmOptions);
    assertThat(env)
        .containsAllEntriesOf(ai.smallest.atoms.harness.OperatorProcess.PRODUCTION_ENVIRONMENT);
  }

  @Test
  void packageWritesTheSbomWhereTheDockerfileCopiesItFrom() {
    String pom = Repo.read(Path.of("pom.xml"));
    Matcher plugin =
        Pattern.compile(
                "<artifactId>cyclonedx-maven-plugin</artifactId>.*?<phase>package</phase>.*?"
                    + "<outputName>([^<]+)</outputName>\\s*<outputDirectory>\\$\\{project\\.build\\.directory}/([^<]+)</outputDirectory>",
                Pattern.DOTALL)
            .matcher(pom);
    assertThat(plugin.find()).as("cyclonedx-maven-plugin in package, with its output").isTrue();
    assertThat("target/" + plugin.group(2) + "/" + plugin.group(1) + ".json").isEqualTo(SBOM);
    // After the Quarkus build in the same phase (declaration order), which recreates quarkus-app.
    assertThat(pom.indexOf("<artifactId>cyclonedx-maven-plugin</artifactId>"))
        .isGreaterThan(pom.indexOf("<artifactId>quarkus-maven-plugin</artifactId>"));
  }

  @Test
  void imageCarriesOciLabelsWithItsSourceVersionRevisionAndBase() {
    List<String> instructions = instructions();
    String joined = String.join("\n", instructions);
    Matcher from =
        FROM.matcher(
            instructions.stream()
                .filter(i -> i.startsWith("FROM "))
                .reduce((a, b) -> b)
                .orElseThrow());
    assertThat(from.matches()).isTrue();

    assertThat(instructions)
        .contains("ARG VERSION=" + Repo.releaseVersion(), "ARG REVISION=unknown");
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher label =
        Pattern.compile("(org\\.opencontainers\\.image\\.[a-z.]+)=\"([^\"]*)\"").matcher(joined);
    while (label.find()) {
      labels.put(label.group(1), label.group(2));
    }
    assertThat(labels)
        .containsEntry(
            "org.opencontainers.image.source", "https://github.com/smallest-ai/atoms-operator")
        .containsEntry("org.opencontainers.image.version", "${VERSION}")
        .containsEntry("org.opencontainers.image.revision", "${REVISION}")
        .containsEntry("org.opencontainers.image.title", "atoms-operator")
        .containsEntry("org.opencontainers.image.base.name", from.group(1) + ":" + from.group(2));
    if (from.group(3) != null) {
      assertThat(labels).containsEntry("org.opencontainers.image.base.digest", from.group(3));
    } else {
      assertThat(labels).doesNotContainKey("org.opencontainers.image.base.digest");
    }
    // The LABEL comes after the ARGs it expands.
    assertThat(joined.indexOf("ARG REVISION")).isLessThan(joined.indexOf("LABEL "));
  }

  @Test
  void dockerignoreSendsEveryCopiedPathAndNothingElse() {
    List<String> rules =
        Repo.read(Path.of(Repo.DOCKERFILE + ".dockerignore"))
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();

    assertThat(rules).containsExactly("*", "!" + APP_DIR);
    assertThat(copies()).allSatisfy(c -> assertThat(c.source()).startsWith(APP_DIR));
  }

  /** Run by {@link DockerfileBuildOutputIT} after package, when target/quarkus-app exists. */
  static void assertCopiedPathsExistInTheBuildOutput() throws Exception {
    assertThat(Path.of(APP_DIR).resolve(FastJarFormat.QUARKUS_RUN_JAR)).isRegularFile();
    for (Copy copy : copies()) {
      Path source = Path.of(copy.source());
      if (copy.source().contains("*")) {
        var glob = FileSystems.getDefault().getPathMatcher("glob:" + source.getFileName());
        try (var files = Files.list(source.getParent())) {
          assertThat(
                  files
                      .filter(p -> glob.matches(p.getFileName()))
                      .map(p -> p.getFileName().toString()))
              .contains(FastJarFormat.QUARKUS_RUN_JAR);
        }
      } else if (copy.source().endsWith("/")) {
        assertThat(source).as(copy.source()).isDirectory();
        try (var files = Files.list(source)) {
          assertThat(files).as(copy.source() + " is empty").isNotEmpty();
        }
      } else {
        assertThat(source).as(copy.source()).isRegularFile();
      }
    }
  }
}
