"""Reference values for the hierarchy area (packages/core/src/hierarchy).

scipy.cluster.hierarchy: linkage for the seven methods (and cityblock/cosine for the four
methods that accept them), fcluster (maxclust, distance, inconsistent), cophenetic correlation,
inconsistent, leaves_list, cut_tree, dendrogram(no_plot=True) with truncation, and
optimal_leaf_ordering. scikit-learn: AgglomerativeClustering labels (n_clusters,
distance_threshold, other metrics, and structured ward / complete / average / single with a
k-nearest-neighbour connectivity, including graphs scikit-learn has to complete).

Besides the shared datasets, a few small random sets without ties are added (their X is written
into the fixture, since JS cannot reproduce numpy's random stream).
"""
import numpy as np
from scipy.cluster import hierarchy as sch
from scipy.spatial.distance import pdist
from sklearn.cluster import AgglomerativeClustering
from sklearn.neighbors import kneighbors_graph

METHODS = ["ward", "complete", "average", "single", "weighted", "centroid", "median"]
MONOTONE = {"ward", "complete", "average", "single", "weighted"}
OTHER_METRIC_METHODS = ["complete", "average", "single", "weighted"]
SKLEARN_LINKAGES = ["ward", "complete", "average", "single"]
N_NEIGHBORS = 10
KNN_LINKAGES = ["complete", "average", "single"]
KNN_NEIGHBORS = [5, 15]


def _extra_sets():
    rng = np.random.RandomState(42)
    out = {}
    for name, (n, d) in {"rand30x3": (30, 3), "rand50x2": (50, 2), "rand17x5": (17, 5), "rand120x4": (120, 4)}.items():
        X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d)
        out[name] = dict(X=X, k=4, description=f"{n} x {d} gaussian noise, no ties")
    return out


def _floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def _ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def _dendro(Z, **kw):
    R = sch.dendrogram(Z, no_plot=True, **kw)
    return dict(
        icoord=[_floats(r) for r in R["icoord"]],
        dcoord=[_floats(r) for r in R["dcoord"]],
        ivl=[str(v) for v in R["ivl"]],
        leaves=_ints(R["leaves"]),
        colorList=list(R["color_list"]),
        leavesColorList=list(R["leaves_color_list"]),
    )


def _case(X, k, method, metric="euclidean", full=True):
    n = len(X)
    Z = sch.linkage(X, method=method, metric=metric)
    Y = pdist(X, metric)
    heights = np.sort(Z[:, 2])
    kk = min(k, n)
    out = dict(
        Z=[_floats(r) for r in Z],
        maxclust=dict(t=int(kk), labels=_ints(sch.fcluster(Z, kk, criterion="maxclust"))),
        cophCorr=float(sch.cophenet(Z, Y)[0]),
    )
    if not full:
        return out
    # A distance threshold between two heights: the midpoint of the gap below the (k-1)th highest merge.
    if n > kk and kk > 1:
        t = float(0.5 * (heights[n - kk] + heights[n - kk - 1]))
    else:
        t = float(heights[-1] * 0.5)
    out["distance"] = dict(t=t, labels=_ints(sch.fcluster(Z, t, criterion="distance")))
    out["inconsistentCut"] = dict(t=1.0, depth=2, labels=_ints(sch.fcluster(Z, 1.0, criterion="inconsistent", depth=2)))
    out["inconsistent"] = [_floats(r) for r in sch.inconsistent(Z, 2)]
    out["inconsistent3"] = [_floats(r) for r in sch.inconsistent(Z, 3)]
    out["leaves"] = _ints(sch.leaves_list(Z))
    out["olo"] = _ints(sch.leaves_list(sch.optimal_leaf_ordering(Z, Y)))
    out["dendroLastp"] = dict(p=12, **_dendro(Z, truncate_mode="lastp", p=12))
    out["dendroLevel"] = dict(p=3, **_dendro(Z, truncate_mode="level", p=3))
    if n <= 50:
        out["dendroFull"] = _dendro(Z)
    if method in MONOTONE:
        out["cutTree"] = dict(nClusters=int(kk), labels=_ints(sch.cut_tree(Z, n_clusters=kk)))
        hcut = float(heights[max(n - kk - 1, 0)] * 0.999 + heights[min(n - kk, n - 2)] * 0.001) if n > 2 else 0.0
        out["cutTreeHeight"] = dict(height=hcut, labels=_ints(sch.cut_tree(Z, height=hcut)))
    return out


def _sklearn(X, k):
    n = len(X)
    out = {}
    for link in SKLEARN_LINKAGES:
        m = AgglomerativeClustering(n_clusters=k, linkage=link).fit(X)
        out[link] = _ints(m.labels_)
    for link in ["complete", "average", "single"]:
        for metric in ["manhattan", "cosine"]:
            if metric == "cosine" and np.any(np.linalg.norm(X, axis=1) == 0):
                continue
            m = AgglomerativeClustering(n_clusters=k, linkage=link, metric=metric).fit(X)
            out[f"{link}-{metric}"] = _ints(m.labels_)
    Z = sch.ward(X)
    if n > 2:
        thr = float(np.median(Z[:, 2]) * 1.5 + 1e-9)
        m = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, linkage="ward").fit(X)
        out["wardThreshold"] = dict(threshold=thr, nClusters=int(m.n_clusters_), labels=_ints(m.labels_))
    if n > N_NEIGHBORS + 1:
        A = kneighbors_graph(X, N_NEIGHBORS, include_self=False)
        m = AgglomerativeClustering(
            n_clusters=k, linkage="ward", connectivity=A, compute_full_tree=True, compute_distances=True
        ).fit(X)
        out["wardKnn"] = dict(
            nNeighbors=N_NEIGHBORS,
            labels=_ints(m.labels_),
            children=_ints(m.children_),
            distances=_floats(m.distances_),
            nConnectedComponents=int(m.n_connected_components_),
        )
        m = AgglomerativeClustering(n_clusters=k, linkage="ward", connectivity=A, compute_full_tree=False).fit(X)
        out["wardKnnEarly"] = dict(labels=_ints(m.labels_), children=_ints(m.children_))
    return out


def _knn_linkage(X, k, metrics=("euclidean",)):
    """complete / average / single with kneighbors_graph connectivity: full trees and labels at several k."""
    import warnings

    n = len(X)
    out = {}
    for nn in KNN_NEIGHBORS:
        if n <= nn + 1:
            continue
        A = kneighbors_graph(X, nn, include_self=False)
        for metric in metrics:
            for link in KNN_LINKAGES:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m = AgglomerativeClustering(
                        n_clusters=k, linkage=link, metric=metric, connectivity=A,
                        compute_full_tree=True, compute_distances=True,
                    ).fit(X)
                    cuts = {}
                    for kk in sorted({2, k, min(2 * k + 1, n)}):
                        mk = AgglomerativeClustering(
                            n_clusters=kk, linkage=link, metric=metric, connectivity=A, compute_full_tree=True
                        ).fit(X)
                        cuts[str(kk)] = _ints(mk.labels_)
                    early = None
                    if k < n:  # with k = n scikit-learn's early stop has no merge and fails
                        early = AgglomerativeClustering(
                            n_clusters=k, linkage=link, metric=metric, connectivity=A, compute_full_tree=False
                        ).fit(X)
                key = f"{link}-{nn}" if metric == "euclidean" else f"{link}-{metric}-{nn}"
                out[key] = dict(
                    linkage=link,
                    metric=metric,
                    nNeighbors=nn,
                    children=_ints(m.children_),
                    distances=_floats(m.distances_),
                    nConnectedComponents=int(m.n_connected_components_),
                    labels=cuts,
                    early=None if early is None else dict(nClusters=int(k), labels=_ints(early.labels_)),
                )
    return out


def _connectivity_sets():
    """Sets whose 5- and 15-nearest-neighbour graphs are disconnected (scikit-learn completes them)."""
    rng = np.random.RandomState(7)
    far = np.vstack([rng.normal(size=(30, 3)) * 0.5 + c for c in ([0, 0, 0], [20, 0, 0], [0, 25, 5], [9, 9, 30])])
    line = np.vstack([np.c_[np.linspace(0, 3, 12), rng.normal(size=12) * 0.1] + [40 * j, 3 * j] for j in range(3)])
    return {
        "far4x30": dict(X=far, k=4, description="4 far-apart gaussian blobs of 30 points in 3-D"),
        "lines3x12": dict(X=line, k=3, description="3 short noisy lines of 12 points, 40 apart"),
    }


def build(datasets):
    extra = _extra_sets()
    sets = {name: dict(X=d["X"], k=int(d["k"])) for name, d in datasets.items()}
    sets.update({name: dict(X=d["X"], k=d["k"]) for name, d in extra.items()})
    cases = {}
    for name, d in sets.items():
        X, k = d["X"], d["k"]
        entry = dict(methods={}, metrics={}, sklearn=_sklearn(X, k))
        for method in METHODS:
            entry["methods"][method] = _case(X, k, method)
        entry["sklearn"]["knnLinkage"] = _knn_linkage(
            X, k, ("euclidean", "manhattan", "cosine") if name in ("iris", "wine", "rand120x4") else ("euclidean",)
        )
        if name in ("iris", "wine", "rand30x3", "rand120x4", "blobsOverlap"):
            for metric in ["cityblock", "cosine"]:
                for method in OTHER_METRIC_METHODS:
                    entry["metrics"][f"{method}-{metric}"] = _case(X, k, method, metric, full=False)
        cases[name] = entry
    conn = _connectivity_sets()
    return dict(
        connectivitySets={
            name: dict(
                X=d["X"].tolist(), k=d["k"], description=d["description"], knnLinkage=_knn_linkage(d["X"], d["k"], ("euclidean", "manhattan"))
            )
            for name, d in conn.items()
        },
        extraDatasets={name: dict(X=d["X"].tolist(), k=d["k"], description=d["description"]) for name, d in extra.items()},
        cases=cases,
    )
