#!/usr/bin/env bash
# Ingest benchmark (issue 4): stills kept per shared clip with time taken, and the near-duplicate detection rate on
# re-encoded / resized / cropped copies of shared/data/scenes. Needs ffmpeg + ffprobe on the PATH and a JDK 17.
# Usage: bench/ingest-bench.sh [DATA_DIR (default ../shared/data)] [HAMMING_THRESHOLD (default 8)]
set -euo pipefail
cd "$(dirname "$0")/.."

jar=ingest/target/ingest.jar
if [[ ! -f "$jar" ]]; then
  mvn -B -q -pl ingest -am package -DskipTests
fi
for tool in ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install -y ffmpeg" >&2; exit 1; }
done

classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" -cp "$jar" bench/ingest-bench/IngestBench.java
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classes:$jar" dev.reelcars.ingest.IngestBench "$@"
