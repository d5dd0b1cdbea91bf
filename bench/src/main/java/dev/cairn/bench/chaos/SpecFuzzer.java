package dev.cairn.bench.chaos;

import dev.cairn.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Feeds {@link HostileSpecs} through what {@code cairn lint} and {@code cairn run} do with a file:
 * in this JVM through the command line's own entry point ({@code Main.execute("lint", FILE)}, the
 * exact code of the {@code cairn} process, its error handler included), and a sample through the
 * real {@code cairn run} as a process of its own, against an empty store.
 *
 * <p>Each case ends as one of {@link Verdict}: rejected with every problem naming its place,
 * rejected with a problem that does not, accepted (a defect when the case is invalid), crashed (an
 * exit code other than 0 or 2, a stack trace, or a {@link Throwable} out of the entry point), or
 * hung (past the case's time limit).
 */
public final class SpecFuzzer {
  public enum Verdict {
    REJECTED_NAMED,
    REJECTED_UNNAMED,
    ACCEPTED,
    ACCEPTED_INVALID,
    CRASHED,
    HUNG
  }

  /**
   * One case's result.
   *
   * @param internals a problem message that quotes Java internals (an exception's class name)
   */
  public record Outcome(
      HostileSpecs.Case spec,
      Verdict verdict,
      int exitCode,
      String output,
      long millis,
      boolean internals) {}

  /** Counts by verdict, and the cases worth a look (every verdict but the two good ones). */
  public record Report(
      int cases,
      Map<Verdict, Integer> counts,
      int internals,
      List<Outcome> findings,
      Map<String, Integer> byCategory,
      Map<String, Long> millisByCategory) {
    public int count(Verdict verdict) {
      return counts.getOrDefault(verdict, 0);
    }
  }

  /** {@code FILE:LINE: ...}: the parser's place for a syntax error. */
  private static final Pattern LINE = Pattern.compile("^:\\d+(:\\d+)?: ");

  /**
   * A field path from the document's root, as the validation writes it ({@code
   * spec.tasks[3].args[0]}, {@code metadata.name}): what follows the root may be any field name,
   * spaces and colons included, when the name itself is the problem.
   */
  private static final Pattern PATH =
      Pattern.compile("^(spec|metadata|apiVersion|kind)([.\\[]|: )");

  /** Problems about the file as a whole: the file is their place. */
  private static final List<String> WHOLE_FILE =
      List.of(
          "the file is empty",
          "expected a Workflow object",
          "spec is required",
          "the manifest is over the limit");

  private static final Pattern INTERNALS =
      Pattern.compile(
          "(java|javax|com\\.fasterxml|org\\.yaml|dev\\.cel)\\.[a-z.]*[A-Z]\\w*(Exception|Error)");

  private final Path dir;
  private ExecutorService worker = newWorker();

  public SpecFuzzer(Path dir) {
    this.dir = dir;
  }

  /** Lints cases {@code 0 .. count-1} of {@code seed} in this JVM. */
  public Report lintAll(
      long seed, int count, boolean quick, java.util.function.IntConsumer progress)
      throws InterruptedException {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outcomes.add(lint(HostileSpecs.generate(seed, i, quick)));
      if (progress != null) {
        progress.accept(i + 1);
      }
    }
    return report(outcomes);
  }

  /** Lints one case as {@code cairn lint FILE} does, in this JVM. */
  public Outcome lint(HostileSpecs.Case spec) throws InterruptedException {
    Path file = write(spec);
    long start = System.nanoTime();
    Future<String[]> run =
        worker.submit(
            () -> {
              StringWriter out = new StringWriter();
              StringWriter err = new StringWriter();
              int code;
              try {
                code =
                    Main.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "lint",
                        file.toString());
              } catch (Throwable t) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                return new String[] {"-1", out.toString(), err + "\nthrown: " + trace};
              }
              return new String[] {String.valueOf(code), out.toString(), err.toString()};
            });
    String[] result;
    try {
      result = run.get(spec.limitMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      // The stuck thread cannot be stopped: leave it, and lint the next cases on a fresh one.
      worker.shutdownNow();
      worker = newWorker();
      return new Outcome(spec, Verdict.HUNG, -1, "", elapsed(start), false);
    } catch (java.util.concurrent.ExecutionException e) {
      return new Outcome(
          spec, Verdict.CRASHED, -1, String.valueOf(e.getCause()), elapsed(start), false);
    }
    int code = Integer.parseInt(result[0]);
    String output = (result[1] + result[2]).strip();
    return classify(spec, code, output, file.toString(), elapsed(start));
  }

  /**
   * Runs {@code cairn run FILE --store STORE} as a process for each case; {@code store} must be
   * empty, and must stay so (an invalid workflow is never stored).
   */
  public List<Outcome> runThroughCli(List<HostileSpecs.Case> cases, Path store)
      throws InterruptedException {
    List<Outcome> outcomes = new ArrayList<>();
    for (HostileSpecs.Case spec : cases) {
      Path file = write(spec, "cli-" + spec.index());
      long start = System.nanoTime();
      CairnProcess process =
          CairnProcess.start(
              dir.resolve("cli-logs"),
              "case-" + spec.index(),
              Map.of(),
              "run",
              file.toString(),
              "--store",
              store.toString());
      boolean ended = process.waitFor(Math.max(60_000, spec.limitMillis()));
      if (!ended) {
        process.kill(true);
        outcomes.add(new Outcome(spec, Verdict.HUNG, -1, process.stderr(), elapsed(start), false));
        continue;
      }
      Outcome outcome =
          classify(
              spec,
              process.exitCode(),
              (process.stdout() + process.stderr()).strip(),
              file.toString(),
              elapsed(start));
      outcomes.add(outcome);
    }
    return outcomes;
  }

  /** Workflows stored under {@code store}: there must be none after invalid input. */
  public static int storedWorkflows(Path store) {
    if (!Files.isDirectory(store)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(store)) {
      return (int) files.filter(p -> p.getFileName().toString().equals("workflow.json")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void close() {
    worker.shutdownNow();
  }

  static Outcome classify(
      HostileSpecs.Case spec, int code, String output, String file, long millis) {
    boolean internals = INTERNALS.matcher(output).find();
    if (code != 0 && code != 2 || output.contains("\tat ") || output.contains("thrown: ")) {
      return new Outcome(spec, Verdict.CRASHED, code, output, millis, internals);
    }
    if (code == 0) {
      return new Outcome(
          spec,
          spec.mustReject() ? Verdict.ACCEPTED_INVALID : Verdict.ACCEPTED,
          code,
          output,
          millis,
          internals);
    }
    // A problem starts a line with the file (lint) or "error: " (run); other lines continue the
    // one before (a CEL message shows the expression and a caret under the place).
    List<String> problems =
        output.lines().filter(l -> l.startsWith(file) || l.startsWith("error: ")).toList();
    boolean named = !problems.isEmpty() && problems.stream().allMatch(l -> named(l, file));
    return new Outcome(
        spec,
        named ? Verdict.REJECTED_NAMED : Verdict.REJECTED_UNNAMED,
        code,
        output,
        millis,
        internals);
  }

  /** Whether a problem line says where the problem is. */
  static boolean named(String line, String file) {
    String rest = line.startsWith("error: ") ? line.substring("error: ".length()) : line;
    rest = rest.startsWith(file) ? rest.substring(file.length()) : ": " + rest;
    if (LINE.matcher(rest).find()) {
      return true;
    }
    if (!rest.startsWith(": ")) {
      return false;
    }
    rest = rest.substring(2);
    // The parser's place: PATH (FILE:LINE), whatever the path (an unknown field is named as
    // written).
    if (rest.contains(" (" + file + ":") || PATH.matcher(rest).find()) {
      return true;
    }
    String message = rest;
    return WHOLE_FILE.stream().anyMatch(message::startsWith);
  }

  static Report report(List<Outcome> outcomes) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    Map<String, Integer> byCategory = new LinkedHashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();
    List<Outcome> findings = new ArrayList<>();
    int internals = 0;
    for (Outcome o : outcomes) {
      counts.merge(o.verdict(), 1, Integer::sum);
      byCategory.merge(o.spec().category(), 1, Integer::sum);
      millis.merge(o.spec().category(), o.millis(), Long::sum);
      if (o.internals()) {
        internals++;
      }
      if (o.verdict() != Verdict.REJECTED_NAMED && o.verdict() != Verdict.ACCEPTED
          || o.internals()) {
        findings.add(o);
      }
    }
    return new Report(outcomes.size(), counts, internals, findings, byCategory, millis);
  }

  private Path write(HostileSpecs.Case spec) {
    return write(spec, "case");
  }

  private Path write(HostileSpecs.Case spec, String name) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name + ".yaml"), spec.content());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps a case's file and what it printed, for the report. */
  public Path keep(Outcome outcome) {
    try {
      Path findings = Files.createDirectories(dir.resolve("findings"));
      String base =
          String.format(
              "%05d-%s-%s",
              outcome.spec().index(),
              outcome.spec().category(),
              outcome.verdict().name().toLowerCase());
      Files.write(findings.resolve(base + ".yaml"), outcome.spec().content());
      Files.writeString(
          findings.resolve(base + ".txt"),
          outcome.spec().description()
              + "\nexit "
              + outcome.exitCode()
              + ", "
              + outcome.millis()
              + " ms\n"
              + outcome.output()
              + "\n");
      return findings.resolve(base + ".yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        r -> {
          // A deep stack, as the cairn launcher's main thread has by default, and a daemon so that
          // a hung case cannot keep the JVM alive.
          Thread t = new Thread(null, r, "fuzz-case", 0);
          t.setDaemon(true);
          return t;
        });
  }
}
