#!/usr/bin/env bash
# Issue 18, memory over a film: runs identify.jar scan and, each time its progress line reaches another tenth of the
# film ("scanning N/TOTAL (P%)" on stderr, off a terminal), prints the scan process's VmRSS and VmHWM from
# /proc/PID/status with the film time reached. Then the scan's summary, /usr/bin/time's figures and the score.
# Usage: bench/film-rss.sh FILM_DIR [JAR] [scan flags]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$1"
jar="${2:-identify/target/identify.jar}"
shift $(($# >= 2 ? 2 : 1))
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$dir/film.mp4")
fifo=$(mktemp -u) && mkfifo "$fifo"
/usr/bin/time -f "scan process: %e s wall, %U s user, %S s sys, max RSS %M KB" \
  java -jar "$jar" scan "$dir/film.mp4" --gallery "$dir/gallery" --out "$dir/appearances.csv" "$@" 2>"$fifo" &
timer=$!
pid=""
while IFS= read -r line; do
  if [[ -z "$pid" ]]; then pid=$(pgrep -P "$timer" java || true); fi
  if [[ "$line" =~ ^scanning\ ([0-9]+)/([0-9]+)\ \(([0-9]+)%\) ]] && [[ -n "$pid" && -r /proc/$pid/status ]]; then
    rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    film=$(echo "${BASH_REMATCH[3]} $seconds" | awk '{printf "%.1f", $1 / 100 * $2 / 60}')
    echo "at ${BASH_REMATCH[3]}% (${film} min of film): VmRSS ${rss} MiB, VmHWM ${hwm} MiB, load $(cut -d' ' -f1 /proc/loadavg)"
  elif [[ ! "$line" =~ ^(scanning|indexing) ]]; then
    echo "$line"
  fi
done <"$fifo"
wait "$timer"
rm -f "$fifo"
bench/score-film.py "$dir/truth.csv" "$dir/appearances.csv" "$seconds"
