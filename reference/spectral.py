"""Reference values for spectral clustering and BIRCH (packages/core/test/cluster/{spectralClustering,birch}.test.ts).

Spectral clustering: scikit-learn SpectralClustering labels for the three label assignments
(kmeans, discretize, cluster_qr) on chosen (dataset, affinity) pairs, with a `stable` flag per
assignment (kmeans: same partition for random_state 0..4; discretize: same partition from every possible
initial row, its only random draw. JS cannot reproduce numpy's random stream, so only partitions
that do not depend on the seed are comparable), discretize's labels from a few fixed initial rows
(`discretizeByRow`, exact), plus the first eigenvalues of the
normalised Laplacian (from a dense eigh) so the tests can tell well separated spectra.
Embeddings: sklearn.manifold.spectral_embedding on the same affinities (drop_first / norm_laplacian
variants) for cases whose leading eigenvalues are separated.

BIRCH: subcluster_centers_, subcluster_labels_ and labels_ of sklearn Birch for every dataset and
four (threshold, branching_factor) settings (thresholds relative to the data's RMS spread, written
out in absolute terms), with n_clusters=k (AgglomerativeClustering on the centres) and
n_clusters=None, and partial_fit on the two halves.

Besides the shared datasets, three sets with fixed random_state are added (their X is written into
the fixture): moons (make_moons(200, noise=0.05, random_state=0)), circles (make_circles(200,
factor=0.5, noise=0.05, random_state=0)) and blobs (make_blobs(300, centers=4, cluster_std=0.6,
random_state=0)).
"""
import warnings

import numpy as np
from scipy.linalg import eigh
from scipy.sparse.csgraph import laplacian
from sklearn.cluster import Birch, SpectralClustering
from sklearn.cluster._spectral import discretize
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.manifold import spectral_embedding
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.neighbors import kneighbors_graph

SEEDS = range(5)
ASSIGN = {"kmeans": "kmeans", "discretize": "discretize", "clusterQr": "cluster_qr"}

# (dataset, affinity, parameter): gamma for rbf, n_neighbors for nearest neighbours.
SPECTRAL_CASES = [
    ("blobs", "rbf", 1.0),
    ("blobs", "nearestNeighbors", 10),
    ("moons", "nearestNeighbors", 10),
    ("circles", "nearestNeighbors", 10),
    ("iris", "rbf", 2.0),
    ("iris", "nearestNeighbors", 8),
    ("aniso", "rbf", 10.0),
    ("wine", "nearestNeighbors", 10),
    ("variedVariance", "nearestNeighbors", 10),
    ("oneFeature", "rbf", 0.1),
    ("duplicates", "rbf", 0.1),
    ("singleCluster", "rbf", 1.0),
    ("kEqualsN", "rbf", 1.0),
]

# (dataset, affinity, parameter, n_components, norm_laplacian, drop_first)
EMBEDDING_CASES = [
    ("iris", "rbf", 2.0, 3, True, False),
    ("iris", "rbf", 2.0, 4, True, True),
    ("iris", "rbf", 2.0, 3, False, False),
    ("aniso", "rbf", 10.0, 3, True, False),
    ("blobs", "rbf", 1.0, 4, True, False),
    ("wine", "nearestNeighbors", 10, 3, True, False),
    ("wine", "nearestNeighbors", 10, 3, False, False),
    ("circles", "nearestNeighbors", 10, 2, True, False),
    ("oneFeature", "rbf", 0.1, 3, True, False),
    ("singleCluster", "rbf", 1.0, 3, True, False),
]

BIRCH_SETTINGS = [(0.1, 50), (0.2, 3), (0.3, 10), (0.05, 5)]


def _extra_sets():
    out = {}
    X, y = make_moons(200, noise=0.05, random_state=0)
    out["moons"] = dict(X=X, labelsTrue=y, k=2, description="two moons, make_moons(200, noise=0.05, random_state=0)")
    X, y = make_circles(200, factor=0.5, noise=0.05, random_state=0)
    out["circles"] = dict(
        X=X, labelsTrue=y, k=2, description="two circles, make_circles(200, factor=0.5, noise=0.05, random_state=0)"
    )
    X, y = make_blobs(300, centers=4, cluster_std=0.6, random_state=0)
    out["blobs"] = dict(
        X=X, labelsTrue=y, k=4, description="4 separated blobs, make_blobs(300, centers=4, cluster_std=0.6, random_state=0)"
    )
    return out


def _floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def _ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def _affinity(X, affinity, param):
    if affinity == "rbf":
        return rbf_kernel(X, gamma=param)
    C = kneighbors_graph(X, n_neighbors=param, include_self=True)
    return 0.5 * (C + C.T)


class _FixedRow(np.random.RandomState):
    """A RandomState whose randint returns a fixed value: discretize's only random draw is its initial row."""

    def __init__(self, row):
        super().__init__(0)
        self.row = row

    def randint(self, *args, **kwargs):
        return self.row


def _laplacian_eigenvalues(A, normed=True):
    dense = A.toarray() if hasattr(A, "toarray") else np.asarray(A)
    return eigh(laplacian(dense, normed=normed), eigvals_only=True)


def _spectral_case(name, X, k, affinity, param):
    kw = dict(gamma=param) if affinity == "rbf" else dict(n_neighbors=param)
    sk_aff = "rbf" if affinity == "rbf" else "nearest_neighbors"
    labels, stable = {}, {}
    for key, assign in ASSIGN.items():
        runs = []
        for seed in SEEDS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = SpectralClustering(n_clusters=k, affinity=sk_aff, assign_labels=assign, random_state=seed, **kw).fit(X)
            runs.append(m.labels_)
        labels[key] = _ints(runs[0])
        stable[key] = bool(all(adjusted_rand_score(runs[0], r) == 1.0 for r in runs[1:]))
    w = _laplacian_eigenvalues(m.affinity_matrix_)
    # discretize from every possible initial row, on the same embedding SpectralClustering uses.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        maps = spectral_embedding(m.affinity_matrix_, n_components=k, drop_first=False, random_state=0)
    n = len(X)
    by_row = [discretize(maps, random_state=_FixedRow(r)) for r in range(n)]
    stable["discretize"] = bool(all(adjusted_rand_score(labels["discretize"], r) == 1.0 for r in by_row))
    rows = sorted({0, n // 3, (2 * n) // 3, n - 1})
    return dict(
        name=f"{name}/{affinity}/{param}",
        dataset=name,
        affinity=affinity,
        gamma=float(param) if affinity == "rbf" else None,
        nNeighbors=int(param) if affinity != "rbf" else None,
        k=int(k),
        labels=labels,
        stable=stable,
        discretizeByRow={str(r): _ints(by_row[r]) for r in rows},
        eigenvalues=_floats(w[: min(len(w), k + 2)]),
    )


def _embedding_case(name, X, affinity, param, n_components, norm, drop_first):
    A = _affinity(X, affinity, param)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        E = spectral_embedding(A, n_components=n_components, norm_laplacian=norm, drop_first=drop_first, random_state=0)
    w = _laplacian_eigenvalues(A, normed=norm)
    return dict(
        name=f"{name}/{affinity}/{param}/c{n_components}/{'norm' if norm else 'unnorm'}/{'drop' if drop_first else 'keep'}",
        dataset=name,
        affinity=affinity,
        gamma=float(param) if affinity == "rbf" else None,
        nNeighbors=int(param) if affinity != "rbf" else None,
        nComponents=int(n_components),
        normLaplacian=bool(norm),
        dropFirst=bool(drop_first),
        embedding=[_floats(r) for r in E],
        eigenvalues=_floats(w[: n_components + 2]),
    )


def _birch_fit(X, threshold, bf, n_clusters):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b = Birch(threshold=threshold, branching_factor=bf, n_clusters=n_clusters).fit(X)
    return b, [str(w.message) for w in caught]


def _birch_case(name, X, k, rel, bf):
    scale = float(np.sqrt(((X - X.mean(axis=0)) ** 2).sum(axis=1).mean()))
    threshold = float(rel * scale)
    b, warns = _birch_fit(X, threshold, bf, k)
    b_none, _ = _birch_fit(X, threshold, bf, None)
    half = len(X) // 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = Birch(threshold=threshold, branching_factor=bf, n_clusters=k)
        p.partial_fit(X[:half])
        first = dict(centers=[_floats(r) for r in p.subcluster_centers_], labels=_ints(p.labels_))
        p.partial_fit(X[half:])
    return dict(
        name=f"{name}/t{rel}/b{bf}",
        dataset=name,
        threshold=threshold,
        branchingFactor=int(bf),
        k=int(k),
        centers=[_floats(r) for r in b.subcluster_centers_],
        subclusterLabels=_ints(b.subcluster_labels_),
        labels=_ints(b.labels_),
        warnings=warns,
        labelsNone=_ints(b_none.labels_),
        transformFirstRows=[_floats(r) for r in b.transform(X[:3])],
        partial=dict(
            half=int(half),
            first=first,
            centers=[_floats(r) for r in p.subcluster_centers_],
            subclusterLabels=_ints(p.subcluster_labels_),
            labels=_ints(p.labels_),
        ),
    )


def build(datasets):
    extra = _extra_sets()
    sets = {name: dict(X=d["X"], k=int(d["k"])) for name, d in datasets.items()}
    sets.update({name: dict(X=d["X"], k=int(d["k"])) for name, d in extra.items()})
    spectral = [_spectral_case(n, sets[n]["X"], sets[n]["k"], a, p) for n, a, p in SPECTRAL_CASES]
    embeddings = [_embedding_case(n, sets[n]["X"], a, p, c, nl, df) for n, a, p, c, nl, df in EMBEDDING_CASES]
    birch = [_birch_case(n, d["X"], d["k"], rel, bf) for n, d in sets.items() for rel, bf in BIRCH_SETTINGS]
    # The default threshold (0.5) and branching factor (50) on the raw data as well.
    for n, d in sets.items():
        b, warns = _birch_fit(d["X"], 0.5, 50, d["k"])
        birch.append(
            dict(
                name=f"{n}/default",
                dataset=n,
                threshold=0.5,
                branchingFactor=50,
                k=int(d["k"]),
                centers=[_floats(r) for r in b.subcluster_centers_],
                subclusterLabels=_ints(b.subcluster_labels_),
                labels=_ints(b.labels_),
                warnings=warns,
            )
        )
    return dict(
        extraDatasets={
            name: dict(X=d["X"].tolist(), labelsTrue=_ints(d["labelsTrue"]), k=d["k"], description=d["description"])
            for name, d in extra.items()
        },
        spectral=spectral,
        embeddings=embeddings,
        birch=birch,
    )
