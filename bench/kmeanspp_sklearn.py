"""scikit-learn side of the k-means++ row of bench/kmeans.mjs and bench/all.mjs: kmeans_plusplus on a raw float64 file.

Usage: python3 bench/kmeanspp_sklearn.py DATA.f64 ROWS COLS K REPEATS
Timing covers kmeans_plusplus only (data already in memory), median of REPEATS runs. Prints JSON
with the potential (sum of squared distances to the nearest chosen centre) of the last seeding,
computed after the timing by blocks of rows, and peakRssMB, this process's peak resident memory
(VmHWM: reading the file and the seedings; the potential's blocks are small).
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import kmeans_plusplus

from peak_rss import peak_rss_mb


def potential(X, centers, block=4096):
    total = 0.0
    for start in range(0, X.shape[0], block):
        B = X[start : start + block]
        total += float(((B[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).min(axis=1).sum())
    return total


def main():
    path, rows, cols, k, repeats = sys.argv[1:6]
    rows, cols, k, repeats = int(rows), int(cols), int(k), int(repeats)
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    times = []
    centers = None
    for r in range(repeats):
        t0 = time.perf_counter()
        centers, _ = kmeans_plusplus(X, k, random_state=r)
        times.append(time.perf_counter() - t0)
    peak = peak_rss_mb()
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                potential=potential(X, centers),
                peakRssMB=peak,
                sklearn=sklearn.__version__,
            )
        )
    )


if __name__ == "__main__":
    main()
