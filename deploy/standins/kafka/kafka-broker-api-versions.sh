#!/bin/bash
# The official image's tool at the official path, so compose's healthcheck is the same command on both images.
# A small heap and the C1 compiler only: it runs every few seconds on each broker.
exec java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp '/opt/kafka/libs/*' \
  org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
