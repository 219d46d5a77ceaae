"""Reference outputs for density-based clustering: DBSCAN and OPTICS (scikit-learn).

`build(datasets)` returns
  - `extraDatasets`: density-friendly data generated here with fixed random states (moons, noisy circles,
    blobs with uniform noise, a 20-feature set that sends scikit-learn to its brute-force path), written in
    full because JS cannot reproduce numpy's random stream;
  - `dbscan`: cases {dataset, eps, minSamples, metric, sampleWeight?, labels, coreSampleIndices, minGap};
  - `optics`: cases {dataset, minSamples, maxEps, metric, xi, minClusterSize, predecessorCorrection,
    ordering, reachability, coreDistances, predecessor, labels (xi), clusterHierarchy, dbscan: [{eps, labels}]}.

Infinity is written as null (JSON has no Infinity).

Choice of eps: a neighbourhood test `d(x, y) <= eps` is only reproducible across implementations when no
pairwise distance lies within rounding of eps. Each eps is taken as the midpoint between two consecutive
distinct pairwise distances near a target quantile, and `minGap` (smallest |d - eps| / eps over all pairs)
is recorded. The `duplicates` set also has eps = 1.0, an exact tie (distance exactly 1.0 in floating point),
which checks that the boundary is inclusive.

Metric names: Clusterlab "euclidean" is scikit-learn "minkowski" with p = 2 for OPTICS (scipy's cdist,
differences-based, as Clusterlab computes it) and "euclidean" for DBSCAN (k-d tree: the same arithmetic).
"""
import warnings

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.cluster import DBSCAN, OPTICS, cluster_optics_dbscan
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.neighbors import NearestNeighbors


def _extra():
    out = {}
    X, y = make_moons(n_samples=300, noise=0.07, random_state=0)
    out["moons"] = dict(X=X, labelsTrue=y, k=2, description="two interleaved half-moons, noise 0.07 (random_state=0)")
    X, y = make_circles(n_samples=300, factor=0.45, noise=0.06, random_state=1)
    out["circles"] = dict(X=X, labelsTrue=y, k=2, description="noisy concentric circles, factor 0.45 (random_state=1)")
    Xb, yb = make_blobs(n_samples=330, centers=[[-4, -3], [0, 3], [4, -2]], cluster_std=[0.5, 0.8, 0.4], random_state=2)
    rng = np.random.RandomState(3)
    Xn = rng.uniform(-7, 7, size=(70, 2))
    X = np.vstack([Xb, Xn])
    y = np.concatenate([yb, -np.ones(70, dtype=int)])
    perm = np.random.RandomState(4).permutation(len(X))
    out["noisyBlobs"] = dict(
        X=X[perm], labelsTrue=y[perm], k=3, description="3 blobs + 70 uniform noise points, shuffled (random_state 2, 3, 4)"
    )
    X, y = make_blobs(n_samples=200, centers=3, n_features=20, cluster_std=1.0, random_state=7)
    out["blobs20d"] = dict(X=X, labelsTrue=y, k=3, description="3 blobs in 20-D (brute-force path)")
    rng = np.random.RandomState(5)
    X = rng.normal(size=(150, 3)) + np.repeat([[0, 0, 0], [3, 3, 0], [-3, 2, 2]], 50, axis=0)
    out["cosine3d"] = dict(X=X, labelsTrue=np.repeat([0, 1, 2], 50), k=3, description="3 Gaussian groups in 3-D for cosine")
    return out


def _metric_cdist(metric):
    return {"euclidean": "euclidean", "manhattan": "cityblock", "cosine": "cosine"}[metric]


def _pick_eps(X, metric, target):
    """Midpoint between the two consecutive distinct pairwise distances around `target`."""
    D = cdist(X, X, _metric_cdist(metric))
    u = np.unique(D[np.triu_indices(len(X), 1)])
    # Merge values equal up to rounding (lattice data such as iris has the same distance computed
    # with different rounding for different pairs), so the midpoint falls in a real gap.
    keep = np.concatenate([[True], np.diff(u) > 1e-9 * np.maximum(u[1:], 1e-300)])
    u = u[keep]
    i = int(np.searchsorted(u, target))
    i = min(max(i, 1), len(u) - 1)
    return float((u[i - 1] + u[i]) / 2)


def _min_gap(X, metric, eps):
    D = cdist(X, X, _metric_cdist(metric))
    return float(np.min(np.abs(D - eps)) / eps)


def _knn_quantile(X, metric, k, q):
    nn = NearestNeighbors(n_neighbors=k, metric=_metric_cdist(metric) if metric != "euclidean" else "euclidean").fit(X)
    d = nn.kneighbors(X)[0][:, -1]
    return float(np.quantile(d, q))


def _dbscan_case(name, X, eps, min_samples, metric="euclidean", sample_weight=None):
    m = DBSCAN(eps=eps, min_samples=min_samples, metric=metric).fit(X, sample_weight=sample_weight)
    case = dict(
        dataset=name,
        eps=eps,
        minSamples=min_samples,
        metric=metric,
        labels=[int(v) for v in m.labels_],
        coreSampleIndices=[int(v) for v in m.core_sample_indices_],
        nClusters=int(len(set(m.labels_.tolist()) - {-1})),
        minGap=_min_gap(X, metric, eps),
    )
    if sample_weight is not None:
        case["sampleWeight"] = [float(v) for v in sample_weight]
    return case


def _inf_to_none(a):
    return [None if np.isinf(v) else float(v) for v in a]


def _optics_case(name, X, min_samples, max_eps=np.inf, metric="euclidean", xi=0.05, min_cluster_size=None,
                 predecessor_correction=True, dbscan_eps=()):
    sk_metric = {"euclidean": "minkowski", "manhattan": "manhattan", "cosine": "cosine"}[metric]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = OPTICS(
            min_samples=min_samples,
            max_eps=max_eps,
            metric=sk_metric,
            xi=xi,
            min_cluster_size=min_cluster_size,
            predecessor_correction=predecessor_correction,
        ).fit(X)
    extractions = []
    for eps in dbscan_eps:
        labels = cluster_optics_dbscan(
            reachability=m.reachability_, core_distances=m.core_distances_, ordering=m.ordering_, eps=eps
        )
        extractions.append(dict(eps=eps, labels=[int(v) for v in labels]))
    return dict(
        dataset=name,
        minSamples=min_samples,
        maxEps=None if np.isinf(max_eps) else float(max_eps),
        metric=metric,
        xi=xi,
        minClusterSize=min_cluster_size,
        predecessorCorrection=predecessor_correction,
        ordering=[int(v) for v in m.ordering_],
        reachability=_inf_to_none(m.reachability_),
        coreDistances=_inf_to_none(m.core_distances_),
        predecessor=[int(v) for v in m.predecessor_],
        labels=[int(v) for v in m.labels_],
        clusterHierarchy=[[int(a), int(b)] for a, b in np.asarray(m.cluster_hierarchy_).reshape(-1, 2)],
        dbscan=extractions,
    )


def build(datasets):
    extra = _extra()
    alld = dict(datasets)
    alld.update(extra)

    dbscan = []
    # Several eps / minSamples per dataset: eps from quantiles of the k-th neighbour distance.
    plan = {
        "iris": [(5, 0.5), (10, 0.8), (3, 0.2)],
        "wine": [(5, 0.5), (8, 0.9)],
        "blobsOverlap": [(5, 0.4), (12, 0.7)],
        "aniso": [(5, 0.5), (4, 0.9)],
        "variedVariance": [(5, 0.6), (10, 0.3)],
        "oneFeature": [(5, 0.5), (3, 0.9)],
        "duplicates": [(3, 0.5), (6, 0.5)],
        "singleCluster": [(5, 0.5), (20, 0.95)],
        "kEqualsN": [(2, 0.5), (3, 0.9)],
        "moons": [(5, 0.5), (8, 0.95), (4, 0.3)],
        "circles": [(5, 0.6), (10, 0.9)],
        "noisyBlobs": [(5, 0.6), (10, 0.8)],
        "blobs20d": [(5, 0.5), (10, 0.9)],
    }
    for name, settings in plan.items():
        X = alld[name]["X"]
        for min_samples, q in settings:
            target = _knn_quantile(X, "euclidean", min_samples, q)
            eps = _pick_eps(X, "euclidean", target)
            dbscan.append(_dbscan_case(name, X, eps, min_samples))
    # Exact ties on the boundary (distance exactly 1.0): the neighbourhood is closed (d <= eps).
    dbscan.append(_dbscan_case("duplicates", alld["duplicates"]["X"], 1.0, 6))
    dbscan.append(_dbscan_case("duplicates", alld["duplicates"]["X"], 1.0, 9))
    # Manhattan and cosine.
    for name, min_samples, q in [("iris", 5, 0.6), ("noisyBlobs", 6, 0.7), ("blobsOverlap", 5, 0.5), ("wine", 5, 0.6)]:
        X = alld[name]["X"]
        eps = _pick_eps(X, "manhattan", _knn_quantile(X, "manhattan", min_samples, q))
        dbscan.append(_dbscan_case(name, X, eps, min_samples, metric="manhattan"))
    for name, min_samples, q in [("cosine3d", 5, 0.6), ("wine", 5, 0.5), ("iris", 8, 0.7)]:
        X = alld[name]["X"]
        eps = _pick_eps(X, "cosine", _knn_quantile(X, "cosine", min_samples, q))
        dbscan.append(_dbscan_case(name, X, eps, min_samples, metric="cosine"))
    # Sample weights (integers 0..3 and real values).
    for name, min_samples, q, seed, integer in [
        ("moons", 6, 0.5, 10, True),
        ("noisyBlobs", 8, 0.6, 11, False),
        ("iris", 5, 0.5, 12, True),
    ]:
        X = alld[name]["X"]
        rng = np.random.RandomState(seed)
        w = rng.randint(0, 4, size=len(X)).astype(float) if integer else np.round(rng.uniform(0, 2.5, size=len(X)), 3)
        eps = _pick_eps(X, "euclidean", _knn_quantile(X, "euclidean", min_samples, q))
        dbscan.append(_dbscan_case(name, X, eps, min_samples, sample_weight=w))

    optics = []
    for name in ["iris", "wine", "blobsOverlap", "aniso", "variedVariance", "oneFeature", "duplicates",
                 "singleCluster", "kEqualsN", "moons", "circles", "noisyBlobs"]:
        X = alld[name]["X"]
        n = len(X)
        ms = 5 if n > 12 else 3
        t1 = _knn_quantile(X, "euclidean", ms, 0.5)
        t2 = _knn_quantile(X, "euclidean", ms, 0.9)
        optics.append(_optics_case(name, X, ms, dbscan_eps=(t1 * 1.01, t2 * 1.01)))
    # Other settings: minSamples, xi, minClusterSize, no predecessor correction, finite maxEps, metrics.
    X = alld["moons"]["X"]
    optics.append(_optics_case("moons", X, 10, xi=0.1, min_cluster_size=0.1, dbscan_eps=(0.1, 0.2)))
    optics.append(_optics_case("moons", X, 4, xi=0.02, predecessor_correction=False, dbscan_eps=(0.08,)))
    optics.append(_optics_case("moons", X, 8, max_eps=0.15, dbscan_eps=(0.1, 0.15)))
    X = alld["noisyBlobs"]["X"]
    optics.append(_optics_case("noisyBlobs", X, 8, max_eps=0.6, xi=0.08, min_cluster_size=20, dbscan_eps=(0.3, 0.6)))
    optics.append(_optics_case("noisyBlobs", X, 6, metric="manhattan", dbscan_eps=(0.4,)))
    X = alld["aniso"]["X"]
    optics.append(_optics_case("aniso", X, 7, xi=0.0, dbscan_eps=(0.3,)))
    optics.append(_optics_case("aniso", X, 3, xi=0.3, predecessor_correction=False))
    X = alld["cosine3d"]["X"]
    optics.append(_optics_case("cosine3d", X, 6, metric="cosine", dbscan_eps=(0.02,)))
    X = alld["iris"]["X"]
    optics.append(_optics_case("iris", X, 10, metric="manhattan", max_eps=1.2, dbscan_eps=(0.7,)))
    optics.append(_optics_case("iris", X, 2, xi=0.1, dbscan_eps=(0.2,)))

    return dict(
        extraDatasets={
            name: dict(
                X=d["X"].tolist(),
                labelsTrue=[int(v) for v in d["labelsTrue"]],
                k=int(d["k"]),
                description=d["description"],
            )
            for name, d in extra.items()
        },
        dbscan=dbscan,
        optics=optics,
    )
