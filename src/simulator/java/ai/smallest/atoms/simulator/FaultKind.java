package ai.smallest.atoms.simulator;

/**
 * What a {@link FaultMix} did to one request; counted by {@link AtomsSimulator#injectedFaults()}.
 */
public enum FaultKind {
  /** Answered 500 with the error envelope. */
  HTTP_500,
  /** Answered 503 with the error envelope. */
  HTTP_503,
  /** Answered 429 with a {@code Retry-After} header. */
  HTTP_429,
  /**
   * Held for longer than a client's read timeout, then answered normally (the request did take
   * effect).
   */
  TIMEOUT,
  /** Connection closed without any answer, before the request was processed (it took no effect). */
  CONNECTION_RESET,
  /** Answered normally after an extra delay. */
  LATENCY_SPIKE
}
