package dev.cairn.core.model;

/** A task's identity in storage: its id in the run and the digest of its definition. */
public record TaskKey(String taskId, String digest) {}
