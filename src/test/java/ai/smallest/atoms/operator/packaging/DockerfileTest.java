package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.deployment.pkg.jar.FastJarFormat;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void copiesExactlyTheQuarkusFastJarLayoutIntoDeployments() {
    assertThat(copies())
        .containsExactly(
            new Copy(APP_DIR + FastJarFormat.LIB + "/", "/deployments/" + FastJarFormat.LIB + "/"),
            new Copy(APP_DIR + "*.jar", "/deployments/"),
            new Copy(APP_DIR + FastJarFormat.APP + "/", "/deployments/" + FastJarFormat.APP + "/"),
            new Copy(
                APP_DIR + FastJarFormat.QUARKUS + "/",
                "/deployments/" + FastJarFormat.QUARKUS + "/"));
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

    Matcher tag = Pattern.compile("FROM \\S+:(\\S+)").matcher(from);
    assertThat(tag.matches()).as("base image has a tag: %s", from).isTrue();
    assertThat(tag.group(1)).isNotEqualTo("latest");
    // runAsNonRoot can only verify a numeric user.
    assertThat(user.substring(5)).matches("[1-9][0-9]*").isNotEqualTo("0");
    assertThat(instructions).contains("EXPOSE 8080");
    assertThat(String.join("\n", instructions)).doesNotContain("--chown=");
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
      } else {
        assertThat(source).as(copy.source()).isDirectory();
        try (var files = Files.list(source)) {
          assertThat(files).as(copy.source() + " is empty").isNotEmpty();
        }
      }
    }
  }
}
