{{/* Names */}}
{{- define "cairn.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cairn.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cairn.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cairn
{{- end -}}

{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "cairn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cairn.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Images: an empty tag means the chart's appVersion. */}}
{{- define "cairn.operatorImage" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "cairn.runnerImage" -}}
{{- printf "%s:%s" .Values.runnerImage.repository (default .Chart.AppVersion .Values.runnerImage.tag) -}}
{{- end -}}

{{/* Namespaces where Workflows run and task pods live: the watched ones, or the release's. */}}
{{- define "cairn.taskNamespaces" -}}
{{- if .Values.watchNamespaces -}}
{{- join "," (uniq .Values.watchNamespaces) -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* Store settings, pointing at the bundled MinIO when it is enabled. */}}
{{- define "cairn.minioName" -}}
{{- printf "%s-minio" (include "cairn.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cairn.storeUri" -}}
{{- if .Values.minio.enabled -}}
{{- printf "s3://%s/checkpoints" .Values.minio.bucket -}}
{{- else -}}
{{- .Values.store.uri -}}
{{- end -}}
{{- end -}}

{{- define "cairn.storeEndpoint" -}}
{{- if .Values.minio.enabled -}}
{{- printf "http://%s.%s.svc:9000" (include "cairn.minioName" .) .Release.Namespace -}}
{{- else -}}
{{- .Values.store.endpoint -}}
{{- end -}}
{{- end -}}

{{/* True when the chart itself writes the credentials Secret. */}}
{{- define "cairn.createsStoreSecret" -}}
{{- if and (not .Values.store.existingSecret) (or .Values.minio.enabled .Values.store.accessKeyId) -}}
true
{{- end -}}
{{- end -}}

{{- define "cairn.storeSecretName" -}}
{{- if .Values.store.existingSecret -}}
{{- .Values.store.existingSecret -}}
{{- else if include "cairn.createsStoreSecret" . -}}
{{- printf "%s-store" (include "cairn.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/*
The operator's rights on the resources of the namespaces it watches: exactly what its code
calls (the chart's tests derive that list from the operator and compare).
*/}}
{{- define "cairn.workflowRules" -}}
- apiGroups: ["cairn.dev"]
  resources: ["workflows"]
  verbs: ["get", "list", "watch", "patch", "delete"]
- apiGroups: ["cairn.dev"]
  resources: ["workflows/status"]
  verbs: ["patch"]
# CronWorkflows start their runs (Workflows) and delete the runs beyond their history limits.
- apiGroups: ["cairn.dev"]
  resources: ["workflows"]
  verbs: ["create", "delete"]
- apiGroups: ["cairn.dev"]
  resources: ["cronworkflows"]
  verbs: ["list", "watch"]
- apiGroups: ["cairn.dev"]
  resources: ["cronworkflows/status"]
  verbs: ["patch"]
# A Workflow with spec.workflowTemplateRef: the template is read when its run starts.
- apiGroups: ["cairn.dev"]
  resources: ["workflowtemplates"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["pods"]
  # patch: a finished pod is labelled settled once its verdict is durable and its log stored.
  verbs: ["create", "delete", "get", "list", "watch", "patch"]
# Each ended attempt's main log is read once and stored with the attempt.
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  # update: a store outage's one event gets its count brought up to date; list: the web UI
  # (ui.enabled) shows a workflow's events.
  verbs: ["create", "update"{{ if .Values.ui.enabled }}, "list"{{ end }}]
# Semaphores (synchronization): their slots are read from the ConfigMap cairn-semaphores.
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["cairn-semaphores"]
  verbs: ["get"]
# What task pods name, made in a namespace that lacks it: the task ServiceAccount and the store
# Secret. Create only: the operator can read no Secret.
- apiGroups: [""]
  resources: ["serviceaccounts", "secrets"]
  verbs: ["create"]
{{- end -}}

{{/* Leader election: one Lease in the release namespace. */}}
{{- define "cairn.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ .Values.leaderElection.leaseName | quote }}]
  # The Java Operator SDK checks for get and update before it starts; Fabric8's LeaderElector
  # then renews the Lease with a PATCH (ResourceLock.update).
  verbs: ["get", "update", "patch"]
{{- end -}}
