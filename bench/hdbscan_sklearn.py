"""scikit-learn side of bench/hdbscan.mjs: fits HDBSCAN on a raw float64 file and prints JSON.

Usage: python3 bench/hdbscan_sklearn.py DATA.f64 ROWS COLS MIN_CLUSTER_SIZE MIN_SAMPLES(or "none") REPEATS LABELS_OUT
Timing covers HDBSCAN.fit only (data already in memory), median of REPEATS runs. The labels of the last
run are written to LABELS_OUT as raw little-endian int32, for the agreement check. peakRssMB is this
process's peak resident memory (VmHWM).
"""
import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.cluster import HDBSCAN

from peak_rss import peak_rss_mb


def main():
    path, rows, cols, mcs, ms, repeats, labels_out = sys.argv[1:8]
    rows, cols, mcs, repeats = int(rows), int(cols), int(mcs), int(repeats)
    ms = None if ms == "none" else int(ms)
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    times = []
    model = None
    for _ in range(repeats):
        h = HDBSCAN(min_cluster_size=mcs, min_samples=ms, copy=True)
        t0 = time.perf_counter()
        h.fit(X)
        times.append(time.perf_counter() - t0)
        model = h
    model.labels_.astype("<i4").tofile(labels_out)
    info = threadpoolctl.threadpool_info()
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                nClusters=int(len(set(model.labels_.tolist()) - {-1})),
                peakRssMB=peak_rss_mb(),
                sklearn=sklearn.__version__,
                blas=[dict(api=i.get("internal_api"), arch=i.get("architecture"), threads=i.get("num_threads")) for i in info],
            )
        )
    )


if __name__ == "__main__":
    main()
