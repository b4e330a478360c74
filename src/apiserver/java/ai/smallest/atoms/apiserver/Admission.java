package ai.smallest.atoms.apiserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admission-off switch: for custom resources whose admission is off, writes are stored as sent
 * (no pruning of unknown fields, no defaults, no OpenAPI schema or CEL validation), as a server
 * with an older, laxer CRD would have stored them. Tests use it to plant objects the current CRD
 * refuses (a number out of range, an unknown field, a wrong type, a huge string) and check that the
 * operator copes with what an older cluster may hold. Everything else still applies: names,
 * resourceVersions, generation, the status subresource. Built-in kinds are not affected.
 */
public final class Admission {

  private volatile boolean allOff;
  private final Set<String> off = ConcurrentHashMap.newKeySet();

  /** Turns admission off for every custom resource. */
  public void disableAll() {
    allOff = true;
  }

  /** Turns admission back on for every custom resource (and forgets per-resource switches). */
  public void enableAll() {
    allOff = false;
    off.clear();
  }

  /**
   * Turns admission off for one resource.
   *
   * @param resource {@code plural.group}, e.g. {@code agentreleases.atoms.smallest.ai}
   */
  public void disable(String resource) {
    off.add(resource);
  }

  public void enable(String resource) {
    off.remove(resource);
  }

  public boolean allDisabled() {
    return allOff;
  }

  /** The resources ({@code plural.group}) with admission off, besides {@link #allDisabled}. */
  public Set<String> disabled() {
    return Set.copyOf(off);
  }

  /** Whether writes of {@code type} are pruned, defaulted and validated against its schema. */
  public boolean enforces(ResourceType type) {
    return !type.isCustom() || !(allOff || off.contains(ApiException.qualified(type)));
  }
}
