#!/usr/bin/env python3
"""Scores identify.jar scan's appearances.csv against bench/GenFilm.java's truth.csv (issue 18).

Recall: a true appearance of a gallery car is found when a predicted appearance of the same label overlaps it.
False appearance: a predicted appearance that overlaps no true appearance of its label; reported per hour of film.
--sweep re-applies the single-frame rule (drop an appearance of one frame whose score is below T) for several T,
which is how scan's --min-single default was chosen (on a tuning film scanned with --min-single 0).
--grid adds a second rule beside it: drop any appearance whose score is below M (whatever its frames), for a grid of
T and M (on a film scanned with --min-single 0).

usage: bench/score-film.py truth.csv appearances.csv FILM_SECONDS [--sweep] [--grid]
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def overlaps(a, b):
    return float(a["start"]) < float(b["end"]) and float(b["start"]) < float(a["end"])


def score(truth, predicted, film_seconds):
    gallery = [t for t in truth if t["kind"] == "gallery"]
    found = [t for t in gallery if any(p["label"] == t["label"] and overlaps(p, t) for p in predicted)]
    false = [p for p in predicted if not any(p["label"] == t["label"] and overlaps(p, t) for t in gallery)]
    return gallery, found, false, len(false) / (film_seconds / 3600)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__)
    truth, predicted, film_seconds = read(args[0]), read(args[1]), float(args[2])
    gallery, found, false, per_hour = score(truth, predicted, film_seconds)
    print(f"film: {film_seconds / 60:.1f} min, {len(gallery)} true appearances of gallery cars, "
          f"{sum(t['kind'] == 'unknown' for t in truth)} of cars not in the gallery, {len(predicted)} predicted")
    print(f"recall: {len(found)}/{len(gallery)} = {100 * len(found) / max(1, len(gallery)):.1f} %")
    for band in ((0.08, 0.14), (0.14, 0.20), (0.20, 0.33)):
        b = [t for t in gallery if band[0] <= float(t["width"]) < band[1]]
        f = [t for t in b if t in found]
        print(f"  width {band[0]:.2f}-{band[1]:.2f}: {len(f)}/{len(b)}")
    for moving in ("true", "false"):
        b = [t for t in gallery if t["moving"] == moving]
        f = [t for t in b if t in found]
        print(f"  {'moving' if moving == 'true' else 'parked'}: {len(f)}/{len(b)}")
    print(f"false appearances: {len(false)} = {per_hour:.1f} per hour")
    for p in false:
        print(f"  false: {p['label']} {p['start']}-{p['end']} frames {p['frames']} score {p['score']}")
    for t in gallery:
        if t not in found:
            print(f"  missed: {t['label']} {t['start']}-{t['end']} width {t['width']} moving {t['moving']}")
    if "--sweep" in sys.argv:
        print("single-frame minimum T: recall, false per hour")
        for threshold in (0, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.01):
            kept = [p for p in predicted if int(p["frames"]) > 1 or float(p["score"]) >= threshold]
            g, fd, fl, ph = score(truth, kept, film_seconds)
            print(f"  T={threshold:.2f}: {100 * len(fd) / max(1, len(g)):.1f} %, {len(fl)} false = {ph:.1f}/h")
    if "--grid" in sys.argv:
        print("single-frame minimum T x any-appearance minimum M: recall %, false appearances")
        ms = (0, 0.8, 0.83, 0.85, 0.88, 0.9, 0.93, 0.95)
        print("  T \\ M " + " ".join(f"{m:>11.2f}" for m in ms))
        for threshold in (0, 0.8, 0.85, 0.9, 0.95, 0.98, 1.01):
            cells = []
            for m in ms:
                kept = [p for p in predicted if float(p["score"]) >= m
                        and (int(p["frames"]) > 1 or float(p["score"]) >= threshold)]
                g, fd, fl, ph = score(truth, kept, film_seconds)
                cells.append(f"{100 * len(fd) / max(1, len(g)):5.1f}% {len(fl):>3}")
            print(f"  {threshold:4.2f}   " + " ".join(f"{c:>11}" for c in cells))


if __name__ == "__main__":
    main()
