package dev.cairn.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lists the API rights the operator's code needs, read from its sources, so that the chart's RBAC
 * is compared with the code and not with a hand-kept list.
 *
 * <p>Two kinds of calls are found:
 *
 * <ul>
 *   <li>Fabric8 calls the operator makes itself: a statement that selects a resource type ({@code
 *       .pods()}, {@code .v1().events()}, {@code .leases()}, {@code .resources(X.class)}) and ends
 *       in an operation ({@code create}, {@code delete}, {@code patchStatus}...).
 *   <li>Calls the Java Operator SDK makes for the code that configures it: the reconciled type is
 *       listed and watched; a finalizer is added and removed with patches; {@code
 *       UpdateControl.patchStatus} patches the status subresource; an informer event source lists
 *       and watches its type; leader election gets, creates, updates and patches a Lease.
 * </ul>
 */
public final class OperatorApiScanner {
  /** Fabric8 DSL methods that select a resource type, and the type. */
  private static final Map<String, Class<? extends HasMetadata>> SELECTORS =
      Map.ofEntries(
          Map.entry("pods()", io.fabric8.kubernetes.api.model.Pod.class),
          Map.entry("v1().events()", io.fabric8.kubernetes.api.model.Event.class),
          Map.entry(
              "events().v1().events()", io.fabric8.kubernetes.api.model.events.v1.Event.class),
          Map.entry("configMaps()", io.fabric8.kubernetes.api.model.ConfigMap.class),
          Map.entry("secrets()", io.fabric8.kubernetes.api.model.Secret.class),
          Map.entry("services()", io.fabric8.kubernetes.api.model.Service.class),
          Map.entry("serviceAccounts()", io.fabric8.kubernetes.api.model.ServiceAccount.class),
          Map.entry(
              "persistentVolumeClaims()",
              io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
          Map.entry("namespaces()", io.fabric8.kubernetes.api.model.Namespace.class),
          Map.entry("leases()", io.fabric8.kubernetes.api.model.coordination.v1.Lease.class),
          Map.entry(
              "customResourceDefinitions()",
              io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class));

  /** Fabric8 operations and the verbs (with subresource) they need. */
  private static final Map<String, List<String[]>> OPERATIONS =
      Map.ofEntries(
          Map.entry("create", List.<String[]>of(new String[] {"", "create"})),
          Map.entry("delete", List.<String[]>of(new String[] {"", "delete"})),
          Map.entry("get", List.<String[]>of(new String[] {"", "get"})),
          Map.entry("list", List.<String[]>of(new String[] {"", "list"})),
          Map.entry("watch", List.<String[]>of(new String[] {"", "watch"})),
          Map.entry("inform", List.of(new String[] {"", "list"}, new String[] {"", "watch"})),
          Map.entry(
              "informOnCondition", List.of(new String[] {"", "list"}, new String[] {"", "watch"})),
          Map.entry(
              "waitUntilCondition",
              List.of(
                  new String[] {"", "get"}, new String[] {"", "list"}, new String[] {"", "watch"})),
          Map.entry("patch", List.<String[]>of(new String[] {"", "patch"})),
          Map.entry("edit", List.<String[]>of(new String[] {"", "patch"})),
          Map.entry("serverSideApply", List.<String[]>of(new String[] {"", "patch"})),
          Map.entry("update", List.<String[]>of(new String[] {"", "update"})),
          Map.entry("replace", List.<String[]>of(new String[] {"", "update"})),
          Map.entry("createOr", List.of(new String[] {"", "create"}, new String[] {"", "update"})),
          Map.entry("patchStatus", List.<String[]>of(new String[] {"status", "patch"})),
          Map.entry("editStatus", List.<String[]>of(new String[] {"status", "patch"})),
          Map.entry("updateStatus", List.<String[]>of(new String[] {"status", "update"})),
          Map.entry("replaceStatus", List.<String[]>of(new String[] {"status", "update"})),
          Map.entry("log", List.<String[]>of(new String[] {"log", "get"})),
          Map.entry("getLog", List.<String[]>of(new String[] {"log", "get"})));

  /**
   * A request the code sends by path to a core subresource ({@code client.raw("/api/v1/namespaces/"
   * + ns + "/pods/" + name + "/log?...", "GET", null)}), as {@link #withoutComments} keeps it:
   * {@code .raw__pods__log__GET(}.
   */
  private static final Pattern RAW_CORE_SUBRESOURCE =
      Pattern.compile("\\.raw__(\\w+?)__(\\w+?)__(\\w+)\\(");

  private static final Pattern RESOURCES_OF = Pattern.compile("\\.resources\\((\\w+)\\.class\\)");
  private static final Pattern SUBRESOURCE = Pattern.compile("\\.subresource__(\\w+)\\(\\)");
  private static final Pattern CALL = Pattern.compile("\\.(\\w+)\\(");
  private static final Pattern RECONCILER =
      Pattern.compile("implements\\s+[^{]*\\bReconciler<(\\w+)>");
  private static final Pattern INFORMER_FROM =
      Pattern.compile("InformerEventSourceConfiguration\\s*\\.from\\((\\w+)\\.class");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  private OperatorApiScanner() {}

  /**
   * The rights needed by the operator process: the code under {@code sourceRoot} (a {@code
   * src/main/java} folder) reachable from {@code mainClass}. Classes the process never uses, such
   * as the client the CLI runs with the user's own credentials, do not count.
   */
  public static Set<Permission> scan(Path sourceRoot, String mainClass) {
    Map<String, String> sources = new java.util.HashMap<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file :
          files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
        String name = file.getFileName().toString().replace(".java", "");
        sources.put(name, withoutComments(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String main = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    if (!sources.containsKey(main)) {
      throw new IllegalStateException(mainClass + " not found under " + sourceRoot);
    }
    Set<Permission> needed = new TreeSet<>();
    for (String reachable : reachable(main, sources)) {
      scanCode(sources.get(reachable), needed);
    }
    return needed;
  }

  /** Classes reachable from {@code start} by naming each other (simple names are unique here). */
  static Set<String> reachable(String start, Map<String, String> sources) {
    Set<String> seen = new TreeSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(start));
    Pattern word = Pattern.compile("\\b[A-Z]\\w*\\b");
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue;
      }
      Matcher m = word.matcher(sources.get(name));
      while (m.find()) {
        if (sources.containsKey(m.group()) && !seen.contains(m.group())) {
          todo.push(m.group());
        }
      }
    }
    return seen;
  }

  static void scanCode(String code, Set<Permission> needed) {
    Map<String, String> imports = imports(code);
    String flat = code.replaceAll("\\s+", "");
    for (String statement : flat.split("[;{}]")) {
      Class<?> type = selectedType(statement, imports);
      if (type == null) {
        continue;
      }
      int from = selectorEnd(statement);
      Matcher subresource = SUBRESOURCE.matcher(statement);
      String sub = subresource.find() ? subresource.group(1) : "";
      Matcher call = CALL.matcher(statement.substring(from));
      while (call.find()) {
        String name = call.group(1);
        String op = name.startsWith("createOr") ? "createOr" : name;
        for (String[] verb : OPERATIONS.getOrDefault(op, List.of())) {
          needed.add(permission(type, verb[0].isEmpty() ? sub : verb[0], verb[1]));
        }
      }
    }
    Matcher raw = RAW_CORE_SUBRESOURCE.matcher(flat);
    while (raw.find()) {
      if (!raw.group(1).equals("pods")) {
        throw new IllegalStateException("raw request to an unknown resource: " + raw.group());
      }
      needed.add(
          permission(
              io.fabric8.kubernetes.api.model.Pod.class,
              raw.group(2),
              raw.group(3).toLowerCase(java.util.Locale.ROOT)));
    }
    frameworkCalls(code, imports, needed);
  }

  /** What the Java Operator SDK does on behalf of the code that configures it. */
  private static void frameworkCalls(
      String code, Map<String, String> imports, Set<Permission> needed) {
    Matcher reconciler = RECONCILER.matcher(code);
    if (reconciler.find()) {
      Class<?> primary = load(reconciler.group(1), imports);
      needed.add(permission(primary, "", "list"));
      needed.add(permission(primary, "", "watch"));
      if (code.contains("UpdateControl.patchStatus") || code.contains("patchResourceAndStatus")) {
        needed.add(permission(primary, "status", "patch"));
      }
      if (code.contains("UpdateControl.patchResource")) {
        needed.add(permission(primary, "", "patch"));
      }
    }
    // A finalizer (configured on the controller, or a Cleaner that makes JOSDK add one, or one the
    // reconciler adds and removes itself through PrimaryUpdateAndCacheUtils).
    Matcher cleaner = Pattern.compile("implements\\s+[^{]*\\bCleaner<(\\w+)>").matcher(code);
    Matcher reconciles = Pattern.compile("implements\\s+[^{]*\\bReconciler<(\\w+)>").matcher(code);
    String finalizing = null;
    if (cleaner.find()) {
      finalizing = cleaner.group(1);
    } else if (code.contains("PrimaryUpdateAndCacheUtils.")
        && code.contains("Finalizer(")
        && reconciles.find()) {
      finalizing = reconciles.group(1);
    }
    if (finalizing != null) {
      // JOSDK adds and removes the finalizer with JSON patches, and reads the resource again
      // when a patch meets a conflict.
      Class<?> primary = load(finalizing, imports);
      needed.add(permission(primary, "", "patch"));
      needed.add(permission(primary, "", "get"));
    }
    Matcher informer = INFORMER_FROM.matcher(code);
    while (informer.find()) {
      Class<?> type = load(informer.group(1), imports);
      needed.add(permission(type, "", "list"));
      needed.add(permission(type, "", "watch"));
    }
    if (code.contains("new LeaderElectionConfiguration(")) {
      Class<?> lease = io.fabric8.kubernetes.api.model.coordination.v1.Lease.class;
      needed.add(permission(lease, "", "get"));
      needed.add(permission(lease, "", "create"));
      // The SDK checks get, create and update before it starts (LeaderElectionManager);
      // Fabric8's ResourceLock.update then renews with a PATCH.
      needed.add(permission(lease, "", "update"));
      needed.add(permission(lease, "", "patch"));
    }
  }

  private static Class<?> selectedType(String statement, Map<String, String> imports) {
    Matcher resources = RESOURCES_OF.matcher(statement);
    if (resources.find()) {
      return load(resources.group(1), imports);
    }
    Class<?> found = null;
    int best = -1;
    for (Map.Entry<String, Class<? extends HasMetadata>> selector : SELECTORS.entrySet()) {
      String key = "." + selector.getKey();
      if (statement.contains(key) && key.length() > best) {
        found = selector.getValue();
        best = key.length();
      }
    }
    return found;
  }

  private static int selectorEnd(String statement) {
    Matcher resources = RESOURCES_OF.matcher(statement);
    if (resources.find()) {
      return resources.end();
    }
    int end = 0;
    for (String selector : SELECTORS.keySet()) {
      int at = statement.indexOf("." + selector);
      if (at >= 0) {
        end = Math.max(end, at + selector.length() + 1);
      }
    }
    return end;
  }

  private static Permission permission(Class<?> type, String subresource, String verb) {
    @SuppressWarnings("unchecked")
    Class<? extends HasMetadata> kind = (Class<? extends HasMetadata>) type;
    String plural = HasMetadata.getPlural(kind);
    String group = HasMetadata.getGroup(kind);
    return new Permission(
        group == null ? "" : group,
        subresource.isEmpty() ? plural : plural + "/" + subresource,
        verb);
  }

  private static Class<?> load(String simpleName, Map<String, String> imports) {
    String name = imports.get(simpleName);
    if (name == null) {
      throw new IllegalStateException("cannot resolve type " + simpleName + " (not imported)");
    }
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("type " + name + " is not on the test classpath", e);
    }
  }

  private static Map<String, String> imports(String code) {
    Map<String, String> imports = new java.util.HashMap<>();
    Matcher m = IMPORT.matcher(code);
    while (m.find()) {
      String name = m.group(1);
      imports.put(name.substring(name.lastIndexOf('.') + 1), name);
    }
    return imports;
  }

  static String withoutComments(String source) {
    // String literals go, as they can hold anything ("//" in a URL included), but the name of a
    // subresource is kept: .subresource("status") becomes .subresource__status(), and a raw
    // request's resource, subresource and method: .raw__pods__log__GET(.
    return source
        .replaceAll("\\.subresource\\(\\s*\"(\\w+)\"\\s*\\)", ".subresource__$1()")
        .replaceAll(
            "\\.raw\\(\\s*\"/api/v1/namespaces/\"\\s*\\+[^\"]*\"/(\\w+)/\"\\s*\\+[^\"]*\"/(\\w+)[^,]*,"
                + "\\s*\"(\\w+)\"",
            ".raw__$1__$2__$3(")
        .replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"")
        .replaceAll("(?s)/\\*.*?\\*/", " ")
        .replaceAll("(?m)//.*$", " ");
  }
}
