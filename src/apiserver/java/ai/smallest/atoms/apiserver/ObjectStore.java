package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * In-memory storage with one cluster-wide resourceVersion counter, like etcd's revision: every
 * committed write gets the next number, lists report the current one, and watches resume from any
 * number still in the event history (older ones get 410 Gone, as after an etcd compaction).
 *
 * <p>Writers run their read-check-write under {@link #locked} so that the resourceVersion check and
 * the commit are atomic; events are handed to watchers while the lock is held, so no watcher can
 * miss or reorder an event. Stored objects are never mutated: readers get copies.
 */
public final class ObjectStore {

  /**
   * Events kept for resuming watches; well beyond what a sandbox session produces between two list
   * calls.
   */
  static final int HISTORY_LIMIT = 20_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, NavigableMap<String, ObjectNode>> resources = new HashMap<>();
  private final Deque<WatchEvent> history = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final int historyLimit;
  private long resourceVersion = 0;

  public ObjectStore() {
    this(HISTORY_LIMIT);
  }

  /**
   * A store that remembers only the last {@code historyLimit} events (tests of 410 Gone use a small
   * one).
   */
  ObjectStore(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  /**
   * Runs {@code work} holding the store lock: reads and writes inside it see one consistent state.
   */
  public <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  public long currentResourceVersion() {
    return locked(() -> resourceVersion);
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return locked(
        () -> Optional.ofNullable(table(type).get(key(namespace, name))).map(ObjectNode::deepCopy));
  }

  /**
   * Objects of {@code type}, in {@code namespace} or everywhere (null), ordered by namespace then
   * name.
   */
  public List<ObjectNode> list(ResourceType type, String namespace) {
    return locked(
        () -> {
          List<ObjectNode> items = new ArrayList<>();
          for (ObjectNode object : table(type).values()) {
            if (namespace == null || namespace.equals(Json.namespace(object))) {
              items.add(object.deepCopy());
            }
          }
          return items;
        });
  }

  /** Stores a new or changed object, stamping the next resourceVersion. Returns what was stored. */
  public ObjectNode put(ResourceType type, ObjectNode object) {
    return locked(
        () -> {
          ObjectNode stored = object.deepCopy();
          long rv = ++resourceVersion;
          Json.metadata(stored).put("resourceVersion", Long.toString(rv));
          String key = key(Json.namespace(stored), Json.name(stored));
          ObjectNode previous = table(type).put(key, stored);
          publish(
              new WatchEvent(
                  previous == null ? WatchEvent.ADDED : WatchEvent.MODIFIED,
                  rv,
                  type.storageKey(),
                  Json.namespace(stored),
                  stored,
                  previous));
          return stored.deepCopy();
        });
  }

  /**
   * Removes an object; its DELETED event carries the last state with a fresh resourceVersion, as
   * etcd does.
   */
  public ObjectNode remove(ResourceType type, String namespace, String name) {
    return locked(
        () -> {
          ObjectNode previous = table(type).remove(key(namespace, name));
          if (previous == null) {
            return null;
          }
          long rv = ++resourceVersion;
          ObjectNode last = previous.deepCopy();
          Json.metadata(last).put("resourceVersion", Long.toString(rv));
          publish(
              new WatchEvent(WatchEvent.DELETED, rv, type.storageKey(), namespace, last, previous));
          return last.deepCopy();
        });
  }

  /** Drops every object of a resource (its CRD was deleted), emitting DELETED events. */
  void removeAll(ResourceType type) {
    locked(
        () -> {
          for (ObjectNode object : List.copyOf(table(type).values())) {
            remove(type, Json.namespace(object), Json.name(object));
          }
          return null;
        });
  }

  /**
   * Subscribes to changes of one resource after {@code sinceResourceVersion}: history events are
   * replayed first, then live ones, with nothing missed in between.
   *
   * @return empty when that resourceVersion is no longer in the history (the caller answers 410
   *     Gone)
   */
  public Optional<Subscription> subscribe(
      String storageKey, long sinceResourceVersion, Consumer<WatchEvent> sink) {
    return locked(
        () -> {
          long oldestResumable =
              history.isEmpty() ? resourceVersion : history.peekFirst().resourceVersion() - 1;
          if (sinceResourceVersion < oldestResumable) {
            return Optional.empty();
          }
          for (WatchEvent event : history) {
            if (event.resourceVersion() > sinceResourceVersion
                && event.storageKey().equals(storageKey)) {
              sink.accept(event);
            }
          }
          Subscription subscription = new Subscription(storageKey, sink);
          subscriptions.add(subscription);
          return Optional.of(subscription);
        });
  }

  private void publish(WatchEvent event) {
    history.addLast(event);
    while (history.size() > historyLimit) {
      history.removeFirst();
    }
    for (Subscription subscription : subscriptions) {
      if (subscription.storageKey.equals(event.storageKey())) {
        subscription.sink.accept(event);
      }
    }
  }

  private NavigableMap<String, ObjectNode> table(ResourceType type) {
    return resources.computeIfAbsent(type.storageKey(), k -> new TreeMap<>());
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  /** A live watch on the store; closing it stops delivery. */
  public final class Subscription implements AutoCloseable {
    private final String storageKey;
    private final Consumer<WatchEvent> sink;

    private Subscription(String storageKey, Consumer<WatchEvent> sink) {
      this.storageKey = storageKey;
      this.sink = sink;
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }
}
