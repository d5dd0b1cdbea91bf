package dev.cairn.bench.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of invalid and hostile Workflow manifests. Case {@code i} of seed {@code s} is
 * always the same bytes ({@link #generate(long, int, boolean)}), so any case can be made again on
 * its own.
 *
 * <p>Categories: targeted ones whose every case is invalid ({@link Case#mustReject()}): cycles,
 * unknown fields, bad names ({@code ../}, NUL, capitals, lengths), unknown or malformed references,
 * bad quantities, negative or malformed retries and durations, bad CEL in {@code when}, bad {@code
 * forEach}, broken structure, non-UTF-8 bytes, duplicate keys; and hostile ones that may be valid
 * but must neither crash nor hang: YAML bombs (billion laughs aliases), deep nesting, 100,000
 * tasks, huge arguments, and random mutations of valid manifests (bytes and values).
 */
public final class HostileSpecs {
  /**
   * One manifest.
   *
   * @param mustReject the manifest is invalid by the documented rules: accepting it is a defect
   * @param limitMillis longer than this is a hang
   */
  public record Case(
      int index,
      String category,
      String description,
      byte[] content,
      boolean mustReject,
      long limitMillis) {}

  static final long LIMIT_MILLIS = 20_000;
  static final long LARGE_LIMIT_MILLIS = 240_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final String[] TARGETED = {
    "cycle",
    "unknown-field",
    "bad-name",
    "bad-reference",
    "bad-quantity",
    "bad-retries",
    "bad-cel",
    "bad-foreach",
    "bad-structure",
    "non-utf8",
    "duplicate-key",
    "yaml-bomb",
    "deep-nesting",
    "huge-args",
    "syntax",
  };

  private HostileSpecs() {}

  /**
   * Case {@code index} of {@code seed}. {@code quick} makes the largest cases smaller (5,000 tasks
   * instead of 100,000, no manifest over the size limit).
   */
  public static Case generate(long seed, int index, boolean quick) {
    Random random = new Random(mix(seed * 1_000_003L + index));
    switch (index) {
      case 0:
        return largeDag(index, quick ? 5_000 : 100_000, false);
      case 1:
        return largeDag(index, quick ? 5_000 : 100_000, true);
      case 2:
        if (!quick) {
          return overLimit(index);
        }
        break;
      default:
        break;
    }
    double pick = random.nextDouble();
    if (pick < 0.25) {
      return byteMutation(index, random);
    }
    if (pick < 0.40) {
      return valueMutation(index, random);
    }
    String category = TARGETED[random.nextInt(TARGETED.length)];
    return switch (category) {
      case "cycle" -> cycle(index, random);
      case "unknown-field" -> unknownField(index, random);
      case "bad-name" -> badName(index, random);
      case "bad-reference" -> badReference(index, random);
      case "bad-quantity" -> badQuantity(index, random);
      case "bad-retries" -> badRetries(index, random);
      case "bad-cel" -> badCel(index, random);
      case "bad-foreach" -> badForEach(index, random);
      case "bad-structure" -> badStructure(index, random);
      case "non-utf8" -> nonUtf8(index, random);
      case "duplicate-key" -> duplicateKey(index, random);
      case "yaml-bomb" -> yamlBomb(index, random);
      case "deep-nesting" -> deepNesting(index, random);
      case "huge-args" -> hugeArgs(index, random);
      default -> syntax(index, random);
    };
  }

  // ------------------------------------------------------------------ a valid base

  /** A small valid workflow with a random selection of features; task i is named t{i}. */
  static ObjectNode base(Random random, int index) {
    ObjectNode root = NODES.objectNode();
    root.put("apiVersion", "cairn.dev/v1alpha1").put("kind", "Workflow");
    root.putObject("metadata").put("name", "fuzz-" + index);
    ObjectNode spec = root.putObject("spec");
    spec.putObject("inputs").put("rows", 40).putArray("files").add("a").add("b");
    if (random.nextBoolean()) {
      spec.putObject("defaults").put("maxRetries", 1).put("retryDelay", "1s");
    }
    ArrayNode tasks = spec.putArray("tasks");
    ObjectNode a = tasks.addObject().put("name", "t0");
    a.put("function", "dev.cairn.examples.GettingStarted#readData");
    a.putArray("args").add(10);
    ObjectNode b = tasks.addObject().put("name", "t1");
    b.put("function", "dev.cairn.examples.GettingStarted#preprocessing");
    b.putArray("args").addObject().put("$task", "t0");
    ObjectNode c = tasks.addObject().put("name", "t2");
    c.putArray("command").add("sh").add("-c").add("true");
    ArrayNode cArgs = c.putArray("args");
    cArgs.addObject().put("$task", "t1");
    cArgs.addObject().put("$input", "rows");
    cArgs.addObject().putObject("nested").putArray("list").add(1).add("two").addNull();
    if (random.nextBoolean()) {
      c.putArray("dependsOn").add("t0");
    }
    if (random.nextBoolean()) {
      c.put("timeout", "30s").put("maxRetries", 2).put("catchExceptions", true);
      c.putObject("resources").put("cpu", "500m").put("memory", "64Mi");
    }
    ObjectNode m = tasks.addObject().put("name", "t3");
    m.putArray("command").add("echo");
    if (random.nextBoolean()) {
      m.putObject("forEach").put("$input", "files");
    } else {
      m.putArray("forEach").add(1).add(2).add(3);
    }
    m.putArray("args").addObject().put("$item", "");
    m.put("maxInFlight", 2);
    ObjectNode w = tasks.addObject().put("name", "t4");
    w.putArray("command").add("echo");
    w.putArray("args").addObject().put("$task", "t3");
    w.put("when", "tasks.t3.state == 'succeeded' && inputs.rows > 10");
    if (random.nextBoolean()) {
      ObjectNode f = tasks.addObject().put("name", "t5");
      f.putArray("command").add("echo");
      f.putArray("args").addObject().put("$run", "phase");
      f.put("finally", true);
    }
    spec.put("output", "t2");
    return root;
  }

  private static ArrayNode tasks(ObjectNode root) {
    return (ArrayNode) root.path("spec").path("tasks");
  }

  private static ObjectNode task(ObjectNode root, Random random) {
    ArrayNode tasks = tasks(root);
    return (ObjectNode) tasks.get(random.nextInt(Math.min(5, tasks.size())));
  }

  private static Case of(
      int index, String category, String description, ObjectNode root, boolean mustReject) {
    return new Case(index, category, description, render(root), mustReject, LIMIT_MILLIS);
  }

  private static Case text(
      int index, String category, String description, String text, boolean mustReject) {
    return new Case(
        index,
        category,
        description,
        text.getBytes(StandardCharsets.UTF_8),
        mustReject,
        LIMIT_MILLIS);
  }

  /** As YAML (block style) or as JSON (also YAML), chosen by the content. */
  static byte[] render(JsonNode root) {
    try {
      if ((JSON.writeValueAsString(root).hashCode() & 1) == 0) {
        return YAML.writeValueAsBytes(root);
      }
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  // ------------------------------------------------------------------ targeted, invalid

  private static Case cycle(int index, Random random) {
    ObjectNode root = base(random, index);
    ArrayNode tasks = tasks(root);
    int kind = random.nextInt(4);
    String description;
    switch (kind) {
      case 0 -> {
        ObjectNode t = task(root, random);
        t.withArrayProperty("dependsOn").add(t.get("name").asText());
        description = "a task depends on itself";
      }
      case 1 -> {
        ObjectNode t = (ObjectNode) tasks.get(0);
        t.withArrayProperty("args").addObject().put("$task", "t2");
        description = "t0 takes t2's output, t2 comes from t0";
      }
      case 2 -> {
        int n = 2 + random.nextInt(200);
        for (int i = 0; i < n; i++) {
          ObjectNode c = tasks.addObject().put("name", "c" + i);
          c.putArray("command").add("true");
          c.putArray("args").addObject().put("$task", "c" + ((i + 1) % n));
        }
        description = "a cycle of " + n + " tasks";
      }
      default -> {
        ObjectNode t = (ObjectNode) tasks.get(0);
        t.put("when", "tasks.t2.state == 'succeeded'");
        description = "t0's condition reads t2, downstream of t0";
      }
    }
    return of(index, "cycle", description, root, true);
  }

  private static Case unknownField(int index, Random random) {
    ObjectNode root = base(random, index);
    String field =
        pick(
            random,
            List.of("bogus", "Name", "comand", "retries", "max_retries", "x-extra", "$task"));
    ObjectNode spec = (ObjectNode) root.get("spec");
    String where =
        pick(
            random,
            List.of(
                "root",
                "metadata",
                "spec",
                "task",
                "defaults",
                "resources",
                "pod",
                "forEach-task"));
    ObjectNode target =
        switch (where) {
          case "root" -> root;
          case "metadata" -> (ObjectNode) root.get("metadata");
          case "spec" -> spec;
          case "defaults" -> spec.withObjectProperty("defaults");
          case "resources" -> task(root, random).withObjectProperty("resources");
          case "pod" -> spec.withObjectProperty("pod");
          case "forEach-task" -> (ObjectNode) tasks(root).get(3);
          default -> task(root, random);
        };
    target.put(field, random.nextBoolean() ? "1" : "x");
    return of(index, "unknown-field", "unknown field " + field + " in " + where, root, true);
  }

  private static final List<String> BAD_WORKFLOW_NAMES =
      List.of(
          "../etc",
          "../../root/.ssh",
          "a/b",
          "a\u0000b",
          "UPPER",
          "-lead",
          "trail-",
          "a".repeat(254),
          "",
          ".",
          "..",
          "caf\u00e9",
          "a b",
          "a\nb",
          "a_b",
          "x".repeat(100_000),
          "a\u202eb",
          "%2e%2e");

  private static final List<String> BAD_TASK_NAMES =
      List.of(
          "../x",
          "..",
          "a/b",
          "a.b",
          "a\u0000b",
          "",
          " ",
          "a b",
          "\u00e9",
          "$task",
          "a:b",
          "*",
          "a\nb",
          "a\\b");

  private static Case badName(int index, Random random) {
    ObjectNode root = base(random, index);
    int kind = random.nextInt(4);
    String value;
    String where;
    if (kind == 0) {
      value = pick(random, BAD_WORKFLOW_NAMES);
      ((ObjectNode) root.get("metadata")).put("name", value);
      where = "metadata.name";
    } else if (kind == 1) {
      value = pick(random, List.of("../x", "a.b", "A", "x".repeat(64), "", "a\u0000", "a/b", "-a"));
      ((ObjectNode) root.get("metadata")).put("namespace", value);
      where = "metadata.namespace";
    } else if (kind == 2) {
      value = pick(random, BAD_TASK_NAMES);
      task(root, random).put("name", value);
      where = "a task's name";
    } else {
      value = pick(random, BAD_TASK_NAMES);
      ((ObjectNode) root.get("spec")).put("output", value);
      where = "spec.output";
    }
    return of(index, "bad-name", where + " = " + printable(value), root, true);
  }

  private static Case badReference(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode t = task(root, random);
    int kind = random.nextInt(14);
    String description;
    ObjectNode ref = NODES.objectNode();
    switch (kind) {
      case 0 -> ref.put("$task", "nope");
      case 1 -> ref.put("$task", 5);
      case 2 -> ref.put("$task", "");
      case 3 -> ref.putNull("$task");
      case 4 -> ref.put("$task", "t0").put("other", 1);
      case 5 -> ref.put("$input", "nope");
      case 6 -> ref.put("$bogus", "t0");
      case 7 -> ref.putArray("$task").add("t0");
      case 8 -> ref.put("$task", "t0.sub");
      case 9 -> ref.put("$run", "phase");
      case 10 -> ref.put("$item", "");
      default -> ref.put("$task", "nope");
    }
    if (kind == 11) {
      t.withArrayProperty("dependsOn").add("nope");
      description = "dependsOn an unknown task";
    } else if (kind == 12) {
      ((ObjectNode) root.get("spec")).put("output", "nope");
      description = "output names an unknown task";
    } else if (kind == 13) {
      t.withArrayProperty("dependsOn").addNull();
      description = "dependsOn holds null";
    } else if ((kind == 9 || kind == 10) && "t3".equals(t.path("name").asText())) {
      // t3 maps over a list: {$item} is valid there; use a task without forEach.
      ObjectNode other = (ObjectNode) tasks(root).get(2);
      other.withArrayProperty("args").add(ref);
      description = "reference " + ref + " where it means nothing";
    } else {
      // Deep inside the arguments half of the time: references count at any depth.
      if (random.nextBoolean()) {
        t.withArrayProperty("args").addObject().putArray("deep").addObject().set("x", ref);
      } else {
        t.withArrayProperty("args").add(ref);
      }
      description = "reference " + ref;
    }
    boolean finallyTask = t.path("finally").asBoolean(false);
    boolean valid = kind == 9 && finallyTask;
    return of(index, "bad-reference", description, root, !valid);
  }

  private static Case badQuantity(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode resources = task(root, random).withObjectProperty("resources");
    String field = pick(random, List.of("cpu", "memory", "custom", "gpu"));
    String description;
    switch (field) {
      case "gpu" -> {
        Object value = pick(random, List.of(-1, -2147483648L, 2147483648L, 1.5, "1", "many"));
        putAny(resources, "gpu", value);
        description = "gpu = " + value;
      }
      case "custom" -> {
        String name =
            pick(
                random,
                List.of("bad name!", "", "example.com/", "/gpu", "a/b/c", "nvidia.com/gpu"));
        String quantity = pick(random, List.of("-3", "abc", "", "1e999", "1"));
        if ("1".equals(quantity) && "nvidia.com/gpu".equals(name)) {
          quantity = "-1";
        }
        resources.putObject("custom").put(name, quantity);
        description = "custom " + printable(name) + " = " + printable(quantity);
      }
      default -> {
        String value =
            pick(
                random,
                List.of(
                    "abc",
                    "-1",
                    "1e100",
                    "16777216Ti",
                    "1Zi",
                    "0x10",
                    "+-1",
                    "1 m",
                    "",
                    " ",
                    "NaN",
                    "Infinity",
                    "1e999",
                    "99999999999999999999999999",
                    "1..5",
                    "\u221e",
                    "1Ki1",
                    "-0.5",
                    "1mm",
                    "10\u0000"));
        resources.put(field, value);
        description = field + " = " + printable(value);
      }
    }
    return of(index, "bad-quantity", description, root, true);
  }

  private static Case badRetries(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode target =
        random.nextInt(4) == 0
            ? ((ObjectNode) root.get("spec")).withObjectProperty("defaults")
            : task(root, random);
    String field = pick(random, List.of("maxRetries", "retryDelay", "timeout"));
    Object value;
    if (field.equals("maxRetries")) {
      value = pick(random, List.of(-1, -2147483648L, 2147483648L, 1.5, "3", true, "-1"));
    } else if (field.equals("retryDelay")) {
      value =
          pick(
              random,
              List.of(
                  "-1s", "1y", "", "5", "1.5.5s", "9999999999999999999d", "s", "PT-1S", "400d"));
    } else {
      value = pick(random, List.of("0s", "-5m", "0", "366d", "-1", "1e9s", "0ms", "forever"));
    }
    putAny(target, field, value);
    return of(index, "bad-retries", field + " = " + value, root, true);
  }

  private static Case badCel(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode t = (ObjectNode) tasks(root).get(2 + random.nextInt(2));
    int kind = random.nextInt(12);
    String when;
    boolean invalid = true;
    switch (kind) {
      case 0 -> when = "tasks.t1.output >";
      case 1 -> when = "1 + 1";
      case 2 -> when = "'a string'";
      case 3 -> when = "tasks.nope.output == 1";
      case 4 -> when = "inputs.nope == 1";
      case 5 -> when = "(".repeat(1 + random.nextInt(100_000)) + "true";
      case 6 -> when = "(".repeat(2000) + "true" + ")".repeat(2000);
      case 7 -> {
        StringBuilder s = new StringBuilder("true");
        int n = 1 + random.nextInt(50_000);
        for (int i = 0; i < n; i++) {
          s.append(" && true");
        }
        when = s.toString();
        invalid = false;
      }
      case 8 -> when = "tasks.t1.output\u0000 == 1";
      case 9 -> when = "";
      case 10 -> when = "tasks['t1'].output.size( > 3";
      default -> when = "x".repeat(1 + random.nextInt(100_000));
    }
    t.put("when", when);
    return of(
        index,
        "bad-cel",
        "when = " + printable(when.length() > 60 ? when.substring(0, 60) + "..." : when),
        root,
        invalid);
  }

  private static Case badForEach(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode m = (ObjectNode) tasks(root).get(3);
    int kind = random.nextInt(13);
    String description;
    switch (kind) {
      case 0 -> m.put("forEach", 5);
      case 1 -> m.put("forEach", "a string");
      case 2 -> m.put("forEach", true);
      case 3 -> m.putObject("forEach");
      case 4 -> m.putObject("forEach").put("$task", "nope");
      case 5 -> m.putObject("forEach").put("$input", "rows");
      case 6 -> m.putObject("forEach").put("$task", "t3");
      case 7 -> m.put("maxInFlight", pick(random, List.of(0, -1, Integer.MIN_VALUE)));
      case 8 -> putAny(m, "maxInFlight", pick(random, List.of(1.5, "2", true)));
      case 9 -> putAny(m, "minSuccessRatio", pick(random, List.of(1.5, -0.1, "x", 1e308, -1e-9)));
      case 10 -> m.put("finally", true);
      case 11 -> m.withArrayProperty("args").addObject().put("$item", 5);
      default -> {
        ObjectNode plain = (ObjectNode) tasks(root).get(2);
        plain.put("maxInFlight", 2);
      }
    }
    description = "forEach task: " + m;
    return of(index, "bad-foreach", description, root, true);
  }

  private static Case badStructure(int index, Random random) {
    ObjectNode root = base(random, index);
    ObjectNode spec = (ObjectNode) root.get("spec");
    ObjectNode t = task(root, random);
    int kind = random.nextInt(24);
    String description;
    switch (kind) {
      case 0 -> {
        t.put("function", "dev.cairn.examples.GettingStarted#readData");
        t.putArray("command").add("true");
        description = "function and command";
      }
      case 1 -> {
        t.remove("function");
        t.remove("command");
        description = "neither function nor command";
      }
      case 2 -> {
        t.remove("function");
        t.putArray("command");
        description = "empty command";
      }
      case 3 -> {
        t.remove("function");
        t.putArray("command").addNull();
        description = "command [null]";
      }
      case 4 -> {
        t.remove("command");
        t.put("function", pick(random, List.of("noHash", "a.B#c", "#m", "a.B#", "x#y#z", "")));
        description = "bad function " + t.get("function");
      }
      case 5 -> {
        ObjectNode first = (ObjectNode) tasks(root).get(0);
        first.putArray("args");
        description = "readData without its argument";
      }
      case 6 -> {
        ObjectNode first = (ObjectNode) tasks(root).get(0);
        first.putArray("args").add("ten");
        description = "readData(\"ten\")";
      }
      case 7 -> {
        tasks(root).addObject().put("name", "t0").putArray("command").add("true");
        description = "duplicate task name";
      }
      case 8 -> {
        spec.putArray("tasks");
        description = "no tasks";
      }
      case 9 -> {
        spec.putObject("tasks");
        description = "tasks is a map";
      }
      case 10 -> {
        root.putNull("spec");
        description = "spec: null";
      }
      case 11 -> {
        root.put("metadata", "x");
        description = "metadata is a string";
      }
      case 12 -> {
        root.put("apiVersion", pick(random, List.of("v1", "cairn.dev/v2", "")));
        description = "apiVersion " + root.get("apiVersion");
      }
      case 13 -> {
        root.put("kind", pick(random, List.of("Pod", "workflow", "")));
        description = "kind " + root.get("kind");
      }
      case 14 -> {
        t.put("args", "x");
        description = "args is a string";
      }
      case 15 -> {
        t.put("dependsOn", "t0");
        description = "dependsOn is a string";
      }
      case 16 -> {
        ObjectNode f = tasks(root).addObject().put("name", "fin");
        f.putArray("command").add("true");
        f.put("finally", true);
        f.putArray("dependsOn").add("t0");
        description = "finally task with dependsOn";
      }
      case 17 -> {
        ObjectNode f = tasks(root).addObject().put("name", "fin");
        f.putArray("command").add("true");
        f.put("finally", true);
        spec.put("output", "fin");
        description = "finally task as the output";
      }
      case 18 -> {
        ObjectNode f = tasks(root).addObject().put("name", "fin");
        f.putArray("command").add("true");
        f.put("finally", true);
        t.withArrayProperty("args").addObject().put("$task", "fin");
        description = "a task reads a finally task";
      }
      case 19 -> {
        spec.put("inputs", "x");
        description = "inputs is a string";
      }
      case 20 -> {
        spec.put("retentionPolicy", "Explode");
        description = "unknown retention policy";
      }
      case 21 -> {
        t.put("catchExceptions", 2);
        description = "catchExceptions: 2";
      }
      case 22 -> {
        root.remove("metadata");
        description = "no metadata";
      }
      default -> {
        spec.remove("output");
        description = "several leaves and no output";
      }
    }
    return of(index, "bad-structure", description, root, true);
  }

  private static void putAny(ObjectNode node, String field, Object value) {
    node.set(field, JSON.valueToTree(value));
  }

  // ------------------------------------------------------------------ text-level

  private static Case nonUtf8(int index, Random random) {
    byte[] valid = yamlBytes(base(random, index));
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc3, (byte) 0x28},
      {(byte) 0xc0, (byte) 0xaf},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xe9},
      {(byte) 0x80},
    };
    byte[] insert = bad[random.nextInt(bad.length)];
    if (random.nextInt(6) == 0) {
      // The whole file in UTF-16 with a byte-order mark: valid YAML, not UTF-8.
      byte[] utf16 = new String(valid, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
      return new Case(index, "non-utf8", "UTF-16 with BOM", utf16, false, LIMIT_MILLIS);
    }
    // Inside a value (after "name: "), or anywhere.
    String text = new String(valid, StandardCharsets.UTF_8);
    int at = text.indexOf("name: ");
    int position = random.nextBoolean() && at >= 0 ? at + 6 : random.nextInt(valid.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(valid, 0, position);
    out.writeBytes(insert);
    out.write(valid, position, valid.length - position);
    return new Case(
        index,
        "non-utf8",
        "bytes " + hex(insert) + " at byte " + position,
        out.toByteArray(),
        true,
        LIMIT_MILLIS);
  }

  private static Case duplicateKey(int index, Random random) {
    String[] variants = {
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nkind: Workflow\nmetadata: {name: d}\n"
          + "spec:\n  tasks:\n  - {name: a, command: [\"true\"]}\n",
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: d, name: e}\n"
          + "spec:\n  tasks:\n  - {name: a, command: [\"true\"]}\n",
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: d}\n"
          + "spec:\n  tasks:\n  - name: a\n    command: [\"true\"]\n    command: [\"false\"]\n",
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: d}\n"
          + "spec:\n  tasks:\n  - name: a\n    command: [\"true\"]\n    args: [{a: 1, a: 2}]\n",
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: d}\n"
          + "spec:\n  inputs: {x: 1, x: 2}\n  tasks:\n  - {name: a, command: [\"true\"]}\n",
      "{\"apiVersion\": \"cairn.dev/v1alpha1\", \"kind\": \"Workflow\", \"metadata\": {\"name\":"
          + " \"d\"}, \"spec\": {\"tasks\": [], \"tasks\": [{\"name\": \"a\", \"command\":"
          + " [\"true\"]}]}}\n",
    };
    int which = random.nextInt(variants.length);
    return text(index, "duplicate-key", "duplicate key, variant " + which, variants[which], true);
  }

  private static Case yamlBomb(int index, Random random) {
    int kind = random.nextInt(5);
    String head = "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: bomb}\n";
    StringBuilder s = new StringBuilder(head);
    String description;
    switch (kind) {
      case 0, 1 -> {
        // Billion laughs: each level a list of `width` aliases of the level below.
        int levels = 4 + random.nextInt(8);
        int width = 5 + random.nextInt(6);
        s.append("spec:\n  inputs:\n    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int l = 1; l <= levels; l++) {
          s.append("    l").append(l).append(": &l").append(l).append(" [");
          for (int w = 0; w < width; w++) {
            s.append(w > 0 ? ", " : "").append("*l").append(l - 1);
          }
          s.append("]\n");
        }
        s.append("  tasks:\n  - name: a\n    command: [\"true\"]\n    args: [*l")
            .append(levels)
            .append(", {$input: l")
            .append(levels)
            .append("}]\n");
        description = "billion laughs, " + levels + " levels of " + width + " aliases";
      }
      case 2 -> {
        int aliases = 51 + random.nextInt(1000);
        s.append("spec:\n  inputs:\n    x: &x [1, 2, 3]\n  tasks:\n  - name: a\n")
            .append("    command: [\"true\"]\n    args: [");
        for (int i = 0; i < aliases; i++) {
          s.append(i > 0 ? ", " : "").append("*x");
        }
        s.append("]\n");
        description = aliases + " aliases of one list";
      }
      case 3 -> {
        s.append("spec:\n  tasks:\n  - &t\n    name: a\n    command: [\"true\"]\n    args: [*t]\n");
        description = "a task that holds an alias of itself";
      }
      default -> {
        s.append("spec:\n  defaults: &d {maxRetries: 1}\n  tasks:\n  - name: a\n")
            .append("    <<: *d\n    command: [\"true\"]\n");
        description = "a merge key";
      }
    }
    return text(index, "yaml-bomb", description, s.toString(), false);
  }

  private static Case deepNesting(int index, Random random) {
    int depth = pick(random, List.of(40, 60, 1_000, 1_000, 10_000, 10_000, 100_000, 1_000_000));
    int kind = random.nextInt(3);
    StringBuilder s =
        new StringBuilder(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: deep}\n"
                + "spec:\n  tasks:\n  - name: a\n    command: [\"true\"]\n    args: [");
    if (kind == 0) {
      s.append("[".repeat(depth)).append("1").append("]".repeat(depth));
    } else if (kind == 1) {
      s.append("{a: ".repeat(depth)).append("1").append("}".repeat(depth));
    } else {
      // Unclosed: the parser must give up, not recurse for ever.
      s.append("[".repeat(depth));
    }
    s.append("]\n");
    String description = depth + " levels of " + (kind == 1 ? "maps" : "lists");
    Case c = text(index, "deep-nesting", description, s.toString(), kind == 2);
    return depth >= 100_000
        ? new Case(
            c.index(),
            c.category(),
            c.description(),
            c.content(),
            c.mustReject(),
            LARGE_LIMIT_MILLIS)
        : c;
  }

  private static Case hugeArgs(int index, Random random) {
    int kind = random.nextInt(4);
    StringBuilder s =
        new StringBuilder(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: huge}\n"
                + "spec:\n  tasks:\n  - name: a\n    command: [\"true\"]\n    args: [");
    String description;
    switch (kind) {
      case 0 -> {
        int size = 1 << (14 + random.nextInt(9));
        s.append('"').append("x".repeat(size)).append('"');
        description = "a string of " + size + " characters";
      }
      case 1 -> {
        int n = 1_000 << random.nextInt(9);
        for (int i = 0; i < n; i++) {
          s.append(i > 0 ? "," : "").append(i);
        }
        description = n + " arguments";
      }
      case 2 -> {
        int length = 1 << (10 + random.nextInt(11));
        s.append("{").append("k".repeat(length)).append(": 1}");
        description = "a map key of " + length + " characters";
      }
      default -> {
        s.append("1").append("0".repeat((int) Math.pow(10, 1 + random.nextInt(5))));
        description = "a number of up to 100,000 digits";
      }
    }
    s.append("]\n");
    Case c = text(index, "huge-args", description, s.toString(), false);
    return new Case(
        c.index(), c.category(), c.description(), c.content(), c.mustReject(), LARGE_LIMIT_MILLIS);
  }

  private record Syntax(String text, boolean mustReject) {}

  private static final String HEAD =
      "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: s}\nspec:\n  tasks:\n";

  private static final List<Syntax> SYNTAX =
      List.of(
          new Syntax("", true),
          new Syntax("---\n", true),
          new Syntax("null\n", true),
          new Syntax("[]\n", true),
          new Syntax("42\n", true),
          new Syntax("\"just a string\"\n", true),
          new Syntax("\ufeff", true),
          new Syntax(
              "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: s}\nspec:\n"
                  + "\ttasks: []\n",
              true),
          new Syntax(
              "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: \"s}\n", true),
          new Syntax("apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: s\n", true),
          new Syntax(
              "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: s}\n"
                  + "spec: {tasks: [\n",
              true),
          new Syntax("apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: : :\n", true),
          new Syntax(
              HEAD
                  + "  - name: a\n    command: !!javax.script.ScriptEngineManager"
                  + " [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\n",
              true),
          new Syntax(
              HEAD + "  - name: a\n    command: [\"true\"]\n    args: [!!binary \"@@@\"]\n", false),
          new Syntax(
              HEAD
                  + "  - {name: a, command: [\"true\"]}\n---\napiVersion: cairn.dev/v1alpha1\n"
                  + "kind: Workflow\nmetadata: {name: t}\nspec:\n  tasks:\n"
                  + "  - {name: b, command: [\"true\"]}\n",
              true),
          new Syntax(HEAD + "  - name: a\n    command: [\"true\"]\n    args: [*undefined]\n", true),
          new Syntax(HEAD + "  - name: a\n    command: [\"tr\u0000ue\"]\n", true),
          new Syntax("%YAML 9.9\n---\napiVersion: cairn.dev/v1alpha1\nkind: Workflow\n", true),
          new Syntax(
              HEAD + "  - name: a\n    command: [\"true\"]\n    maxRetries: 0x7fffffffffffffffff\n",
              true),
          new Syntax(HEAD + "  - ? [a, b]\n    : c\n", true),
          new Syntax(
              HEAD + "  - name: a\n    command: [\"true\"]\n    args: [\"\\uD800\"]\n", false));

  private static Case syntax(int index, Random random) {
    int which = random.nextInt(SYNTAX.size());
    Syntax syntax = SYNTAX.get(which);
    return text(index, "syntax", "syntax variant " + which, syntax.text(), syntax.mustReject());
  }

  // ------------------------------------------------------------------ mutations

  private static byte[] yamlBytes(JsonNode root) {
    try {
      return YAML.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String SPECIAL = ":{}[]&*!|>'\"#%@`,-?\t\n \\$";

  private static Case byteMutation(int index, Random random) {
    byte[] bytes = render(base(random, index));
    int mutations = 1 + random.nextInt(4);
    List<String> done = new ArrayList<>();
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      int at = random.nextInt(bytes.length);
      int kind = random.nextInt(5);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (kind) {
        case 0 -> {
          int length = Math.min(bytes.length - at, 1 + random.nextInt(20));
          out.write(bytes, 0, at);
          out.write(bytes, at + length, bytes.length - at - length);
          done.add("delete " + length + "@" + at);
        }
        case 1 -> {
          int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
          out.write(bytes, 0, at + length);
          out.write(bytes, at, bytes.length - at);
          done.add("duplicate " + length + "@" + at);
        }
        case 2 -> {
          out.write(bytes, 0, at);
          out.write(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
          out.write(bytes, at + 1, bytes.length - at - 1);
          done.add("replace@" + at);
        }
        case 3 -> {
          out.write(bytes, 0, at);
          done.add("truncate@" + at);
        }
        default -> {
          out.write(bytes, 0, at);
          out.write(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
          out.write(bytes, at, bytes.length - at);
          done.add("insert@" + at);
        }
      }
      bytes = out.toByteArray();
    }
    return new Case(index, "byte-mutation", String.join(", ", done), bytes, false, LIMIT_MILLIS);
  }

  private static Case valueMutation(int index, Random random) {
    ObjectNode root = base(random, index);
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    int mutations = 1 + random.nextInt(3);
    List<String> done = new ArrayList<>();
    for (int m = 0; m < mutations; m++) {
      JsonNode container = containers.get(random.nextInt(containers.size()));
      JsonNode replacement = randomValue(random);
      if (container instanceof ObjectNode o && o.size() > 0) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        o.set(name, replacement);
        done.add(name + " = " + abbreviate(replacement));
      } else if (container instanceof ArrayNode a && a.size() > 0) {
        int i = random.nextInt(a.size());
        a.set(i, replacement);
        done.add("[" + i + "] = " + abbreviate(replacement));
      }
    }
    return new Case(
        index, "value-mutation", String.join(", ", done), render(root), false, LIMIT_MILLIS);
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  private static JsonNode randomValue(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(-1);
      case 2 -> NODES.numberNode(Long.MAX_VALUE);
      case 3 -> NODES.numberNode(1e308);
      case 4 -> NODES.numberNode(-0.5);
      case 5 -> NODES.textNode("");
      case 6 -> NODES.textNode("../../etc/passwd");
      case 7 -> NODES.textNode("a\u0000b");
      case 8 -> NODES.booleanNode(random.nextBoolean());
      case 9 -> NODES.arrayNode();
      case 10 -> NODES.objectNode();
      case 11 -> NODES.objectNode().put("$task", "t0");
      case 12 -> NODES.textNode("x".repeat(1 + random.nextInt(10_000)));
      default -> NODES.arrayNode().add(NODES.objectNode().put("$input", "rows"));
    };
  }

  // ------------------------------------------------------------------ the largest

  /** {@code tasks} command tasks in a fan-out and chains, with a cycle if {@code cyclic}. */
  static Case largeDag(int index, int tasks, boolean cyclic) {
    StringBuilder s =
        new StringBuilder(
            "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: large}\n"
                + "spec:\n  output: t0\n  tasks:\n");
    for (int i = 0; i < tasks; i++) {
      s.append("  - name: t").append(i).append("\n    command: [\"true\"]\n");
      if (i + 1 < tasks) {
        s.append("    args: [{$task: t").append(i + 1).append("}]\n");
      } else if (cyclic) {
        s.append("    args: [{$task: t").append(tasks / 2).append("}]\n");
      }
    }
    return new Case(
        index,
        "large",
        String.format("%,d tasks in a chain%s", tasks, cyclic ? ", its tail a cycle" : ""),
        s.toString().getBytes(StandardCharsets.UTF_8),
        cyclic,
        LARGE_LIMIT_MILLIS);
  }

  /** Just over the 64 Mi code point limit of a manifest. */
  static Case overLimit(int index) {
    String head =
        "apiVersion: cairn.dev/v1alpha1\nkind: Workflow\nmetadata: {name: over}\n"
            + "spec:\n  tasks:\n  - name: a\n    command: [\"true\"]\n    args: [\"";
    int fill = (64 << 20) + 1024 - head.length();
    String text = head + "y".repeat(fill) + "\"]\n";
    return new Case(
        index,
        "large",
        "a manifest of 64 Mi + 1 Ki code points",
        text.getBytes(StandardCharsets.UTF_8),
        true,
        LARGE_LIMIT_MILLIS);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * SplitMix64's finalizer: java.util.Random's first draws of neighbouring seeds are nearly equal,
   * so case seeds are spread first.
   */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static String printable(String value) {
    StringBuilder s = new StringBuilder("\"");
    value
        .codePoints()
        .limit(40)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f || c == 0x202e) {
                s.append(String.format("\\u%04x", c));
              } else {
                s.appendCodePoint(c);
              }
            });
    if (value.codePointCount(0, value.length()) > 40) {
      s.append("...(").append(value.length()).append(" chars)");
    }
    return s.append('"').toString();
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + ")" : text;
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b & 0xff));
    }
    return s.toString();
  }
}
