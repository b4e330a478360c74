package ai.smallest.atoms.operator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths of what users install, relative to the project root (the tests' working directory). */
final class Repo {

  static final Path CRDS = Path.of("crds");
  static final Path CRD_FILE = CRDS.resolve("agentreleases.atoms.smallest.ai-v1.yml");
  static final Path DEPLOY = Path.of("deploy");
  static final Path DEPLOY_BASE = DEPLOY.resolve("base");
  static final Path OPERATOR_MANIFEST = DEPLOY_BASE.resolve("atoms-operator.yaml");
  static final Path SINGLE_NAMESPACE = DEPLOY.resolve("single-namespace");
  static final Path ARGOCD = DEPLOY.resolve("argocd");
  static final Path CHART = Path.of("helm", "atoms-operator");
  static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
  static final Path APPLICATION_PROPERTIES =
      Path.of("src", "main", "resources", "application.properties");

  /** The installation guide: every command in it is checked by InstallDocsTest. */
  static final Path INSTALL_DOCS = Path.of("docs", "install.md");

  /** The front page, with an install section of its own. */
  static final Path README = Path.of("README.md");

  /** The AgentRelease reference: fields, conditions, reasons. */
  static final Path REFERENCE_DOCS = Path.of("docs", "reference.md");

  static final Path FIXTURES = Path.of("src", "test", "resources", "packaging");

  /** The image every install path deploys by default. */
  static final String IMAGE_REPOSITORY = "ghcr.io/smallest-ai/atoms-operator";

  private Repo() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Maven project version, e.g. 0.1.0-SNAPSHOT. */
  static String projectVersion() {
    Matcher m =
        Pattern.compile("<artifactId>atoms-operator</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(read(Path.of("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("pom.xml has no atoms-operator version");
    }
    return m.group(1);
  }

  /**
   * The version the next release of this tree is published as: the project version without
   * -SNAPSHOT.
   */
  static String releaseVersion() {
    return projectVersion().replaceFirst("-SNAPSHOT$", "");
  }
}
