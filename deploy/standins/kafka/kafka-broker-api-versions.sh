#!/bin/bash
# The official image's tool at the official path, so that compose's healthcheck is the same command on both images:
# `kafka-broker-api-versions.sh --bootstrap-server HOST:PORT` succeeds when the broker answers an ApiVersions
# request without error. Written in bash over /dev/tcp, not as the tool's JVM: the healthcheck runs every few
# seconds on each of three brokers, and on a loaded two-core machine the JVMs piled up (a timed-out healthcheck
# is not killed) and starved the brokers themselves.
set -euo pipefail
[ "${1:-}" = --bootstrap-server ] && [ -n "${2:-}" ] || { echo "usage: $0 --bootstrap-server HOST:PORT" >&2; exit 2; }
host=${2%:*} port=${2##*:}
exec 3<>"/dev/tcp/$host/$port"
# ApiVersions v0: size 12, api_key 18, api_version 0, correlation_id 1, client_id "hc".
printf '\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc' >&3
# The answer: size (4 bytes), correlation_id (4) = 1, error_code (2) = 0.
answer=$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')
[ "${answer:8:8}" = 00000001 ] && [ "${answer:16:4}" = 0000 ]
