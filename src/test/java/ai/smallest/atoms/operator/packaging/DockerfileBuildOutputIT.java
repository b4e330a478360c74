package ai.smallest.atoms.operator.packaging;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After package: everything the Dockerfile COPYs exists in the Quarkus build output, and its AppCDS
 * step runs there as it would in the image.
 */
class DockerfileBuildOutputIT {

  @Test
  void copiedPathsExistInTheBuildOutput() throws Exception {
    DockerfileTest.assertCopiedPathsExistInTheBuildOutput();
  }

  @Test
  void theImagesAppCdsStepStopsByItselfAndWritesAnArchive(@TempDir Path workDir) throws Exception {
    DockerfileTest.assertTheImagesAppCdsStepFinishesOnTheBuildOutput(workDir);
  }
}
