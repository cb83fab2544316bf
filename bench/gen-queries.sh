#!/usr/bin/env bash
# Generates the labelled matcher benchmark (issue 3) into bench/out/ (gitignored).
# Needs only a JDK 17 and the openpnp OpenCV jar from the local Maven repository; no apt, no network.
# Usage: bench/gen-queries.sh [--data DIR] [--out DIR] [--seed N] [--distractors N] [--threads N]
set -euo pipefail
cd "$(dirname "$0")/.."

OPENCV_JAR="${OPENCV_JAR:-$HOME/.m2/repository/org/openpnp/opencv/4.9.0-0/opencv-4.9.0-0.jar}"
if [[ ! -f "$OPENCV_JAR" ]]; then
  echo "OpenCV jar not found at $OPENCV_JAR; run 'mvn -B -pl identify -am dependency:resolve' or set OPENCV_JAR" >&2
  exit 1
fi

out=bench/out
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[i]}" == --out ]] && out="${args[i + 1]}"
done

classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" -cp "$OPENCV_JAR" bench/gen-queries/*.java

# Every run starts from nothing: stale files from an older seed would silently join the benchmark.
if [[ -e "$out" && -n "$(ls -A "$out")" && ! -f "$out/labels.txt" ]]; then
  echo "refusing to clear $out: it is not empty and not a previous gen-queries output" >&2
  exit 1
fi
rm -rf "$out"
start=$(date +%s)
java -cp "$classes:$OPENCV_JAR" GenQueries --out "$out" "$@"
echo "bench/gen-queries: $(($(date +%s) - start)) s, output in $out"
