"""scikit-learn side of bench/silhouette.mjs: silhouette_score on a raw float64 file; prints JSON.

Usage: python3 bench/silhouette_sklearn.py DATA.f64 ROWS COLS LABELS.i32 REPEATS
Timing covers silhouette_score only (data already in memory), median of REPEATS runs; maxRssMB is
the peak resident memory of this process (VmHWM).
"""
import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.metrics import silhouette_score

from peak_rss import peak_rss_mb


def main():
    path, rows, cols, labels_path, repeats = sys.argv[1:6]
    rows, cols, repeats = int(rows), int(cols), int(repeats)
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    labels = np.fromfile(labels_path, dtype="<i4")
    times = []
    score = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        score = silhouette_score(X, labels)
        times.append(time.perf_counter() - t0)
    info = threadpoolctl.threadpool_info()
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                score=float(score),
                maxRssMB=peak_rss_mb(),
                sklearn=sklearn.__version__,
                blas=[dict(api=i.get("internal_api"), arch=i.get("architecture"), threads=i.get("num_threads")) for i in info],
            )
        )
    )


if __name__ == "__main__":
    main()
