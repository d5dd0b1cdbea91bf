package dev.cairn.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A signal delivered to a workflow: its name, JSON value and when it was received. Written once per
 * workflow and name; the first value stands.
 */
public record SignalRecord(String name, JsonNode value, Instant receivedAt) {}
