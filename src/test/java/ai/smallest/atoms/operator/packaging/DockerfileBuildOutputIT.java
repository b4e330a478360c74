package ai.smallest.atoms.operator.packaging;

import org.junit.jupiter.api.Test;

/** After package: everything the Dockerfile COPYs exists in the Quarkus build output. */
class DockerfileBuildOutputIT {

  @Test
  void copiedPathsExistInTheBuildOutput() throws Exception {
    DockerfileTest.assertCopiedPathsExistInTheBuildOutput();
  }
}
