"""scikit-learn side of bench/kmeans.mjs: fits KMeans on a raw float64 file and prints JSON.

Usage: python3 bench/kmeans_sklearn.py DATA.f64 ROWS COLS INIT.f64 K MAX_ITER TOL ALGORITHM REPEATS [LABELS_OUT.i32]
Timing covers KMeans.fit only (data already in memory), median of REPEATS runs. With LABELS_OUT,
the labels of the last fit are written there (int32) for the agreement check. peakRssMB is this
process's peak resident memory (VmHWM: reading the file and the fits).
"""
import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.cluster import KMeans

from peak_rss import peak_rss_mb


def main():
    path, rows, cols, init_path, k, max_iter, tol, algorithm, repeats = sys.argv[1:10]
    rows, cols, k, max_iter, repeats = int(rows), int(cols), int(k), int(max_iter), int(repeats)
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    init = np.fromfile(init_path, dtype="<f8").reshape(k, cols)
    times = []
    model = None
    for _ in range(repeats):
        km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=float(tol), algorithm=algorithm)
        t0 = time.perf_counter()
        km.fit(X)
        times.append(time.perf_counter() - t0)
        model = km
    if len(sys.argv) > 10:
        model.labels_.astype("<i4").tofile(sys.argv[10])
    info = threadpoolctl.threadpool_info()
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                inertia=float(model.inertia_),
                nIter=int(model.n_iter_),
                labels_head=[int(v) for v in model.labels_[:20]],
                peakRssMB=peak_rss_mb(),
                sklearn=sklearn.__version__,
                blas=[dict(api=i.get("internal_api"), arch=i.get("architecture"), threads=i.get("num_threads")) for i in info],
            )
        )
    )


if __name__ == "__main__":
    main()
