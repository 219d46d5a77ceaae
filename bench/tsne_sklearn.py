"""scikit-learn side of bench/tsne.mjs: fits TSNE on a raw float64 file from an explicit init and prints JSON.

Usage: python3 bench/tsne_sklearn.py DATA.f64 ROWS COLS INIT.f64 METHOD MAX_ITER REPEATS OUT.f64 [N_COMPONENTS]
(N_COMPONENTS: 2, the default, or 3; INIT.f64 is ROWS x N_COMPONENTS.)
Timing covers TSNE.fit only (data already in memory), median of REPEATS runs; the last embedding
is written to OUT.f64 (float64, row-major) for the trustworthiness comparison.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads


def main():
    path, rows, cols, init_path, method, max_iter, repeats, out_path = sys.argv[1:9]
    rows, cols, max_iter, repeats = int(rows), int(cols), int(max_iter), int(repeats)
    n_components = int(sys.argv[9]) if len(sys.argv) > 9 else 2
    X = np.fromfile(path, dtype="<f8").reshape(rows, cols)
    init = np.fromfile(init_path, dtype="<f8").reshape(rows, n_components)
    times = []
    model = None
    for _ in range(repeats):
        t = TSNE(n_components=n_components, perplexity=30.0, init=init.copy(), method=method, max_iter=max_iter, random_state=0)
        t0 = time.perf_counter()
        t.fit(X)
        times.append(time.perf_counter() - t0)
        model = t
    model.embedding_.astype("<f8").tofile(out_path)
    print(
        json.dumps(
            dict(
                seconds=sorted(times)[len(times) // 2],
                allSeconds=times,
                kl=float(model.kl_divergence_),
                nIter=int(model.n_iter_) + 1,
                sklearn=sklearn.__version__,
                threads=_openmp_effective_n_threads(),
            )
        )
    )


if __name__ == "__main__":
    main()
