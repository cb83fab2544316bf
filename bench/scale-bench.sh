#!/bin/bash
# Heap per reference view and match time at 1,000 / 10,000 / 100,000 views (ScaleBench); see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=1000,10000,100000 sample=20 profile=full descriptors=file cache=keep heap=8g gallery=bench/out/gallery-1000 queries=bench/out/queries
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --descriptors) descriptors=$2; shift 2 ;;
    --flush) cache=flush; shift ;;
    --cold) cache=drop; shift ;;
    --heap) heap=$2; shift 2 ;;
    --gallery) gallery=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
jar=identify/target/identify.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
[ -d "$gallery" ] || { echo "no $gallery: run bench/gen-queries.sh first" >&2; exit 2; }
java -Xmx"$heap" -Dscalebench.pageCache="$cache" -cp "$jar" dev.reelcars.identify.matcher.ScaleBench "$gallery" "$queries" "$sizes" "$sample" 24 "$profile" "$descriptors" \
  2> >(grep -v '^indexing' >&2)
