package dev.cairn.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An error as stored and shown: its type (exception class or failure reason) and message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorInfo(String type, String message) {
  @Override
  public String toString() {
    return type + ": " + message;
  }
}
