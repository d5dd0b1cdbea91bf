package dev.cairn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code cairn} in-process against one store directory, capturing what it prints. */
public final class CairnCli {
  private final Path store;

  public CairnCli(Path store) {
    this.store = store;
  }

  /** Runs a command that takes a store (every local verb), with this store. */
  public Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--store=" + store);
    return runAsIs(all.toArray(String[]::new));
  }

  /** Runs a command exactly as given. */
  public Result runAsIs(String... all) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(code, out.toString().strip(), err.toString().strip());
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
    }
  }
}
