package dev.cairn.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.CommitRecord;
import dev.cairn.core.model.ValueRef;
import dev.cairn.core.planner.Values;
import dev.cairn.core.store.WorkflowCheckpoints;

/** The planner's values read from and kept in a workflow's checkpoints (small ones inline). */
public final class CheckpointValues implements Values {
  private final WorkflowCheckpoints checkpoints;

  public CheckpointValues(WorkflowCheckpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public JsonNode read(ValueRef ref) {
    return checkpoints.materialize(ref);
  }

  @Override
  public ValueRef keep(JsonNode value) {
    if (Json.bytes(value).length <= CommitRecord.MAX_INLINE_BYTES) {
      return new ValueRef.Inline(value);
    }
    return new ValueRef.Stored(checkpoints.putValue(value));
  }
}
