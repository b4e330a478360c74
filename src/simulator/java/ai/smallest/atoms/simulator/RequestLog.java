package ai.smallest.atoms.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What benchmarks and chaos tests inspect after the fact: every request (opt-in, it grows with
 * traffic), every activation attempt (always, it is small), and requests in flight.
 */
final class RequestLog {

  private final Clock wallClock = Clock.systemUTC();
  private final Queue<RequestRecord> requests = new ConcurrentLinkedQueue<>();
  private final List<SimActivation> activations = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile boolean recording;

  void setRecording(boolean on) {
    recording = on;
  }

  boolean recording() {
    return recording;
  }

  Instant now() {
    return wallClock.instant();
  }

  void request(RequestRecord record) {
    if (recording) {
      requests.add(record);
    }
  }

  List<RequestRecord> requests() {
    return List.copyOf(requests);
  }

  void activation(SimActivation activation) {
    synchronized (activations) {
      activations.add(activation);
    }
  }

  List<SimActivation> activations() {
    synchronized (activations) {
      return List.copyOf(activations);
    }
  }

  void started() {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  void reset() {
    requests.clear();
    synchronized (activations) {
      activations.clear();
    }
    maxInFlight.set(inFlight.get());
  }
}
