#!/bin/bash
# What apache/kafka's /etc/kafka/docker/run does, for the stand-in: every KAFKA_* variable becomes a broker
# property (KAFKA_ stripped, ___ → -, __ → _, _ → ., lower case), the log directory is formatted once with
# CLUSTER_ID (the image's default when unset, so the brokers of one compose file agree), then the broker starts.
set -euo pipefail
props=/opt/kafka/config/server.properties
: > "$props"
for name in $(compgen -e | grep '^KAFKA_' || true); do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_JMX_OPTS \
      | KAFKA_GC_LOG_OPTS | KAFKA_VERSION) continue ;;
  esac
  key=${name#KAFKA_}
  key=${key//___/-}
  key=${key//__/@}
  key=${key//_/.}
  key=${key//@/_}
  printf '%s=%s\n' "${key,,}" "${!name}" >> "$props"
done
cluster=${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}
cp=/opt/kafka/libs/*
# Small machines: a serial collector and few compiler threads keep three brokers from starving the services.
jvm=(-XX:+UseSerialGC -XX:CICompilerCount=2 -Djava.awt.headless=true)
java "${jvm[@]}" -Xmx128m -cp "$cp" kafka.tools.StorageTool format --config "$props" \
  --cluster-id "$cluster" --ignore-formatted
# shellcheck disable=SC2086 # KAFKA_HEAP_OPTS and KAFKA_OPTS are lists of flags, as in the official image.
exec java "${jvm[@]}" ${KAFKA_HEAP_OPTS:-} ${KAFKA_OPTS:-} -cp "$cp" kafka.Kafka "$props"
