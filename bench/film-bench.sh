#!/usr/bin/env bash
# Issue 18 point 6: generates a labelled test film (bench/GenFilm.java) and scores identify.jar scan on it:
# appearance recall, false appearances per hour, real-time factor. Run from the repository's root after
# `mvn -o -B -pl identify -am package -DskipTests`. Output in bench/out/film-SEED-Nmin/ (gitignored; kept, so a
# second run only scans; an interrupted generation resumes from its finished one-minute chunks).
# Usage: bench/film-bench.sh [--minutes 5] [--seed 2] [--jobs 2] [--data ../shared/data] [scan flags, e.g. --threads 2]
# Seed 1 is the tuning film, seed 2 the held-out one: choose settings on seed 1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

OPENCV_JAR="${OPENCV_JAR:-$HOME/.m2/repository/org/openpnp/opencv/4.9.0-0/opencv-4.9.0-0.jar}"
minutes=5 seed=2 jobs=2 data=../shared/data scan_flags=()
while (($#)); do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) scan_flags+=("$1"); shift ;;
  esac
done
out="bench/out/film-$seed-${minutes}min"
if [[ ! -f "$out/truth.csv" ]]; then
  java -cp "$OPENCV_JAR" bench/GenFilm.java --data "$data" --minutes "$minutes" --seed "$seed" --jobs "$jobs" \
    --out "$out"
fi
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$out/film.mp4")
/usr/bin/time -f "scan process: %e s wall, %U s user, %S s sys, max RSS %M KB" \
  java -jar identify/target/identify.jar scan "$out/film.mp4" --gallery "$out/gallery" \
  --out "$out/appearances.csv" "${scan_flags[@]}" 2> >(grep -v '^scanning\|^indexing' >&2)
bench/score-film.py "$out/truth.csv" "$out/appearances.csv" "$seconds" --sweep
