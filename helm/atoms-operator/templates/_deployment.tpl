{{/*
One operator Deployment: the default one (shard "") or the one of a shard (sharding.shards).
Called with (dict "root" $ "shard" "a").
*/}}
{{- define "atoms-operator.deployment" -}}
{{- $shard := .shard }}
{{- $ctx := . }}
{{- with .root }}
{{- $secretName := include "atoms-operator.apiKeySecretName" . }}
{{- $secretNamespace := include "atoms-operator.apiKeySecretNamespace" . }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "atoms-operator.fullname" . }}{{ with $shard }}-shard-{{ . }}{{ end }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "atoms-operator.shardLabels" $ctx | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  {{- if .Values.leaderElection.enabled }}
  # The Lease keeps one active reconciler: the new pod starts as a standby, then takes over.
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  {{- else }}
  # Without leader election, never run two reconcilers at once: stop the old pod first.
  strategy:
    type: Recreate
  {{- end }}
  selector:
    matchLabels:
      {{- include "atoms-operator.shardSelectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "atoms-operator.shardLabels" $ctx | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "atoms-operator.serviceAccountName" . }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: operator
          image: {{ include "atoms-operator.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: ATOMS_BASE_URL
              value: {{ .Values.atoms.baseUrl | quote }}
            - name: ATOMS_ALLOW_INSECURE_HTTP
              value: {{ .Values.atoms.allowInsecureHttp | toString | quote }}
            - name: ATOMS_RESYNC_INTERVAL
              value: {{ .Values.atoms.resyncInterval | quote }}
            - name: ATOMS_STATUS_HEARTBEAT
              value: {{ .Values.atoms.statusHeartbeat | quote }}
            - name: ATOMS_ERROR_RETRY_INTERVAL
              value: {{ .Values.atoms.errorRetryInterval | quote }}
            - name: ATOMS_CONNECT_TIMEOUT
              value: {{ .Values.atoms.connectTimeout | quote }}
            - name: ATOMS_READ_TIMEOUT
              value: {{ .Values.atoms.readTimeout | quote }}
            - name: ATOMS_REQUEST_DEADLINE
              value: {{ .Values.atoms.requestDeadline | quote }}
            - name: ATOMS_RATE_LIMIT_REQUESTS_PER_SECOND
              value: {{ .Values.atoms.rateLimit.requestsPerSecond | toString | quote }}
            - name: ATOMS_RATE_LIMIT_CONCURRENCY
              value: {{ .Values.atoms.rateLimit.concurrency | toString | quote }}
            {{- if $secretName }}
            - name: ATOMS_DEFAULT_API_KEY_SECRET_NAME
              value: {{ $secretName | quote }}
            - name: ATOMS_DEFAULT_API_KEY_SECRET_KEY
              value: {{ .Values.defaultApiKeySecret.key | quote }}
            {{- with $secretNamespace }}
            - name: ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE
              value: {{ . | quote }}
            {{- end }}
            - name: ATOMS_DEFAULT_API_KEY_SECRET_ALLOWED_NAMESPACES
              value: {{ join "," .Values.defaultApiKeySecret.allowedNamespaces | quote }}
            {{- end }}
            {{- if $shard }}
            # This Deployment serves shard {{ $shard }}: the releases labelled with it, under the Lease
            # <leaseName>-{{ $shard }}.
            - name: ATOMS_SHARD
              value: {{ $shard | quote }}
            {{- end }}
            {{- with include "atoms-operator.releaseSelector" $ctx }}
            - name: QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_SELECTOR
              value: {{ . | quote }}
            {{- end }}
            {{- with .Values.watchNamespaces }}
            - name: QUARKUS_OPERATOR_SDK_CONTROLLERS_AGENTRELEASE_NAMESPACES
              value: {{ join "," . | quote }}
            {{- end }}
            - name: ATOMS_LEADER_ELECTION_ENABLED
              value: {{ .Values.leaderElection.enabled | toString | quote }}
            {{- if .Values.leaderElection.enabled }}
            - name: ATOMS_LEADER_ELECTION_LEASE_NAME
              value: {{ .Values.leaderElection.leaseName | quote }}
            - name: ATOMS_LEADER_ELECTION_LEASE_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            {{- end }}
            - name: QUARKUS_LOG_LEVEL
              value: {{ .Values.logLevel | quote }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        # The only writable path (JVM and Vert.x temp files); the root filesystem is read-only.
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
{{- end }}
