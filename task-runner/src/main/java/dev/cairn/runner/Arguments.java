package dev.cairn.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one mode, parsed by hand: every pod phase is a fresh JVM, and a reflective
 * command-line library cost a tenth of a second of class loading and annotation parsing in each
 * (docs/task-runner.md, Startup). Accepts {@code --name value} and {@code --name=value}; a flag
 * takes no value. Anything else is a misconfigured container (exit 3).
 */
final class Arguments {
  private final String mode;
  private final Map<String, String> values = new HashMap<>();

  private Arguments(String mode) {
    this.mode = mode;
  }

  /**
   * @param options the options the mode takes (with their leading dashes)
   * @param flags those of them that take no value
   */
  static Arguments parse(String mode, List<String> args, Set<String> options, Set<String> flags) {
    Arguments parsed = new Arguments(mode);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String name = equals > 0 ? arg.substring(0, equals) : arg;
      if (!options.contains(name)) {
        throw new UsageError(
            (arg.startsWith("-") ? "unknown option " : "unexpected argument ")
                + "'"
                + arg
                + "' for "
                + mode);
      }
      String value;
      if (flags.contains(name)) {
        if (equals > 0) {
          throw new UsageError("option " + name + " takes no value");
        }
        value = "true";
      } else if (equals > 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageError("option " + name + " needs a value");
      }
      if (parsed.values.put(name, value) != null) {
        throw new UsageError("option " + name + " is given twice");
      }
    }
    return parsed;
  }

  /** The option's value, or {@code fallback} when it is not given. */
  String value(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new UsageError("missing required option " + name + " for " + mode);
    }
    return value;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** The runner was called wrongly: the pod is misconfigured (exit 3, with the usage). */
  static final class UsageError extends InfraFailure {
    UsageError(String message) {
      super(message);
    }
  }
}
