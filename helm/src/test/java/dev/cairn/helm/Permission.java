package dev.cairn.helm;

/**
 * One API right: a verb on a resource (optionally a subresource, as in {@code workflows/status}) of
 * an API group ({@code ""} for the core group).
 */
public record Permission(String group, String resource, String verb)
    implements Comparable<Permission> {

  @Override
  public int compareTo(Permission other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
  }
}
