"""scikit-learn side of bench/perf.mjs and bench/scaling.mjs: times one workload and prints JSON.

Usage:
  python3 bench/perf_sklearn.py minibatch DATA.f64 ROWS COLS INIT.f64 K REPEATS [LABELS_OUT.i32]
  python3 bench/perf_sklearn.py gmm DATA.f64 ROWS COLS INIT.f64 K MAX_ITER TOL REPEATS [LABELS_OUT.i32]
      INIT.f64 holds the weights (K), the means (K x COLS) and the precisions (K x COLS x COLS).
  python3 bench/perf_sklearn.py pca DATA.f64 ROWS COLS N_COMPONENTS REPEATS [OUT.f64]
  python3 bench/perf_sklearn.py e2e IN.csv OUT.csv K SEED
      pandas.read_csv + KMeans(k-means++, n_init=1) + DataFrame.to_csv with a `cluster` column.
  python3 bench/perf_sklearn.py kmeans|dbscan|hdbscan DATA.f64 ROWS COLS PARAMS_JSON REPEATS
      (bench/scaling.mjs)

Timings cover the fit (and transform for PCA; everything for e2e), data already in memory except
for e2e; median of REPEATS. Every JSON answer carries the peak resident memory (VmHWM) of this
process in MB.
"""
import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl

from peak_rss import peak_rss_mb


def load(path, rows, cols):
    return np.fromfile(path, dtype="<f8").reshape(rows, cols)


CPU_TIMES = []


def timed(repeats, make):
    """Median wall time of REPEATS calls; the CPU times (all threads of this process) go to CPU_TIMES."""
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        result = make()
        CPU_TIMES.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2], times, result


def minibatch(args):
    from sklearn.cluster import MiniBatchKMeans

    path, rows, cols, init_path, k, repeats = args[:6]
    rows, cols, k, repeats = int(rows), int(cols), int(k), int(repeats)
    X = load(path, rows, cols)
    init = np.fromfile(init_path, dtype="<f8").reshape(k, cols)

    def fit():
        return MiniBatchKMeans(n_clusters=k, init=init, n_init=1, random_state=0).fit(X)

    seconds, times, m = timed(repeats, fit)
    if len(args) > 6:
        m.labels_.astype("<i4").tofile(args[6])
    return dict(seconds=seconds, allSeconds=times, inertia=float(m.inertia_), nSteps=int(m.n_steps_))


def gmm(args):
    from sklearn.mixture import GaussianMixture

    path, rows, cols, init_path, k, max_iter, tol, repeats = args[:8]
    rows, cols, k, max_iter, repeats = int(rows), int(cols), int(k), int(max_iter), int(repeats)
    X = load(path, rows, cols)
    init = np.fromfile(init_path, dtype="<f8")
    weights = init[:k]
    means = init[k : k + k * cols].reshape(k, cols)
    precisions = init[k + k * cols :].reshape(k, cols, cols)

    def fit():
        g = GaussianMixture(
            n_components=k,
            covariance_type="full",
            max_iter=max_iter,
            tol=float(tol),
            weights_init=weights,
            means_init=means,
            precisions_init=precisions,
        )
        g.fit(X)
        return g

    seconds, times, g = timed(repeats, fit)
    labels = g.predict(X)
    if len(args) > 8:
        labels.astype("<i4").tofile(args[8])
    return dict(seconds=seconds, allSeconds=times, lowerBound=float(g.lower_bound_), nIter=int(g.n_iter_))


def pca(args):
    from sklearn.decomposition import PCA

    path, rows, cols, n_components, repeats = args[:5]
    rows, cols, n_components, repeats = int(rows), int(cols), int(n_components), int(repeats)
    X = load(path, rows, cols)

    def fit():
        p = PCA(n_components=n_components)
        Y = p.fit_transform(X)
        return p, Y

    seconds, times, (p, Y) = timed(repeats, fit)
    if len(args) > 5:
        np.ascontiguousarray(Y, dtype="<f8").tofile(args[5])
    return dict(
        seconds=seconds,
        allSeconds=times,
        solver=getattr(p, "_fit_svd_solver", None),
        explainedVariance=[float(v) for v in p.explained_variance_],
    )


def e2e(args):
    import pandas as pd
    from sklearn.cluster import KMeans

    src, dst, k, seed = args[:4]
    t0 = time.perf_counter()
    df = pd.read_csv(src)
    X = df.select_dtypes("number").to_numpy(dtype=np.float64)
    km = KMeans(n_clusters=int(k), n_init=1, random_state=int(seed)).fit(X)
    df["cluster"] = km.labels_
    df.to_csv(dst, index=False)
    seconds = time.perf_counter() - t0
    return dict(seconds=seconds, inertia=float(km.inertia_), nIter=int(km.n_iter_), pandas=pd.__version__)


def scaling(kind, args):
    path, rows, cols, params, repeats = args[:5]
    rows, cols, repeats = int(rows), int(cols), int(repeats)
    X = load(path, rows, cols)
    p = json.loads(params)
    if kind == "kmeans":
        from sklearn.cluster import KMeans

        init = X[: p["k"]].copy()

        def make():
            return KMeans(n_clusters=p["k"], init=init, n_init=1, max_iter=p["maxIter"], tol=p["tol"]).fit(X)
    elif kind == "dbscan":
        from sklearn.cluster import DBSCAN

        def make():
            return DBSCAN(eps=p["eps"], min_samples=p["minSamples"]).fit(X)
    else:
        from sklearn.cluster import HDBSCAN

        def make():
            return HDBSCAN(min_cluster_size=p["minClusterSize"]).fit(X)

    seconds, times, m = timed(repeats, make)
    labels = m.labels_
    return dict(seconds=seconds, allSeconds=times, clusters=int(labels.max() + 1), noise=int((labels < 0).sum()))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "minibatch":
        out = minibatch(args)
    elif mode == "gmm":
        out = gmm(args)
    elif mode == "pca":
        out = pca(args)
    elif mode == "e2e":
        out = e2e(args)
    elif mode in ("kmeans", "dbscan", "hdbscan"):
        out = scaling(mode, args)
    else:
        raise SystemExit(f"unknown mode {mode}")
    info = threadpoolctl.threadpool_info()
    if CPU_TIMES:
        out.update(cpuSeconds=sorted(CPU_TIMES)[len(CPU_TIMES) // 2], allCpuSeconds=CPU_TIMES)
    out.update(
        sklearn=sklearn.__version__,
        peakRssMB=peak_rss_mb(),
        blas=[dict(api=i.get("internal_api"), threads=i.get("num_threads")) for i in info],
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
