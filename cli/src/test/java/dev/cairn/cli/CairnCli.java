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

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--store=" + store);
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Result(code, out.toString().strip(), err.toString().strip());
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
    }
  }
}
