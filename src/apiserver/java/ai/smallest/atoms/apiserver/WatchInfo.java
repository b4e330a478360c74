package ai.smallest.atoms.apiserver;

/**
 * An open watch, as {@link EmbeddedApiServer#watches()} and {@code GET /_admin/watches} list it.
 *
 * @param resource {@code plural.group} ({@code plural} for the core group)
 * @param namespace null for watches across namespaces
 * @param client the watcher's {@code User-Agent}
 * @param transport {@code websocket} (Fabric8) or {@code http} (chunked: kubectl, client-go)
 * @param bookmarks whether it asked for bookmarks ({@code allowWatchBookmarks=true})
 * @param resourceVersion the newest resourceVersion written to it (an event's or a bookmark's), 0
 *     before the first
 */
public record WatchInfo(
    long id,
    String resource,
    String namespace,
    String client,
    String transport,
    boolean bookmarks,
    long startedAtMillis,
    long resourceVersion) {}
