package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One committed change, kept in the store's history so a watch can resume from a resourceVersion.
 *
 * @param object the object after the change (for DELETED: its last state, stamped with the
 *     deletion's resourceVersion)
 * @param previous the object before the change, or null for ADDED; watches use it to tell selector
 *     transitions
 */
public record WatchEvent(
    String type,
    long resourceVersion,
    String storageKey,
    String namespace,
    ObjectNode object,
    ObjectNode previous) {

  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
  public static final String BOOKMARK = "BOOKMARK";
  public static final String ERROR = "ERROR";
}
