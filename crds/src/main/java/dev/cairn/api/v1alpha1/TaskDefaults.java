package dev.cairn.api.v1alpha1;

/** Option values every task of a workflow inherits unless it sets its own. */
public class TaskDefaults extends TaskOptions {}
