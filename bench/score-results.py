#!/usr/bin/env python3
"""Score a matcher's results.csv against a gen-queries truth csv (issue 3).

results.csv: header `query,predicted,score,seconds`; query is the path relative to the queries folder,
predicted is a gallery label or `none`. truth csv: `query,label,kind` (label `none` for negatives).

Prints, per kind: recall for positive kinds (composite, second_view), false-positive rate for negative
kinds (scene, unknown_car, dashcam), then totals and timing. In --json, `wrong_label` of a negative
kind is its false-positive count and `rate` is recall (positive kinds) or false-positive rate. A query with no result row counts as
`none` and is reported. Result rows not in the truth file (e.g. dropped from truth-100.csv) are ignored.

Usage:
  bench/score-results.py results.csv bench/out/queries/truth.csv
  bench/score-results.py results.csv truth.csv --threshold 0.4   # predictions scoring below become none
  bench/score-results.py results.csv truth.csv --sweep           # recall/FPR at every score threshold
  bench/score-results.py results.csv truth.csv --json            # one JSON object, for scripts
"""
import argparse
import csv
import json
import statistics
import sys

NONE = "none"


def read_csv(path, required):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and not required <= set(rows[0].keys()):
        sys.exit(f"{path}: expected columns {sorted(required)}, got {sorted(rows[0].keys())}")
    return rows


def norm(q):
    q = q.strip().replace("\\", "/")
    while q.startswith("./"):
        q = q[2:]
    return q


def align(truth, results):
    """Maps each truth query to its result row; accepts result paths with an extra leading prefix."""
    by_query = {}
    extra = 0
    keys = set(truth)
    for r in results:
        q = norm(r["query"])
        if q not in keys:
            matches = [k for k in keys if q.endswith("/" + k)]
            if len(matches) != 1:
                extra += 1
                continue
            q = matches[0]
        by_query[q] = r
    return by_query, extra


def prediction(row, threshold):
    if row is None:
        return NONE
    pred = (row.get("predicted") or NONE).strip() or NONE
    if threshold is not None and pred != NONE:
        try:
            if float(row.get("score") or "nan") < threshold:
                return NONE
        except ValueError:
            return NONE
    return pred


def score(truth, by_query, threshold):
    kinds = {}
    for q, t in truth.items():
        pred = prediction(by_query.get(q), threshold)
        k = kinds.setdefault(t["kind"], {"n": 0, "correct": 0, "wrong_label": 0, "predicted_none": 0,
                                         "positive": t["label"] != NONE})
        k["n"] += 1
        if t["label"] != NONE:
            if pred == t["label"]:
                k["correct"] += 1
            elif pred == NONE:
                k["predicted_none"] += 1
            else:
                k["wrong_label"] += 1
        else:
            if pred == NONE:
                k["correct"] += 1
            else:
                k["wrong_label"] += 1  # for a negative any label is a false positive (same key, see docstring)
    for k in kinds.values():
        k["rate"] = (k["correct"] / k["n"]) if k["positive"] else (k["wrong_label"] / k["n"])
    pos = [k for k in kinds.values() if k["positive"]]
    neg = [k for k in kinds.values() if not k["positive"]]
    n_pos = sum(k["n"] for k in pos)
    n_neg = sum(k["n"] for k in neg)
    total = {
        "positives": n_pos,
        "recall": sum(k["correct"] for k in pos) / n_pos if n_pos else None,
        "wrong_label_rate": sum(k["wrong_label"] for k in pos) / n_pos if n_pos else None,
        "negatives": n_neg,
        "false_positive_rate": sum(k["wrong_label"] for k in neg) / n_neg if n_neg else None,
        "accuracy": sum(k["correct"] for k in kinds.values()) / (n_pos + n_neg) if n_pos + n_neg else None,
    }
    return kinds, total


def timing(by_query):
    secs = []
    for r in by_query.values():
        try:
            secs.append(float(r.get("seconds") or ""))
        except ValueError:
            pass
    if not secs:
        return None
    secs.sort()
    return {"n": len(secs), "mean": statistics.fmean(secs), "median": statistics.median(secs),
            "p95": secs[min(len(secs) - 1, int(0.95 * len(secs)))], "max": secs[-1], "total": sum(secs)}


def sweep(truth, by_query):
    scores = sorted({float(r["score"]) for r in by_query.values()
                     if (r.get("predicted") or NONE) != NONE and _is_float(r.get("score"))})
    print(f"{'threshold':>10} {'recall':>7} {'wrong':>7} {'fpr':>7} {'accuracy':>8}")
    last = None
    for t in [None] + scores:
        _, tot = score(truth, by_query, t)
        row = (tot["recall"], tot["wrong_label_rate"], tot["false_positive_rate"])
        if row == last:
            continue  # only thresholds that change something
        last = row
        label = "-" if t is None else f"{t:.4g}"
        print(f"{label:>10} {fmt(tot['recall']):>7} {fmt(tot['wrong_label_rate']):>7} "
              f"{fmt(tot['false_positive_rate']):>7} {fmt(tot['accuracy']):>8}")


def _is_float(s):
    try:
        float(s)
        return True
    except (TypeError, ValueError):
        return False


def fmt(x):
    return "-" if x is None else f"{x:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("truth")
    ap.add_argument("--threshold", type=float, help="treat predictions with score below this as none")
    ap.add_argument("--sweep", action="store_true", help="print recall/FPR for every score threshold")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    a = ap.parse_args()

    truth = {norm(r["query"]): r for r in read_csv(a.truth, {"query", "label", "kind"})}
    results = read_csv(a.results, {"query", "predicted"})
    by_query, extra = align(truth, results)
    missing = sorted(set(truth) - set(by_query))
    if a.sweep:
        sweep(truth, by_query)
        return
    kinds, total = score(truth, by_query, a.threshold)
    secs = timing(by_query)
    if a.json:
        print(json.dumps({"kinds": kinds, "total": total, "seconds": secs, "missing": len(missing),
                          "ignored_rows": extra, "threshold": a.threshold}, indent=1))
        return

    print(f"{'kind':<14}{'n':>5}  {'metric':<20}{'value':>7}   counts")
    order = sorted(kinds, key=lambda k: (not kinds[k]["positive"], k))
    for name in order:
        k = kinds[name]
        metric = "recall" if k["positive"] else "false-positive rate"
        counts = (f"right={k['correct']} wrong-label={k['wrong_label']} none={k['predicted_none']}" if k["positive"]
                  else f"none={k['correct']} false-positive={k['wrong_label']}")
        print(f"{name:<14}{k['n']:>5}  {metric:<20}{fmt(k['rate']):>7}   {counts}")
    print(f"{'positives':<14}{total['positives']:>5}  {'recall':<20}{fmt(total['recall']):>7}")
    print(f"{'':<14}{'':>5}  {'wrong-label rate':<20}{fmt(total['wrong_label_rate']):>7}")
    print(f"{'negatives':<14}{total['negatives']:>5}  {'false-positive rate':<20}{fmt(total['false_positive_rate']):>7}")
    print(f"{'overall':<14}{total['positives'] + total['negatives']:>5}  {'accuracy':<20}{fmt(total['accuracy']):>7}")
    if secs:
        print(f"seconds/query: mean {secs['mean']:.3f}  median {secs['median']:.3f}  p95 {secs['p95']:.3f}  "
              f"max {secs['max']:.3f}  total {secs['total']:.1f}")
    if a.threshold is not None:
        print(f"threshold: {a.threshold}")
    if missing:
        print(f"missing results: {len(missing)} (counted as none), e.g. {', '.join(missing[:3])}")
    if extra:
        print(f"ignored result rows not in truth: {extra}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
