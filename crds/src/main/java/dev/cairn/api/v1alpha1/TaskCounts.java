package dev.cairn.api.v1alpha1;

import java.util.Objects;

/** How many tasks are in each state: the part of the status that scales to any DAG size. */
public class TaskCounts {
  public int total;
  public int succeeded;
  public int running;
  public int pending;
  public int failed;

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskCounts c
        && total == c.total
        && succeeded == c.succeeded
        && running == c.running
        && pending == c.pending
        && failed == c.failed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(total, succeeded, running, pending, failed);
  }
}
