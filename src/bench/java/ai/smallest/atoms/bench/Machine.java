package ai.smallest.atoms.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One line describing where the numbers were measured. */
final class Machine {

  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    String mem = "?";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
      mem =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .findFirst()
              .map(
                  l ->
                      Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)
                          + " GiB")
              .orElse(mem);
    } catch (Exception ignored) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), "
        + mem
        + " RAM, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vm.name")
        + "); measured "
        + Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }
}
