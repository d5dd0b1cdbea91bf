package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Names the WorkflowTemplate (in the Workflow's namespace) whose spec a Workflow runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowTemplateRef {
  @Required
  @JsonPropertyDescription("Name of the WorkflowTemplate, in the Workflow's namespace.")
  public String name;

  public WorkflowTemplateRef() {}

  public WorkflowTemplateRef(String name) {
    this.name = name;
  }
}
