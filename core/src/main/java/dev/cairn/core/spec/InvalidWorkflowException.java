package dev.cairn.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow that must not start: it lists every problem found, each with its location. */
public class InvalidWorkflowException extends RuntimeException {
  private final List<Problem> problems;

  public InvalidWorkflowException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public InvalidWorkflowException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
