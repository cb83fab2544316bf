#!/usr/bin/env bash
# Side-by-side benchmark of the matcher (issue 3): the default indexed matcher and the textbook exhaustive one
# (`match --exhaustive`) on the same queries, for gallery sizes 100, 1,000 and 10,000 from bench/gen-queries.sh.
# Prints, per size: accuracy on labelled queries, false-positive rate on negatives, per-still p50/p95, the speed
# ratio measured on the same queries, index memory per reference and peak RSS.
#
# The exhaustive matcher costs seconds per still at 1,000+ references, so at those sizes it runs on an evenly spaced
# sample of the queries (every k-th row of truth-N.csv, all kinds); the indexed matcher always runs on all of them,
# and the ratio compares both on the sample. The output says which.
#
# Usage: bench/match-side-by-side.sh [--data bench/out] [--sizes "100 1000 10000"] [--threads 1]
#                                    [--sample-100 all] [--sample-1000 24] [--sample-10000 4] [--results DIR]
#                                    [--no-ablation] [--repeat N]
# --repeat N runs the indexed matcher (and its no-plates ablation) N times per size, alternating, and also reports
# the p50/p95 of each still's fastest time over the N runs (bench/match-min.java; the runs must agree on every
# label and score). Accuracy and the exhaustive ratio come from the first run either way.
# Also runs the default matcher with the number-plate channel off (`match --no-plates`) on all queries, so the
# plates' share of the figures is measured in the same run (--no-ablation skips it).
# Needs: identify/target/identify.jar (built if missing), JDK 17, the bench/gen-queries.sh output in --data.
set -euo pipefail
cd "$(dirname "$0")/.."

data=bench/out
sizes="100 1000 10000"
threads=1
sample_100=all
sample_1000=24
sample_10000=4
results="${TMPDIR:-/tmp}/match-side-by-side"
plates_ablation=yes
repeat=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --sample-100) sample_100="$2"; shift 2 ;;
    --sample-1000) sample_1000="$2"; shift 2 ;;
    --sample-10000) sample_10000="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    --no-ablation) plates_ablation=no; shift ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done

jar=identify/target/identify.jar
if [[ ! -f "$jar" ]]; then
  mvn -B -q -pl identify -am package -DskipTests
fi
# Run a private copy: a parallel rebuild of identify must not swap the jar under a running benchmark.
mkdir -p "$results"
cp "$jar" "$results/identify.jar"
jar="$results/identify.jar"
cli=(java -Xmx2g -cp "$jar" dev.reelcars.identify.cli.MatchCli)

if [[ ! -d "$data/queries" ]]; then
  echo "no benchmark data in $data: run bench/gen-queries.sh first" >&2
  exit 1
fi

# match MODE GALLERY QUERIES OUT.csv: runs the CLI, keeps its summary (stderr without the progress bar).
match() {
  local mode="$1" gallery="$2" queries="$3" out="$4"
  local flag=()
  [[ "$mode" == exhaustive ]] && flag=(--exhaustive)
  [[ "$mode" == no-plates ]] && flag=(--no-plates)
  "${cli[@]}" match --gallery "$gallery" --queries "$queries" --out "$out" --threads "$threads" "${flag[@]}" \
    2> >(tr '\r' '\n' | grep -v -e '^\(matching\|indexing\) \[' -e '^$' > "${out%.csv}.log")
  wait
}

# sample TRUTH N DIR: a query folder with every k-th truth row (symlinks, same relative paths) of about N queries.
sample() {
  local truth="$1" n="$2" dir="$3" total step
  total=$(($(wc -l < "$truth") - 1))
  step=$(((total + n - 1) / n))
  rm -rf "$dir"
  tail -n +2 "$truth" | awk -F, -v s="$step" '(NR - 1) % s == 0 {print $1}' | while read -r q; do
    mkdir -p "$dir/$(dirname "$q")"
    ln -s "$(realpath "$data/queries/$q")" "$dir/$q"
  done
}

score() { java bench/match-score.java "$@"; }
count_images() { find -L "$1" -type f \( -name '*.jpg' -o -name '*.png' \) | wc -l; }
field() { grep -o "$2=[0-9.]*" <<< "$1" | head -1 | cut -d= -f2; }

echo "match side by side: data=$data threads=$threads cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%FT%TZ)"
for n in $sizes; do
  gallery="$data/gallery-$n"
  truth="$data/queries/truth-$n.csv"
  if [[ ! -d "$gallery" ]]; then
    echo "== gallery-$n: missing in $data, skipped"
    continue
  fi
  total=$(($(wc -l < "$truth") - 1))
  limit=$total
  [[ $n -lt 1000 && "$sample_100" != all ]] && limit=$sample_100
  [[ $n -ge 10000 ]] && limit=$sample_10000
  [[ $n -ge 1000 && $n -lt 10000 ]] && limit=$sample_1000
  exhaustive_queries="$data/queries"
  if [[ $limit -lt $total ]]; then
    exhaustive_queries="$results/sample-$n"
    sample "$truth" "$limit" "$exhaustive_queries"
  fi

  match indexed "$gallery" "$data/queries" "$results/indexed-$n.csv"
  [[ "$plates_ablation" == yes ]] && match no-plates "$gallery" "$data/queries" "$results/no-plates-$n.csv"
  for ((r = 2; r <= repeat; r++)); do
    match indexed "$gallery" "$data/queries" "$results/indexed-$n.run$r.csv"
    [[ "$plates_ablation" == yes ]] && match no-plates "$gallery" "$data/queries" "$results/no-plates-$n.run$r.csv"
  done
  match exhaustive "$gallery" "$exhaustive_queries" "$results/exhaustive-$n.csv"

  echo "== gallery-$n"
  indexed_all=$(score "$results/indexed-$n.csv" "$truth" "indexed    (all $total)")
  echo "$indexed_all"
  sed 's/^/      /' "$results/indexed-$n.log" | grep -e 'gallery:' -e 'index memory' -e 'per still' -e 'peak memory'
  if [[ "$plates_ablation" == yes ]]; then
    score "$results/no-plates-$n.csv" "$truth" "no plates  (all $total)"
    sed 's/^/      /' "$results/no-plates-$n.log" | grep -e 'index memory' -e 'per still'
  fi
  exhaustive_line=$(score "$results/exhaustive-$n.csv" "$truth" "exhaustive ($(count_images "$exhaustive_queries"))")
  echo "$exhaustive_line"
  sed 's/^/      /' "$results/exhaustive-$n.log" | grep -e 'gallery:' -e 'index memory' -e 'per still' -e 'peak memory'
  if [[ "$exhaustive_queries" != "$data/queries" ]]; then
    # The same sampled queries, from the indexed run, for a like-for-like ratio.
    (head -1 "$results/indexed-$n.csv"
     awk -F, 'NR == FNR {keep[$1 ","]; next} {for (k in keep) if (index($0, k) == 1) print}' \
       <(cd "$exhaustive_queries" && find . -type l | sed 's|^\./||') "$results/indexed-$n.csv") > "$results/indexed-sample-$n.csv"
    indexed_sample=$(score "$results/indexed-sample-$n.csv" "$truth" "indexed    (same sample)")
    echo "$indexed_sample"
    echo "   note: exhaustive ran on an evenly spaced sample of $(count_images "$exhaustive_queries") of $total queries (it needs seconds per still here)"
  else
    indexed_sample="$indexed_all"
  fi
  if [[ $repeat -gt 1 ]]; then
    modes=(indexed)
    [[ "$plates_ablation" == yes ]] && modes+=(no-plates)
    for mode in "${modes[@]}"; do
      runs=("$results/$mode-$n.csv")
      for ((r = 2; r <= repeat; r++)); do runs+=("$results/$mode-$n.run$r.csv"); done
      java bench/match-min.java "$results/$mode-$n.fastest.csv" "${runs[@]}" > /dev/null
      each=""
      for run in "${runs[@]}"; do each+=" $(field "$(score "$run" "$truth")" p50_ms)"; done
      fastest=$(score "$results/$mode-$n.fastest.csv" "$truth")
      printf '   %-10s p50 of each run (ms):%s; fastest of %d per still: p50 %s ms, p95 %s ms\n' "$mode" "$each" \
        "$repeat" "$(field "$fastest" p50_ms)" "$(field "$fastest" p95_ms)"
    done
  fi
  ip50=$(field "$indexed_sample" p50_ms)
  ep50=$(field "$exhaustive_line" p50_ms)
  echo "   speed ratio (exhaustive p50 / indexed p50, same queries): $(awk -v e="$ep50" -v i="$ip50" 'BEGIN {printf "%.1fx", e / i}')"
done
echo "results and logs in $results"
