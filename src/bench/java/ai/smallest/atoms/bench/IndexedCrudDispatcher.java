package ai.smallest.atoms.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fabric8's CRUD dispatcher with an index by namespace/name. The original finds the object of every
 * create and patch by scanning all stored objects under the write lock, which at 5,000
 * AgentReleases plus their Events made the harness's API server, not the operator, the bottleneck
 * (85 s to apply 5,000 releases). Same answers, looked up in O(1): the index is maintained in
 * {@link #processEvent}, the only place objects enter or leave the store, with exactly the key
 * computation the parent uses; anything the index cannot answer falls back to the parent's scan.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

  private final Map<String, Set<AttributeSet>> byName = new ConcurrentHashMap<>();

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    String key = key(query);
    if (key == null) {
      return super.findResource(query);
    }
    Set<AttributeSet> candidates = byName.get(key);
    if (candidates == null || candidates.isEmpty()) {
      return null; // the index sees every object: nothing has this namespace and name
    }
    for (AttributeSet candidate : candidates) {
      String value = map.get(candidate);
      if (value != null && candidate.matches(query)) {
        return Map.entry(candidate, value);
      }
    }
    return super.findResource(query);
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      String key = key(oldAttributes);
      if (key != null) {
        byName.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(oldAttributes);
              return set.isEmpty() ? null : set;
            });
      }
    }
    if (newState != null) {
      // The same computation as KubernetesCrudDispatcher.processEvent, so the key is equal.
      KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
      AttributeSet added =
          resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!added.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        added = AttributeSet.merge(pathAttributes, added);
      }
      String key = key(added);
      if (key != null && map.containsKey(added)) {
        byName.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(added);
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    byName.clear();
  }

  private static String key(AttributeSet attributes) {
    String name = single(attributes.getAttribute(KubernetesAttributesExtractor.NAME));
    if (name == null) {
      return null;
    }
    String namespace = single(attributes.getAttribute(KubernetesAttributesExtractor.NAMESPACE));
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  private static String single(Attribute attribute) {
    if (attribute == null || attribute.getValues().size() != 1) {
      return null;
    }
    return attribute.getValues().get(0).toString();
  }
}
