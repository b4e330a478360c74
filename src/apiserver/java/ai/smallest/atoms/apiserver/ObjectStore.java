package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * In-memory storage with one cluster-wide resourceVersion counter, like etcd's revision: every
 * committed write gets the next number, lists report the current one, and watches resume from any
 * number still in the event history.
 *
 * <p>Like etcd, the store is multi-versioned: each key keeps the revisions written since the last
 * compaction, so a paginated list reads every page from the snapshot of its first page, and a
 * resourceVersion is served exactly. Compaction (on demand, when the history outgrows its limit, or
 * periodically: see {@link EmbeddedApiServer.Options}) forgets everything before a revision: a
 * watch resumed from there, a continue token or an exact read at it get 410 Gone, as after an etcd
 * compaction.
 *
 * <p>Writers run their read-check-write under {@link #locked} so that the resourceVersion check and
 * the commit are atomic; events are handed to watchers while the lock is held, so no watcher can
 * miss or reorder an event. Stored objects are never mutated: the public readers return copies, the
 * package-private {@code shared} readers the stored nodes themselves (for rendering only).
 *
 * <p>Costs: a get is O(log N); a page of a list is O(log N + page) when the objects match the
 * selectors (plus O(remaining) to count {@code remainingItemCount} when there are none, as a real
 * server reports it only then); a namespace's objects are a key range, not a scan of all of them.
 */
public final class ObjectStore {

  /**
   * Events kept for resuming watches and serving snapshots; well beyond what a sandbox session or a
   * benchmark produces between a watch closing and its resumption.
   */
  static final int HISTORY_LIMIT = 20_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, NavigableMap<String, Revision>> resources = new HashMap<>();
  private final EventHistory history;
  private final Map<String, List<Subscription>> subscriptions = new HashMap<>();
  private long resourceVersion = 0;

  /**
   * Revisions up to and including this one are forgotten: nothing can be read or resumed at them.
   */
  private long compacted = 0;

  public ObjectStore() {
    this(HISTORY_LIMIT);
  }

  /** A store that remembers only the last {@code historyLimit} events. */
  public ObjectStore(int historyLimit) {
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit must be at least 1");
    }
    this.history = new EventHistory(historyLimit);
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

  /** The newest revision that can no longer be read or resumed from (0: nothing compacted yet). */
  public long compactedResourceVersion() {
    return locked(() -> compacted);
  }

  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return sharedGet(type, namespace, name).map(ObjectNode::deepCopy);
  }

  /** The stored node itself: callers must not mutate it. */
  Optional<ObjectNode> sharedGet(ResourceType type, String namespace, String name) {
    return locked(
        () -> {
          Revision head = table(type.storageKey()).get(key(namespace, name));
          return Optional.ofNullable(head == null ? null : head.object);
        });
  }

  /**
   * Objects of {@code type}, in {@code namespace} or everywhere (null), ordered by namespace then
   * name.
   */
  public List<ObjectNode> list(ResourceType type, String namespace) {
    return locked(
        () -> {
          List<ObjectNode> items = new ArrayList<>();
          for (ObjectNode object : sharedList(type, namespace)) {
            items.add(object.deepCopy());
          }
          return items;
        });
  }

  /** As {@link #list}, the stored nodes themselves: callers must not mutate them. */
  List<ObjectNode> sharedList(ResourceType type, String namespace) {
    return locked(
        () -> {
          List<ObjectNode> items = new ArrayList<>();
          for (Revision head : range(type.storageKey(), namespace).values()) {
            if (head.object != null) {
              items.add(head.object);
            }
          }
          return items;
        });
  }

  /** How many objects of {@code type} exist (in {@code namespace}, or everywhere when null). */
  public int count(ResourceType type, String namespace) {
    return locked(
        () -> {
          int count = 0;
          for (Revision head : range(type.storageKey(), namespace).values()) {
            if (head.object != null) {
              count++;
            }
          }
          return count;
        });
  }

  /**
   * One page of a list as of {@code atRevision}: the first {@code limit} objects (0: all) after
   * {@code fromKey} in key order that pass {@code filter}.
   *
   * @param fromKey inclusive lower bound ({@code namespace/name}, or a continue token's start key),
   *     or null to start at the first
   * @param countRemaining whether to count the objects after the page ({@code remainingItemCount})
   * @throws ApiException 410 when {@code atRevision} has been compacted
   */
  Page page(
      ResourceType type,
      String namespace,
      long atRevision,
      String fromKey,
      Predicate<JsonNode> filter,
      long limit,
      boolean countRemaining) {
    return locked(
        () -> {
          if (atRevision < compacted) {
            throw ApiException.gone(
                "too old resource version: " + atRevision + " (" + (compacted + 1) + ")");
          }
          NavigableMap<String, Revision> range = range(type.storageKey(), namespace);
          if (fromKey != null) {
            range = range.tailMap(fromKey, true);
          }
          List<ObjectNode> items = new ArrayList<>();
          String lastKey = null;
          Iterator<Map.Entry<String, Revision>> it = range.entrySet().iterator();
          while (it.hasNext()) {
            Map.Entry<String, Revision> entry = it.next();
            ObjectNode object = entry.getValue().at(atRevision);
            if (object == null || !filter.test(object)) {
              continue;
            }
            if (limit > 0 && items.size() == limit) {
              // There is at least one more: the page ends at the previous object.
              long remaining = 0;
              if (countRemaining) {
                remaining = 1;
                while (it.hasNext()) {
                  if (it.next().getValue().at(atRevision) != null) {
                    remaining++;
                  }
                }
              }
              return new Page(items, lastKey, true, remaining);
            }
            items.add(object);
            lastKey = entry.getKey();
          }
          return new Page(items, lastKey, false, 0);
        });
  }

  /**
   * A page of objects (the stored nodes themselves).
   *
   * @param lastKey the key of the last item, where the next page starts after
   * @param more whether objects follow the page
   * @param remaining how many follow, when counted
   */
  record Page(List<ObjectNode> items, String lastKey, boolean more, long remaining) {}

  /** Stores a new or changed object, stamping the next resourceVersion. Returns what was stored. */
  public ObjectNode put(ResourceType type, ObjectNode object) {
    return locked(
        () -> {
          ObjectNode stored = object.deepCopy();
          long rv = ++resourceVersion;
          Json.metadata(stored).put("resourceVersion", Long.toString(rv));
          String key = key(Json.namespace(stored), Json.name(stored));
          NavigableMap<String, Revision> table = table(type.storageKey());
          Revision head = table.get(key);
          ObjectNode previous = head == null ? null : head.object;
          table.put(key, new Revision(stored, rv, head));
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
          String key = key(namespace, name);
          NavigableMap<String, Revision> table = table(type.storageKey());
          Revision head = table.get(key);
          if (head == null || head.object == null) {
            return null;
          }
          ObjectNode previous = head.object;
          long rv = ++resourceVersion;
          ObjectNode last = previous.deepCopy();
          Json.metadata(last).put("resourceVersion", Long.toString(rv));
          // A tombstone, so that snapshots before the deletion still see the object.
          table.put(key, new Revision(null, rv, head));
          publish(
              new WatchEvent(WatchEvent.DELETED, rv, type.storageKey(), namespace, last, previous));
          return last.deepCopy();
        });
  }

  /** Drops every object of a resource (its CRD was deleted), emitting DELETED events. */
  void removeAll(ResourceType type) {
    locked(
        () -> {
          for (ObjectNode object : sharedList(type, null)) {
            remove(type, Json.namespace(object), Json.name(object));
          }
          return null;
        });
  }

  /**
   * Forgets every revision before the current one, as {@code etcdctl compact} does: watches that
   * resume from an older resourceVersion, continue tokens issued before and exact reads of older
   * resourceVersions get 410 Gone from now on. Open watches are not affected.
   *
   * @return the resourceVersion compacted at
   */
  public long compact() {
    return locked(
        () -> {
          while (!history.isEmpty()) {
            forget(history.removeFirst());
          }
          compacted = resourceVersion;
          return compacted;
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
          if (sinceResourceVersion < compacted) {
            return Optional.empty();
          }
          history.forEachAfter(
              sinceResourceVersion,
              event -> {
                if (event.storageKey().equals(storageKey)) {
                  sink.accept(event);
                }
              });
          Subscription subscription = new Subscription(storageKey, sink);
          subscriptions
              .computeIfAbsent(storageKey, k -> new CopyOnWriteArrayList<>())
              .add(subscription);
          return Optional.of(subscription);
        });
  }

  private void publish(WatchEvent event) {
    if (history.isFull()) {
      WatchEvent oldest = history.removeFirst();
      forget(oldest);
      compacted = oldest.resourceVersion();
    }
    history.addLast(event);
    List<Subscription> listeners = subscriptions.get(event.storageKey());
    if (listeners != null) {
      for (Subscription subscription : listeners) {
        subscription.sink.accept(event);
      }
    }
  }

  /**
   * An event left the history: the revisions of its key that only snapshots older than it could
   * read are dropped, and so is a tombstone that nothing can read any more.
   */
  private void forget(WatchEvent event) {
    NavigableMap<String, Revision> table = table(event.storageKey());
    String key = key(event.namespace(), Json.name(event.object()));
    Revision head = table.get(key);
    long horizon = event.resourceVersion();
    for (Revision r = head; r != null; r = r.older) {
      if (r.resourceVersion <= horizon) {
        r.older = null; // a read at or after the horizon stops here
        break;
      }
    }
    if (head != null && head.object == null && head.resourceVersion <= horizon) {
      table.remove(key);
    }
  }

  private NavigableMap<String, Revision> table(String storageKey) {
    return resources.computeIfAbsent(storageKey, k -> new TreeMap<>());
  }

  /** The keys of one namespace (a key range: names cannot contain '/'), or all of them. */
  private NavigableMap<String, Revision> range(String storageKey, String namespace) {
    NavigableMap<String, Revision> table = table(storageKey);
    if (namespace == null) {
      return table;
    }
    // '0' is the character after '/': [ns/, ns0) holds exactly the keys "ns/<name>".
    return table.subMap(namespace + "/", true, namespace + "0", false);
  }

  static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  /**
   * One revision of a key, newest first: {@code object} is null for a deletion (a tombstone).
   * {@code older} is cut when compaction makes older revisions unreadable.
   */
  private static final class Revision {
    final ObjectNode object;
    final long resourceVersion;
    Revision older;

    Revision(ObjectNode object, long resourceVersion, Revision older) {
      this.object = object;
      this.resourceVersion = resourceVersion;
      this.older = older;
    }

    /** The object as of {@code revision}, or null when it did not exist then. */
    ObjectNode at(long revision) {
      for (Revision r = this; r != null; r = r.older) {
        if (r.resourceVersion <= revision) {
          return r.object;
        }
      }
      return null;
    }
  }

  /**
   * The last events in resourceVersion order, in a ring buffer: O(log n) to find a resume point.
   */
  private static final class EventHistory {
    private final WatchEvent[] events;
    private int first;
    private int size;

    EventHistory(int capacity) {
      this.events = new WatchEvent[capacity];
    }

    boolean isEmpty() {
      return size == 0;
    }

    boolean isFull() {
      return size == events.length;
    }

    void addLast(WatchEvent event) {
      events[(first + size) % events.length] = event;
      size++;
    }

    WatchEvent removeFirst() {
      WatchEvent event = events[first];
      events[first] = null;
      first = (first + 1) % events.length;
      size--;
      return event;
    }

    private WatchEvent at(int index) {
      return events[(first + index) % events.length];
    }

    /** Calls {@code action} with every event whose resourceVersion is above {@code since}. */
    void forEachAfter(long since, Consumer<WatchEvent> action) {
      int low = 0;
      int high = size;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (at(middle).resourceVersion() <= since) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      for (int i = low; i < size; i++) {
        action.accept(at(i));
      }
    }
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
      locked(
          () -> {
            List<Subscription> listeners = subscriptions.get(storageKey);
            if (listeners != null) {
              listeners.remove(this);
            }
            return null;
          });
    }
  }
}
