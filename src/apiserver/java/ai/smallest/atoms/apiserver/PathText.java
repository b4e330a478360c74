package ai.smallest.atoms.apiserver;

/**
 * Field paths as apimachinery prints them: {@code spec.items[0].name}, {@code <nil>} for the root.
 */
final class PathText {

  private PathText() {}

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  static String key(String parent, String key) {
    return parent + "[" + key + "]";
  }

  static String of(String path) {
    String trimmed = path.startsWith(".") ? path.substring(1) : path;
    return trimmed.isEmpty() ? "<nil>" : trimmed;
  }
}
