{{/* Chart name, overridable. */}}
{{- define "atoms-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, prefixed with the chart name unless it already contains it. */}}
{{- define "atoms-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "atoms-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "atoms-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "atoms-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "atoms-operator.labels" -}}
helm.sh/chart: {{ include "atoms-operator.chart" . }}
{{ include "atoms-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "atoms-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "atoms-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest is given. */}}
{{- define "atoms-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the default API-key Secret, or "" when there is none. */}}
{{- define "atoms-operator.apiKeySecretName" -}}
{{- if .Values.defaultApiKeySecret.create }}
{{- default (printf "%s-api-key" (include "atoms-operator.fullname" .)) .Values.defaultApiKeySecret.name }}
{{- else }}
{{- .Values.defaultApiKeySecret.name }}
{{- end }}
{{- end }}

{{/* Namespace of the default API-key Secret, or "" for "each AgentRelease's own namespace". */}}
{{- define "atoms-operator.apiKeySecretNamespace" -}}
{{- if .Values.defaultApiKeySecret.perAgentReleaseNamespace }}
{{- if .Values.defaultApiKeySecret.create }}
{{- fail "defaultApiKeySecret.create cannot be combined with perAgentReleaseNamespace: create the Secret in each namespace yourself" }}
{{- end }}
{{- if .Values.defaultApiKeySecret.namespace }}
{{- fail "defaultApiKeySecret.namespace must be empty when perAgentReleaseNamespace is true" }}
{{- end }}
{{- else if .Values.defaultApiKeySecret.create }}
{{- .Release.Namespace }}
{{- else }}
{{- default .Release.Namespace .Values.defaultApiKeySecret.namespace }}
{{- end }}
{{- end }}

{{/* The rules the reconciler needs in every watched namespace (or cluster-wide). */}}
{{- define "atoms-operator.watchRules" -}}
- apiGroups: ["atoms.smallest.ai"]
  resources: ["agentreleases"]
  # patch: only the atoms.smallest.ai/restore finalizer of releases with deletionPolicy Restore
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["atoms.smallest.ai"]
  resources: ["agentreleases/status"]
  verbs: ["patch", "update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* The Ready reasons that come with Stalled=True (docs/reference.md "Reasons"), as a regex. */}}
{{- define "atoms-operator.stalledReasons" -}}
InvalidSpec|SecretNotFound|Unauthorized|Forbidden|AgentNotFound|VersionNotFound|VersionNotPublished|BadRequest|AgentNotAllowed|Conflict|DriftLoop|NoVersionSelected
{{- end }}
