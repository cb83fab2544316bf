#!/bin/bash
# A gallery split by label over N identify engines, each still matched by every shard and merged, against one engine
# holding the whole gallery (ShardBench); see bench/README.md and identify/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=1000,10000,100000 shards=4 sample=40 threads=4 heap=7g gallery=bench/out/gallery-1000 queries=bench/out/queries out=bench/out/shards
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --gallery) gallery=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
jar=identify/target/identify.jar
[ -f "$jar" ] || { echo "build first: mvn -o -B -pl identify -am package -DskipTests" >&2; exit 2; }
[ -d "$gallery" ] || { echo "no $gallery: run bench/gen-queries.sh first" >&2; exit 2; }
java -Xmx"$heap" -cp "$jar" dev.reelcars.identify.matcher.ShardBench "$gallery" "$queries" "$sizes" "$shards" "$sample" 24 \
  "$out" "$threads" 2> >(grep -v '^indexing' >&2)
# The truth of the sampled stills only (score-results.py counts a truth row without a result as "none").
awk -F, 'NR == FNR { if (FNR > 1) sampled[$1] = 1; next } FNR == 1 || ($1 in sampled)' "$out/whole.csv" \
  "$queries/truth-1000.csv" > "$out/truth-sample.csv"
for run in whole merged; do
  echo "== $run"; bench/score-results.py "$out/$run.csv" "$out/truth-sample.csv"
done
