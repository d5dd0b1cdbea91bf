package dev.cairn.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.model.ValueRef;
import java.util.Map;

/**
 * {@code CAIRN_ATTEMPT_SPEC}: what an attempt's inputs are, as the operator hands them to the pod.
 *
 * @param args the task's argument template, with {@code {"$task": id}} references
 * @param inputs each referenced task's value, by task id
 * @param digests each referenced task's definition digest, by task id: where its committed attempt
 *     (and so its artifacts) is found. Optional; without it the runner looks the committed digest
 *     up in the store.
 * @param attempts each referenced task's committed attempt, by task id, as the operator knows it:
 *     with its digest, the runner takes the artifacts from that attempt and reads no commit record
 *     (whose seal it cannot check). Optional; without it the runner reads the commit.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AttemptSpec(
    JsonNode args,
    Map<String, ValueRef> inputs,
    Map<String, String> digests,
    Map<String, Integer> attempts) {
  public AttemptSpec {
    inputs = inputs == null ? Map.of() : inputs;
    digests = digests == null ? Map.of() : digests;
    attempts = attempts == null ? Map.of() : attempts;
  }

  public static AttemptSpec parse(String json) {
    try {
      AttemptSpec spec =
          Json.MAPPER
              .readerFor(AttemptSpec.class)
              // Tolerate fields a newer operator may add.
              .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(json);
      if (spec.args() == null || !spec.args().isArray()) {
        throw new InfraFailure(PodEnvironment.ATTEMPT_SPEC + " has no \"args\" array");
      }
      return spec;
    } catch (InfraFailure e) {
      throw e;
    } catch (Exception e) {
      throw new InfraFailure(
          PodEnvironment.ATTEMPT_SPEC + " is not a valid attempt spec: " + e.getMessage(), e);
    }
  }
}
