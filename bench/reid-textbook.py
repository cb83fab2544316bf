#!/usr/bin/python3
"""The textbook matcher on the real cross-camera sets of gen-reid.py: a reference point for identify's evidence
(README-matcher, sixteenth round). Needs Debian's python3-opencv (hence /usr/bin/python3).

    bench/reid-textbook.py [--reid bench/out/reid] [--method orb|sift] [--features 600] [--fast 12] [--side 600]

Every query of the four sets is matched against every view of its set's gallery: the views are scaled so their longer
side is --side px, features are detected (ORB with a Harris ranking and FAST threshold --fast, as identify's
extractor; or SIFT), each query feature's two nearest reference features go through Lowe's ratio test (0.8), and a
MAGSAC homography (8 px) counts the inliers. Prints how often the right reference has the most inliers, and how many
gallery vehicles are identified when at most 4 of the 216 unknown vehicles are answered, for three scores: the best
count, the best minus the next label's, and their ratio. The threshold is chosen on the same queries, so these are
upper bounds of what a threshold on that score could do, not held-out figures.
"""
import argparse
import csv
import os
from multiprocessing import Pool

import cv2
import numpy as np

SETS = ["set-h0-cam1", "set-h0-cam2", "set-h1-cam1", "set-h1-cam2"]
ARGS = None
FEATURES = {}


def extract(path):
    img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    scale = ARGS.side / max(img.shape)
    img = cv2.resize(img, None, fx=scale, fy=scale,
                     interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    if ARGS.method == "sift":
        detector = cv2.SIFT_create(nfeatures=ARGS.features)
    else:
        detector = cv2.ORB_create(nfeatures=ARGS.features, fastThreshold=ARGS.fast, scoreType=cv2.ORB_HARRIS_SCORE)
    keypoints, descriptors = detector.detectAndCompute(img, None)
    points = np.float32([k.pt for k in keypoints]) if keypoints else np.zeros((0, 2), np.float32)
    return path, points, descriptors


def inliers(query, ref):
    (qp, qd), (rp, rd) = query, ref
    if qd is None or rd is None or len(qd) < 2 or len(rd) < 2:
        return 0
    matcher = cv2.BFMatcher(cv2.NORM_L2 if ARGS.method == "sift" else cv2.NORM_HAMMING)
    good = [m[0] for m in matcher.knnMatch(qd, rd, k=2) if len(m) == 2 and m[0].distance < 0.8 * m[1].distance]
    if len(good) < 6:
        return 0
    src = np.float32([qp[m.queryIdx] for m in good])
    dst = np.float32([rp[m.trainIdx] for m in good])
    h, mask = cv2.findHomography(src, dst, cv2.USAC_MAGSAC, 8.0, maxIters=2000, confidence=0.999)
    return 0 if h is None else int(mask.sum())


def match(job):
    name, query, label = job
    gallery = os.path.join(ARGS.reid, name, "gallery")
    counts = []
    for ref in sorted(os.listdir(gallery)):
        counts.append((inliers(FEATURES[os.path.join(ARGS.reid, name, "queries", query)],
                               FEATURES[os.path.join(gallery, ref, "ref.jpg")]), ref))
    return label, sorted(counts, reverse=True)


def init(args, features):
    global ARGS, FEATURES
    ARGS, FEATURES = args, features


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reid", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "reid"))
    parser.add_argument("--method", choices=["orb", "sift"], default="orb")
    parser.add_argument("--features", type=int, default=600)
    parser.add_argument("--fast", type=int, default=12)
    parser.add_argument("--side", type=int, default=600)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    jobs, paths = [], set()
    for name in SETS:
        for row in csv.DictReader(open(os.path.join(args.reid, name, "queries", "truth.csv"))):
            jobs.append((name, row["query"], row["label"]))
            paths.add(os.path.join(args.reid, name, "queries", row["query"]))
        gallery = os.path.join(args.reid, name, "gallery")
        paths.update(os.path.join(gallery, ref, "ref.jpg") for ref in os.listdir(gallery))
    init(args, {})
    with Pool(args.processes, initializer=init, initargs=(args, {})) as pool:
        features = {p: (points, d) for p, points, d in pool.map(extract, sorted(paths))}
    with Pool(args.processes, initializer=init, initargs=(args, features)) as pool:
        results = pool.map(match, jobs)
    positives = [(label, c) for label, c in results if label != "none"]
    negatives = [c for label, c in results if label == "none"]
    top = sum(1 for label, c in positives if c[0][0] > 0 and c[0][1] == label)
    print(f"{len(positives)} gallery-vehicle queries, {len(negatives)} unknown-vehicle queries")
    print(f"right reference has the most inliers: {top} ({100 * top / len(positives):.1f} %)")
    scores = {"best": lambda c: c[0][0], "best minus next": lambda c: c[0][0] - c[1][0],
              "best / (next + 5)": lambda c: c[0][0] / (c[1][0] + 5)}
    for name, score in scores.items():
        threshold = sorted((score(c) for c in negatives), reverse=True)[4]  # at most 4 of 216 unknowns answered
        right = sum(1 for label, c in positives if c[0][1] == label and score(c) > threshold)
        wrong = sum(1 for label, c in positives if c[0][1] != label and score(c) > threshold)
        print(f"{name}: {right} identified, {wrong} wrong labels, at most 4 unknowns answered (threshold {threshold:g},"
              f" chosen on these queries)")


if __name__ == "__main__":
    main()
