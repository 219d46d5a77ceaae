"""scikit-learn side of the k-means++ row of bench/kmeans.mjs: kmeans_plusplus on a raw float64 file.

Usage: python3 bench/kmeanspp_sklearn.py DATA.f64 ROWS COLS K REPEATS
Timing covers kmeans_plusplus only (data already in memory), median of REPEATS runs. Prints JSON
with the potential (sum of squared distances to the nearest chosen centre) of the last seeding.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import kmeans_plusplus


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
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).min(axis=1) if rows * k <= 4_000_000 else None
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                potential=float(d2.sum()) if d2 is not None else None,
                sklearn=sklearn.__version__,
            )
        )
    )


if __name__ == "__main__":
    main()
