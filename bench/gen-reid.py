#!/usr/bin/env python3
"""Real cross-camera benchmark sets from ../shared/data/vehicles/reid-dev (issue 19).

Each of the 108 vehicles has one view from each of two road cameras. The vehicles, in sorted order, alternate
between half 0 and half 1. A set puts one half in the gallery (one camera's view as the reference, label = vehicle
id) and queries the other camera's view of every vehicle: the gallery half's are positives (kind real_pair), the
other half's negatives (kind real_unknown, label none). Four sets: half 0 or 1 in the gallery x reference from cam1
or cam2, so every view is a query four times, twice as a positive and twice as a negative, and every vehicle is
a reference in two sets.

Cross-validation folds are by vehicle: fold = (sorted index // 2) % 4, so each fold holds 27 vehicles of both
halves; a query's fold is written in the file name (<vehicle>__f<fold>__<cam>.jpg) and in truth.csv's fourth column.

    bench/gen-reid.py [--data DIR] [--out bench/out/reid]

Files are symlinks; the output folder is deleted and rebuilt.
"""
import argparse
import csv
import os
import shutil
import sys


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data"))
    parser.add_argument("--out", default=os.path.join(here, "out", "reid"))
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    reid = os.path.abspath(os.path.join(args.data, "vehicles", "reid-dev"))
    with open(os.path.join(reid, "pairs.tsv")) as f:
        rows = sorted(csv.DictReader(f, delimiter="\t"), key=lambda r: r["vehicle"])
    if os.path.exists(args.out):
        if not os.path.exists(os.path.join(args.out, "folds.csv")):
            sys.exit(f"{args.out} exists and is not a previous output; not deleting it")
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    with open(os.path.join(args.out, "folds.csv"), "w") as f:
        f.write("vehicle,half,fold\n")
        for i, r in enumerate(rows):
            f.write(f"{r['vehicle']},{i % 2},{(i // 2) % args.folds}\n")
    for half in (0, 1):
        for ref_cam, query_cam in (("view_a", "view_b"), ("view_b", "view_a")):
            name = f"set-h{half}-{'cam1' if ref_cam == 'view_a' else 'cam2'}"
            root = os.path.join(args.out, name)
            truth = ["query,label,kind,fold"]
            for i, r in enumerate(rows):
                vehicle = r["vehicle"]
                fold = (i // 2) % args.folds
                in_gallery = i % 2 == half
                if in_gallery:
                    ref_dir = os.path.join(root, "gallery", vehicle)
                    os.makedirs(ref_dir, exist_ok=True)
                    os.symlink(os.path.join(reid, r[ref_cam]), os.path.join(ref_dir, "ref.jpg"))
                kind = "real_pair" if in_gallery else "real_unknown"
                sub = "positive" if in_gallery else "negative"
                cam = "cam2" if query_cam == "view_b" else "cam1"
                query = f"{sub}/{kind}/{vehicle}__f{fold}__{cam}.jpg"
                os.makedirs(os.path.dirname(os.path.join(root, "queries", query)), exist_ok=True)
                os.symlink(os.path.join(reid, r[query_cam]), os.path.join(root, "queries", query))
                truth.append(f"{query},{vehicle if in_gallery else 'none'},{kind},{fold}")
            with open(os.path.join(root, "queries", "truth.csv"), "w") as f:
                f.write("\n".join(truth) + "\n")
    print(f"gen-reid: {len(rows)} vehicles, 4 sets of {len(rows)} queries in {args.out}")


if __name__ == "__main__":
    main()
