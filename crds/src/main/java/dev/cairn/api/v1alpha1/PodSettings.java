package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Scheduling and identity settings copied into every task pod of the workflow. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodSettings {
  @JsonPropertyDescription("Node labels a task pod must match.")
  public Map<String, String> nodeSelector;

  public List<Toleration> tolerations;

  public Affinity affinity;

  @JsonPropertyDescription("ServiceAccount the task pods run as.")
  public String serviceAccountName;

  @JsonPropertyDescription("Environment variables for every task's main container.")
  public List<EnvVar> env;

  public List<LocalObjectReference> imagePullSecrets;
}
