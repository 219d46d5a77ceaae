"""Reference values for the k-means family (packages/core/test/cluster/*.test.ts).

For every dataset: scikit-learn KMeans (lloyd and elkan) from explicit initial centres, with
n_init=1, recording labels, inertia, n_iter and centres; plus special cases (sample weights,
empty-cluster relocation, maxIter cut-off, tol=0 and loose tolerances); the best inertia of
k-means++ with n_init=10 (random_state=0); BisectingKMeans (k-means++ init, both strategies) and
MiniBatchKMeans inertia for random_state 0..7, for quality comparisons (JS cannot reproduce
numpy's random stream, so those are compared as distributions).
"""
import warnings

import numpy as np
from sklearn.cluster import BisectingKMeans, KMeans, MiniBatchKMeans

SEEDS = range(8)


def _init_rows(X, k, seed):
    """k row indices with pairwise distinct rows, chosen by a fixed RandomState."""
    rng = np.random.RandomState(seed)
    for _ in range(1000):
        rows = rng.choice(X.shape[0], size=k, replace=False)
        if len({tuple(X[r]) for r in rows}) == k:
            return [int(r) for r in rows]
    raise RuntimeError("could not choose distinct initial rows")


def _fit(X, init, algorithm, sample_weight=None, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, algorithm=algorithm, **kw).fit(
            X, sample_weight=sample_weight
        )
    return dict(
        labels=[int(v) for v in km.labels_],
        inertia=float(km.inertia_),
        nIter=int(km.n_iter_),
        centers=km.cluster_centers_.tolist(),
        warnings=[str(w.message) for w in caught],
    )


def _case(name, dataset, X, init, sample_weight=None, init_rows=None, **kw):
    lloyd = _fit(X, init, "lloyd", sample_weight, **kw)
    elkan = _fit(X, init, "elkan", sample_weight, **kw)
    return dict(
        name=name,
        dataset=dataset,
        k=int(init.shape[0]),
        initRows=init_rows,
        init=init.tolist(),
        sampleWeight=None if sample_weight is None else [float(v) for v in sample_weight],
        maxIter=int(kw.get("max_iter", 300)),
        tol=float(kw.get("tol", 1e-4)),
        lloyd=lloyd,
        elkan=elkan,
        lloydEqualsElkan=bool(lloyd["labels"] == elkan["labels"] and lloyd["nIter"] == elkan["nIter"]),
    )


def build(datasets):
    cases = []
    for name, d in datasets.items():
        X, k = d["X"], d["k"]
        rows = _init_rows(X, k, 42)
        cases.append(_case(name, name, X, X[rows].copy(), init_rows=rows))

    # Sample weights.
    for name in ["iris", "blobsOverlap"]:
        X, k = datasets[name]["X"], datasets[name]["k"]
        rows = _init_rows(X, k, 7)
        w = np.random.RandomState(7).uniform(0.2, 3.0, size=X.shape[0])
        cases.append(_case(f"{name}-weighted", name, X, X[rows].copy(), sample_weight=w, init_rows=rows))

    # Empty-cluster relocation: one, then two centres far from all data.
    X = datasets["iris"]["X"]
    init = np.vstack([X[[0, 60]], np.full((1, 4), 40.0)])
    cases.append(_case("iris-relocate-one", "iris", X, init))
    X = datasets["blobsOverlap"]["X"]
    init = np.vstack([X[[0, 1, 2]], np.array([[80.0, 80.0, 80.0], [-90.0, 70.0, 60.0]])])
    cases.append(_case("blobsOverlap-relocate-two", "blobsOverlap", X, init))
    w = np.random.RandomState(3).uniform(0.5, 2.0, size=X.shape[0])
    cases.append(_case("blobsOverlap-relocate-weighted", "blobsOverlap", X, init, sample_weight=w))

    # maxIter cut-off (no convergence; final E-step) and tol = 0.
    for name in ["wine", "blobsOverlap"]:
        X, k = datasets[name]["X"], datasets[name]["k"]
        rows = _init_rows(X, k, 42)
        cases.append(_case(f"{name}-maxIter2", name, X, X[rows].copy(), init_rows=rows, max_iter=2))
        cases.append(_case(f"{name}-tol0", name, X, X[rows].copy(), init_rows=rows, tol=0.0))

    # Loose tolerances that stop on the centre shift before the labels are stable.
    for name, tol in [("wine", 0.1), ("blobsOverlap", 0.03), ("aniso", 1e-3), ("iris", 0.01)]:
        X, k = datasets[name]["X"], datasets[name]["k"]
        rows = _init_rows(X, k, 42)
        cases.append(_case(f"{name}-tol{tol:g}", name, X, X[rows].copy(), init_rows=rows, tol=tol))

    best_of_10 = {}
    bisecting = {}
    mini_batch = {}
    for name, d in datasets.items():
        X, k = d["X"], d["k"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            best_of_10[name] = float(KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_)
            bisecting[name] = {
                strategy: [
                    float(
                        BisectingKMeans(n_clusters=k, init="k-means++", random_state=seed, bisecting_strategy=strategy)
                        .fit(X)
                        .inertia_
                    )
                    for seed in SEEDS
                ]
                for strategy in ["biggest_inertia", "largest_cluster"]
            }
            mini_batch[name] = [
                float(MiniBatchKMeans(n_clusters=k, random_state=seed).fit(X).inertia_) for seed in SEEDS
            ]

    return dict(cases=cases, kmeansPlusPlusBestOf10=best_of_10, bisecting=bisecting, miniBatch=mini_batch)
