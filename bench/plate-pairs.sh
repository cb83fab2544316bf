#!/usr/bin/env bash
# The number-plate channel alone on the dev photos: own plate, same plate, different plates, sharp and film-aged.
# Usage: bench/plate-pairs.sh [--data DIR] [--all]     (needs identify/target/identify.jar: mvn -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=identify/target/identify.jar
[[ -f "$jar" ]] || { echo "$jar not found: run 'mvn -B -q package -DskipTests' first" >&2; exit 1; }
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" -cp "$jar" bench/gen-queries/FilmLook.java bench/plate-pairs/PlatePairs.java
java -cp "$jar:$classes" dev.reelcars.identify.matcher.PlatePairs "$@" 2>&1 | grep -v '^SLF4J'
