#!/usr/bin/env bash
# Issue 18: identify.jar scan variants on one generated film, alternating (A B A B ...), so that they share the
# machine's load; prints per run the wall time, the CPU-seconds (user+sys of Java and ffmpeg, from /usr/bin/time)
# per film second, the real-time factor, peak RSS, recall and false appearances; then the medians per variant and
# their ratios to the first variant. On a shared machine the CPU figure is the one to compare.
# Usage: bench/film-side-by-side.sh FILM_DIR ROUNDS 'name|jar|scan flags' 'name|jar|scan flags' ...
# e.g.   bench/film-side-by-side.sh bench/out/film-1-5min 2 'old|/tmp/identify-old.jar|' \
#          'new|identify/target/identify.jar|--fps 1'
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$1" rounds="$2"
shift 2
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$dir/film.mp4")
results=$(mktemp)
for ((r = 1; r <= rounds; r++)); do
  for v in "$@"; do
    IFS='|' read -r name jar flags <<<"$v"
    out="$dir/appearances-$name.csv"
    log="$dir/scan-$name-$r.log"
    # shellcheck disable=SC2086
    /usr/bin/time -f "TIME %e %U %S %M" java -jar "$jar" scan "$dir/film.mp4" --gallery "$dir/gallery" --out "$out" \
      $flags >"$log" 2>&1
    read -r _ wall user sys rss < <(grep '^TIME' "$log")
    score=$(bench/score-film.py "$dir/truth.csv" "$out" "$seconds" | grep -E '^(recall|false appearances)' \
      | sed -E 's/^recall: ([0-9]+\/[0-9]+).*/\1/; s/^false appearances: ([0-9]+).*/\1 false/' | paste -sd' ')
    cpu=$(echo "$user $sys $seconds" | awk '{printf "%.4f", ($1 + $2) / $3}')
    echo "$name $wall $cpu $rss" >>"$results"
    printf '%-10s round %d: %7.1f s wall = %5.1fx real time, %s CPU-s per film second (=%5.1fx on 2 idle cores), '\
'RSS %d MiB, recall %s, load %s\n' "$name" "$r" "$wall" "$(echo "$seconds $wall" | awk '{print $1 / $2}')" "$cpu" \
      "$(echo "$cpu" | awk '{print 2 / $1}')" $((rss / 1024)) "$score" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
python3 - "$results" "$@" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = [v.split("|")[0] for v in sys.argv[2:]]
med = {n: (statistics.median(float(r[1]) for r in rows if r[0] == n),
           statistics.median(float(r[2]) for r in rows if r[0] == n)) for n in names}
base = med[names[0]]
for n in names:
    print(f"{n:10s} median wall {med[n][0]:7.1f} s, CPU {med[n][1]:.4f} s/s; "
          f"vs {names[0]}: wall x{base[0] / med[n][0]:.2f} faster, CPU x{base[1] / med[n][1]:.2f} less")
PY
rm -f "$results"
