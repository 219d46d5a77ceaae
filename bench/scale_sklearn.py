"""scikit-learn side of bench/scale.mjs: fits one estimator on a raw float64 file and prints JSON.

Usage: python3 bench/scale_sklearn.py KIND DATA.f64 ROWS COLS PARAMS_JSON LABELS_OUT CAP_SECONDS [REPEATS]
KIND is dbscan, hdbscan, optics or agglomerative; PARAMS_JSON holds the estimator's parameters (scikit-learn
names). Timing covers fit only (data already in memory), one run (or the median of REPEATS, default 1), as
wall and CPU (process) seconds. Peak memory is VmHWM from /proc/self/status
(this process only; baseRssMB is VmRSS just before fit, i.e. the interpreter, numpy, scikit-learn and the
data). If a fit runs longer than CAP_SECONDS, a watchdog prints {"capped": true, ...} with the peak memory so
far and ends the process (the labels are then not written).
"""
import json
import os
import re
import sys
import threading
import time

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN, HDBSCAN, OPTICS, AgglomerativeClustering


def status_mb(field):
    with open("/proc/self/status") as f:
        m = re.search(field + r":\s+(\d+) kB", f.read())
    return int(m.group(1)) / 1024 if m else None


def estimator(kind, p):
    if kind == "dbscan":
        return DBSCAN(eps=p["eps"], min_samples=p["min_samples"])
    if kind == "hdbscan":
        return HDBSCAN(min_cluster_size=p["min_cluster_size"], min_samples=p["min_samples"], copy=True)
    if kind == "optics":
        return OPTICS(min_samples=p["min_samples"], max_eps=p["max_eps"], xi=p["xi"])
    if kind == "agglomerative":
        return AgglomerativeClustering(n_clusters=p["n_clusters"], linkage=p["linkage"])
    raise SystemExit(f"unknown kind {kind}")


def main():
    kind, path, rows, cols, params, labels_out, cap = sys.argv[1:8]
    rows, cols, cap = int(rows), int(cols), float(cap)
    repeats = int(sys.argv[8]) if len(sys.argv) > 8 else 1
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    params = json.loads(params)
    base = status_mb("VmRSS")
    times, cpu_times, model = [], [], None
    for _ in range(repeats):
        model = None
        model = estimator(kind, params)
        t0 = time.perf_counter()
        c0 = time.process_time()

        def on_cap(t0=t0):
            print(json.dumps(dict(capped=True, seconds=time.perf_counter() - t0, maxRssMB=status_mb("VmHWM"),
                                  baseRssMB=base, sklearn=sklearn.__version__)), flush=True)
            os._exit(0)

        watchdog = threading.Timer(cap, on_cap)
        watchdog.daemon = True
        watchdog.start()
        model.fit(X)
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
        watchdog.cancel()
    model.labels_.astype("<i4").tofile(labels_out)
    print(json.dumps(dict(
        seconds=sorted(times)[len(times) // 2],
        allSeconds=times,
        cpuSeconds=sorted(cpu_times)[len(cpu_times) // 2],
        maxRssMB=status_mb("VmHWM"),
        baseRssMB=base,
        nClusters=int(len(set(model.labels_.tolist()) - {-1})),
        sklearn=sklearn.__version__,
    )))


if __name__ == "__main__":
    main()
