package dev.cairn.sdk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why a task failed: the exception class (or failure reason such as {@code Timeout}) and message.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskError(String type, String message) {
  @Override
  public String toString() {
    return type + ": " + message;
  }
}
