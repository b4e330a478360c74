package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubectl-plugin/: the kubectl-agr script and its krew manifest. The manifest's sha256 is
 * that of the archive built reproducibly from the script ({@link KrewArchive}); the archive is
 * written to target/krew/ for the release to upload. After changing the script, refresh the sha256
 * with {@code ./mvnw test -Dtest=KrewManifestTest -Dkrew.update=true}. The plugin's behaviour is
 * tested against the sandbox with the real kubectl (SandboxOperationsIT).
 */
class KrewManifestTest {

  static final Path PLUGIN = Repo.DEPLOY.resolve("kubectl-plugin");
  static final Path SCRIPT = PLUGIN.resolve("kubectl-agr");
  static final Path MANIFEST = PLUGIN.resolve("agr.yaml");

  private static final JsonNode PLATFORM = Yaml.document(MANIFEST).at("/spec/platforms/0");

  static String archiveName() {
    return "kubectl-agr-v" + Repo.releaseVersion() + ".tar.gz";
  }

  @Test
  void manifestDescribesThePluginOfThisRelease() {
    JsonNode manifest = Yaml.document(MANIFEST);

    assertThat(manifest.path("apiVersion").asText())
        .isEqualTo("krew.googlecontainertools.github.com/v1alpha2");
    assertThat(manifest.path("kind").asText()).isEqualTo("Plugin");
    // krew installs plugin NAME as kubectl-NAME, and the manifest file must be NAME.yaml.
    assertThat("kubectl-" + manifest.at("/metadata/name").asText())
        .isEqualTo(SCRIPT.getFileName().toString());
    assertThat(MANIFEST.getFileName().toString())
        .isEqualTo(manifest.at("/metadata/name").asText() + ".yaml");
    assertThat(manifest.at("/spec/version").asText()).isEqualTo("v" + Repo.releaseVersion());
    assertThat(manifest.at("/spec/shortDescription").asText()).hasSizeLessThan(80);
    assertThat(manifest.at("/spec/platforms")).hasSize(1);
    assertThat(PLATFORM.path("uri").asText())
        .isEqualTo(
            "https://github.com/smallest-ai/atoms-operator/releases/download/v"
                + Repo.releaseVersion()
                + "/"
                + archiveName());
    assertThat(PLATFORM.path("bin").asText()).isEqualTo("kubectl-agr");
    assertThat(PLATFORM.at("/files/0/from").asText()).isEqualTo("kubectl-agr");
    // A POSIX shell script: every system with a POSIX shell, which Windows is not.
    assertThat(K8s.strings(PLATFORM.at("/selector/matchExpressions/0/values")))
        .containsExactlyInAnyOrder("linux", "darwin");
  }

  @Test
  void sha256IsThatOfTheArchiveBuiltFromTheScript() throws IOException {
    byte[] archive = KrewArchive.tarGz(SCRIPT);
    Path out = Files.createDirectories(Path.of("target", "krew")).resolve(archiveName());
    Files.write(out, archive);
    String sha256 = KrewArchive.sha256(archive);

    if (Boolean.getBoolean("krew.update")) {
      Files.writeString(
          MANIFEST,
          Repo.read(MANIFEST)
              .replaceFirst("sha256: \"[0-9a-f]{64}\"", "sha256: \"" + sha256 + "\""));
    }
    assertThat(Yaml.document(MANIFEST).at("/spec/platforms/0/sha256").asText())
        .as(
            "%s is stale: ./mvnw test -Dtest=KrewManifestTest -Dkrew.update=true, and commit it",
            MANIFEST)
        .isEqualTo(sha256);
    assertThat(KrewArchive.tarGz(SCRIPT)).as("reproducible").isEqualTo(archive);
  }

  @Test
  void archiveHoldsTheExecutableScriptAsKrewInstallsIt() throws IOException {
    byte[] archive = KrewArchive.tarGz(SCRIPT);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry = tar.getNextEntry();
      assertThat(entry.getName()).isEqualTo(PLATFORM.at("/files/0/from").asText());
      assertThat(entry.getMode() & 0777).isEqualTo(0755);
      assertThat(tar.readAllBytes()).isEqualTo(Files.readAllBytes(SCRIPT));
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  @Test
  void scriptIsAnExecutablePosixShellScript() throws Exception {
    String script = Repo.read(SCRIPT);
    assertThat(Files.isExecutable(SCRIPT))
        .as("%s is executable (git mode 100755)", SCRIPT)
        .isTrue();
    assertThat(script).startsWith("#!/bin/sh\n");
    // Constructs of bash and other shells that a POSIX sh (dash, busybox ash) does not have.
    for (String bashism :
        List.of(
            "[[", "function ", "local ", "echo -e", "source ", "$'", "<<<", "${!", "declare ")) {
      assertThat(script).as("POSIX sh has no %s", bashism).doesNotContain(bashism);
    }
    assertThat(Pattern.compile("\\$\\{[A-Za-z_]+:[0-9]").matcher(script).find())
        .as("no substring expansion")
        .isFalse();
    // The only program it runs besides kubectl and POSIX utilities.
    assertThat(script).doesNotContain("jq ", "python", "curl ");
    Path sh = Path.of("/bin/sh");
    if (Files.isExecutable(sh)) {
      Process check = new ProcessBuilder(sh.toString(), "-n", SCRIPT.toString()).start();
      assertThat(check.waitFor()).as(new String(check.getErrorStream().readAllBytes())).isZero();
    }
  }
}
