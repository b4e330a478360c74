package ai.smallest.atoms.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig for the sandbox: one cluster on plain HTTP (no TLS, no credentials), namespace
 * default.
 */
final class Kubeconfig {

  static final String CONTEXT = "atoms-sandbox";

  private Kubeconfig() {}

  static Path write(Path file, String serverUrl) {
    String yaml =
        """
        # Written by the atoms-operator sandbox; points at its embedded Kubernetes API server.
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        """
            .formatted(CONTEXT, serverUrl);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
