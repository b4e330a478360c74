package ai.smallest.atoms.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues MongoDB-ObjectId-shaped ids (24 lowercase hex characters).
 *
 * <p>Derived from a per-simulator counter rather than time/randomness so that two runs of the same
 * test see the same ids.
 */
final class VersionIds {

  private static final String PREFIX = "665f1e00";

  private final AtomicLong counter = new AtomicLong();

  String next() {
    return PREFIX + String.format("%016x", counter.incrementAndGet());
  }
}
