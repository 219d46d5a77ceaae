"""scikit-learn side of bench/dbscan.mjs: fits DBSCAN on a raw float64 file and prints JSON.

Usage: python3 bench/dbscan_sklearn.py DATA.f64 ROWS COLS EPS MIN_SAMPLES METRIC REPEATS LABELS_OUT.i32
Timing covers DBSCAN.fit only (data already in memory), median of REPEATS runs. The labels of the last
run are written to LABELS_OUT as little-endian int32 so the caller can compare them exactly. peakRssMB is
this process's peak resident memory (VmHWM).
"""
import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.cluster import DBSCAN

from peak_rss import peak_rss_mb


def main():
    path, rows, cols, eps, min_samples, metric, repeats, labels_out = sys.argv[1:9]
    rows, cols, min_samples, repeats = int(rows), int(cols), int(min_samples), int(repeats)
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    times = []
    model = None
    for _ in range(repeats):
        db = DBSCAN(eps=float(eps), min_samples=min_samples, metric=metric)
        t0 = time.perf_counter()
        db.fit(X)
        times.append(time.perf_counter() - t0)
        model = db
        del db
    model.labels_.astype("<i4").tofile(labels_out)
    info = threadpoolctl.threadpool_info()
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                nClusters=int(model.labels_.max() + 1),
                nNoise=int((model.labels_ == -1).sum()),
                nCore=int(len(model.core_sample_indices_)),
                peakRssMB=peak_rss_mb(),
                sklearn=sklearn.__version__,
                blas=[dict(api=i.get("internal_api"), arch=i.get("architecture"), threads=i.get("num_threads")) for i in info],
            )
        )
    )


if __name__ == "__main__":
    main()
