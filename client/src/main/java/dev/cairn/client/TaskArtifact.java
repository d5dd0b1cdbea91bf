package dev.cairn.client;

/** A file an attempt wrote under {@code $CAIRN_ARTIFACTS}: its path relative to it and its size. */
public record TaskArtifact(String path, long size) {}
