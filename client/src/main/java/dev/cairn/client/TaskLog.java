package dev.cairn.client;

/**
 * A task attempt's log.
 *
 * @param attempt the attempt it belongs to
 * @param location where it is kept (a file, a pod), for messages
 * @param text the log itself
 */
public record TaskLog(
    String workflowId, String taskId, int attempt, String location, String text) {}
