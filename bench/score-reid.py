#!/usr/bin/env python3
"""Scores `match` on the real cross-camera sets of gen-reid.py, using results.csv's fifth column (`match`).

    bench/score-reid.py RESULTS_DIR [--reid bench/out/reid]

RESULTS_DIR holds one results csv per set, named <set>.csv (set-h0-cam1.csv, ...). Prints, pooled over the sets:
gallery vehicles identified (any answer, and as a `vehicle` answer), wrong labels, and vehicles not in the gallery
given a `vehicle` answer and a `model` answer.
"""
import argparse
import csv
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--reid", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "reid"))
    args = parser.parse_args()
    pos = ident = ident_vehicle = wrong = neg = neg_vehicle = neg_model = 0
    for name in sorted(os.listdir(args.reid)):
        truth_file = os.path.join(args.reid, name, "queries", "truth.csv")
        results_file = os.path.join(args.results, name + ".csv")
        if not os.path.exists(truth_file) or not os.path.exists(results_file):
            continue
        truth = {r["query"]: r["label"] for r in csv.DictReader(open(truth_file))}
        results = {r["query"]: r for r in csv.DictReader(open(results_file))}
        for query, label in truth.items():
            r = results.get(query, {"predicted": "none", "match": "none"})
            kind = r.get("match", "vehicle" if r["predicted"] != "none" else "none")
            if label == "none":
                neg += 1
                neg_vehicle += kind == "vehicle"
                neg_model += kind == "model"
            else:
                pos += 1
                if r["predicted"] == label:
                    ident += 1
                    ident_vehicle += kind == "vehicle"
                elif r["predicted"] != "none":
                    wrong += 1
    print(f"gallery vehicles: {pos}; identified {ident} = {100 * ident / pos:.1f} % "
          f"(as vehicle {ident_vehicle} = {100 * ident_vehicle / pos:.1f} %), wrong label {wrong}")
    print(f"vehicles not in the gallery: {neg}; given a vehicle answer {neg_vehicle} = {100 * neg_vehicle / neg:.1f} %,"
          f" a model answer {neg_model} = {100 * neg_model / neg:.1f} %")


if __name__ == "__main__":
    main()
