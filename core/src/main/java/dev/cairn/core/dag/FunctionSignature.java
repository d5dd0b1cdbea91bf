package dev.cairn.core.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a task's arguments are checked against before anything runs, where the runtime sees the
 * function's code ({@link FunctionCatalog#signature}). Binding uses the very conversion the task
 * runner uses, so a value accepted here binds at run time, and a value refused here would fail
 * there.
 */
public interface FunctionSignature {
  /** The parameter's name as compiled ({@code arg0} for code compiled without -parameters). */
  String parameterName(int index);

  /** The parameter's type, as Java writes it ({@code int}, {@code java.util.List<String>}). */
  String parameterType(int index);

  /** The return type, as Java writes it. */
  String returnType();

  /** Empty when the runner can bind {@code value} to parameter {@code index}, else why not. */
  Optional<String> bind(int index, JsonNode value);

  /**
   * A value of the shape every output of this function has, when the return type fixes one: a
   * number, a boolean, a list or a map. Empty when whether an output binds depends on the value
   * itself (a string, which may or may not read as a number; an object; {@code Object}; a
   * continuation, whose output is its sub-DAG's), so such references are checked at run time.
   */
  Optional<JsonNode> outputShape();
}
