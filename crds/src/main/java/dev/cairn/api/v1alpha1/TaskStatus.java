package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One task in the status' bounded view: only tasks that are running, waiting (sleep, waitFor) or
 * failed are listed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskStatus {
  public String name;
  public String state;
  public Integer attempt;
  public String message;

  public TaskStatus() {}

  public TaskStatus(String name, String state, Integer attempt, String message) {
    this.name = name;
    this.state = state;
    this.attempt = attempt;
    this.message = message;
  }
}
