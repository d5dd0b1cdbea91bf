package dev.cairn.core.dag;

import dev.cairn.api.v1alpha1.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code {"$continuation": {...}}}: a sub-DAG in the same task schema. */
public class ContinuationSpec {
  public List<TaskSpec> tasks = new ArrayList<>();
  public String output;
}
