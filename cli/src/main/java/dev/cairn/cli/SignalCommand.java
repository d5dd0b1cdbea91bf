package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.client.WorkflowClient;
import dev.cairn.core.signal.Signals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn signal ID NAME --value JSON}: delivers a signal to a workflow, locally or in a
 * cluster; its {@code waitFor} tasks of that name complete with the value.
 */
@Command(
    name = "signal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Send a signal to a workflow: its waitFor tasks of that name complete with the value, now"
          + " or when they start waiting.",
      "A signal is delivered once: the same value again changes nothing, another value is"
          + " refused."
    })
final class SignalCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id (NAME or NAMESPACE/NAME).")
  String id;

  @Parameters(
      index = "1",
      paramLabel = "NAME",
      description = "Signal name: letters, digits, '-', '_' and '.' (at most 56).")
  String name;

  @Option(
      names = "--value",
      paramLabel = "JSON",
      description =
          "The signal's value as JSON (default null): '{\"ok\": true}', 42, '\"a string\"'.")
  String value;

  @Override
  public Integer call() {
    JsonNode json;
    try {
      Signals.checkName(name)
          .ifPresent(
              why -> {
                throw new IllegalArgumentException(why);
              });
      json = value == null ? NullNode.getInstance() : Signals.parseValue(name, value);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(e.getMessage());
    }
    try (WorkflowClient client = target.open()) {
      boolean now = client.signal(id, name, json);
      spec.commandLine()
          .getOut()
          .println(
              now
                  ? "signal " + name + " sent to " + id
                  : "signal " + name + " was already sent to " + id + " with this value");
      return ExitCodes.OK;
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(e.getMessage());
    }
  }
}
