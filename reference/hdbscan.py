"""Reference outputs for HDBSCAN (scikit-learn's `sklearn.cluster.HDBSCAN`).

`build(datasets)` returns
  - `extraDatasets`: density data generated here with fixed random states (moons, circles, blobs of
    different densities with uniform noise, a 3000-row set for the Boruvka path, 3-D groups for cosine),
    written in full because JS cannot reproduce numpy's random stream;
  - `cases`: one per (dataset, parameters): {dataset, params, reference, tieInvariant, labels, probabilities,
    nClusters, stableTies: {labels, probabilities, outlierScores}, dbscan?: {cut, minClusterSize, labels,
    stableTiesLabels}, singleLinkageTree?, condensedTree?}.
    `labels` / `probabilities` / `dbscan.labels`: `HDBSCAN(...).fit(X)` itself (`reference: "sklearn"`), or, where
    scikit-learn 1.9.1 raises in its epsilon search, a Python port of its selection code on its own tree
    (`reference: "port"`, see `_port_tree_to_labels`; the port is checked equal to scikit-learn on all other
    cases). `stableTies` (and `stableTiesLabels`, the trees, the outlier scores) come from scikit-learn's own
    pipeline (its k-d tree core distances, `mst_from_data_matrix` / `mst_from_mutual_reachability`,
    `make_single_linkage`, `tree_to_labels`, `labelling_at_cut`) with the MST edges sorted by a *stable* sort,
    which Clusterlab's Prim path reproduces.

`params` use Clusterlab's option names (minClusterSize, minSamples, clusterSelectionEpsilon, maxClusterSize,
metric, alpha, clusterSelectionMethod, allowSingleCluster).

Outlier scores: scikit-learn 1.9 does not expose GLOSH scores. `_glosh` below re-implements the hdbscan
library's `outlier_scores` (McInnes et al.) on scikit-learn's condensed tree (from its private
`_condense_tree`, which is the library's `condense_tree`): lambdaMax(C) = largest lambda in C or below it; score = (lambdaMax - lambda) / lambdaMax,
0 when lambdaMax is 0 or lambda is infinite. Where the library would produce inf / inf = NaN, this writes
1.0 (the limit), as Clusterlab does.

`tieInvariant`: the mutual reachability MST always has equal weights (every edge leaving a point at its core
distance weighs exactly that), and scikit-learn sorts them with `np.argsort`, whose order among equal values
is unspecified (SIMD sorts on AVX-512), so the shape of the single linkage tree, and sometimes the labels,
depend on it. A case is tie-invariant when labels (up to renaming) and probabilities are the same for 8
orders of the equal weights (stable, reversed, 6 shuffles) and for scikit-learn's own order.

Infinity is written as the string "Infinity" (JSON has no Infinity).
"""
import warnings

import numpy as np
from sklearn.cluster import HDBSCAN
from sklearn.cluster._hdbscan._linkage import make_single_linkage, mst_from_data_matrix, mst_from_mutual_reachability
from sklearn.cluster._hdbscan._reachability import mutual_reachability_graph
from sklearn.cluster._hdbscan._tree import _condense_tree, labelling_at_cut, tree_to_labels
from sklearn.metrics import pairwise_distances
from sklearn.metrics._dist_metrics import DistanceMetric
from sklearn.neighbors import NearestNeighbors
from sklearn.datasets import make_blobs, make_circles, make_moons


def _extra():
    out = {}
    X, y = make_moons(n_samples=250, noise=0.08, random_state=11)
    out["moons"] = dict(X=X, labelsTrue=y, k=2, description="two half-moons, noise 0.08 (random_state=11)")
    X, y = make_circles(n_samples=260, factor=0.4, noise=0.05, random_state=12)
    out["circles"] = dict(X=X, labelsTrue=y, k=2, description="concentric circles, factor 0.4, noise 0.05 (random_state=12)")
    Xb, yb = make_blobs(
        n_samples=[150, 100, 60], centers=[[-5, -4], [1, 4], [6, -3]], cluster_std=[1.2, 0.5, 0.25], random_state=13
    )
    rng = np.random.RandomState(14)
    Xn = rng.uniform(-9, 9, size=(60, 2))
    X = np.vstack([Xb, Xn])
    y = np.concatenate([yb, -np.ones(60, dtype=int)])
    perm = np.random.RandomState(15).permutation(len(X))
    out["densityBlobs"] = dict(
        X=X[perm], labelsTrue=y[perm], k=3,
        description="3 blobs of different densities (std 1.2, 0.5, 0.25) + 60 uniform noise rows, shuffled (random_state 13-15)",
    )
    Xb, yb = make_blobs(
        n_samples=[900, 700, 500, 400], centers=[[-6, -5], [0, 5], [6, -4], [8, 6]], cluster_std=[1.5, 0.8, 0.5, 1.0],
        random_state=16,
    )
    rng = np.random.RandomState(17)
    Xn = rng.uniform(-12, 14, size=(500, 2))
    X = np.vstack([Xb, Xn])
    y = np.concatenate([yb, -np.ones(500, dtype=int)])
    perm = np.random.RandomState(18).permutation(len(X))
    out["large"] = dict(
        X=X[perm], labelsTrue=y[perm], k=4, description="3000 rows: 4 blobs + 500 uniform noise rows (random_state 16-18)"
    )
    rng = np.random.RandomState(19)
    X = rng.normal(scale=0.6, size=(180, 3)) + np.repeat([[4, 0, 0], [0, 4, 0], [0, 0, 4]], 60, axis=0)
    out["cosineGroups"] = dict(
        X=X, labelsTrue=np.repeat([0, 1, 2], 60), k=3, description="3 groups along the axes in 3-D, for cosine (random_state=19)"
    )
    return out


_SK_NAMES = dict(
    minClusterSize="min_cluster_size",
    minSamples="min_samples",
    clusterSelectionEpsilon="cluster_selection_epsilon",
    maxClusterSize="max_cluster_size",
    metric="metric",
    alpha="alpha",
    clusterSelectionMethod="cluster_selection_method",
    allowSingleCluster="allow_single_cluster",
)


def _fit(X, params):
    kw = {_SK_NAMES[k]: v for k, v in params.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return HDBSCAN(copy=True, **kw).fit(X)


def _glosh(condensed, n):
    parent = condensed["parent"]
    child = condensed["child"]
    lam = condensed["value"]
    root = parent.min()
    deaths = np.zeros(parent.max() + 1)
    for p, l in zip(parent, lam):
        deaths[p] = max(deaths[p], l)
    for r in range(len(parent) - 1, -1, -1):
        c = child[r]
        if c >= root and deaths[c] > deaths[parent[r]]:
            deaths[parent[r]] = deaths[c]
    scores = np.zeros(n)
    for r in range(len(parent)):
        p = child[r]
        if p >= root:
            continue
        lmax = deaths[parent[r]]
        if lmax == 0.0 or not np.isfinite(lam[r]):
            scores[p] = 0.0
        elif not np.isfinite(lmax):
            scores[p] = 1.0
        else:
            scores[p] = (lmax - lam[r]) / lmax
    return scores


def _fin(a):
    return ["Infinity" if v == np.inf else float(v) for v in a]


def _mst(X, params):
    """scikit-learn's own MST for these parameters (the edges in the order its Prim's algorithm finds them)."""
    metric = params.get("metric", "euclidean")
    ms = params.get("minSamples", params.get("minClusterSize", 5))
    alpha = params.get("alpha", 1.0)
    if metric == "cosine":
        D = pairwise_distances(X, metric="cosine") / alpha
        return mst_from_mutual_reachability(mutual_reachability_graph(D, min_samples=ms))
    nbrs = NearestNeighbors(n_neighbors=ms, algorithm="kd_tree", leaf_size=40, metric=metric).fit(X)
    core = np.ascontiguousarray(nbrs.kneighbors(X, ms)[0][:, -1])
    return mst_from_data_matrix(X, core, DistanceMetric.get_metric(metric), alpha)


def _labels_from_slt(slt, n, params):
    try:
        return tree_to_labels(
            slt,
            params.get("minClusterSize", 5),
            params.get("clusterSelectionMethod", "eom"),
            params.get("allowSingleCluster", False),
            params.get("clusterSelectionEpsilon", 0.0),
            params.get("maxClusterSize", None),
        )
    except TypeError:
        return _port_tree_to_labels(slt, n, params)


def _same_up_to_renaming(a, b):
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len({x for x, _ in pairs}) == len({y for _, y in pairs}) and all(
        (x == -1) == (y == -1) for x, y in pairs
    )


def _tie_orders(w, count, seed):
    """Orders of the MST edges by weight that differ only among equal weights: stable, reversed, shuffled."""
    idx = np.arange(len(w))
    yield np.lexsort((idx, w))
    yield np.lexsort((-idx, w))
    rng = np.random.RandomState(seed)
    for _ in range(count):
        yield np.lexsort((rng.permutation(len(w)), w))


def _case(name, X, params, extras=False, dbscan_cut=None):
    n = len(X)
    try:
        model = _fit(X, params)
        source = "sklearn"
    except TypeError:
        # scikit-learn 1.9.1's epsilon search bug (see `_port_tree_to_labels`): same tree, ported selection
        model = _fit(X, dict(params, clusterSelectionEpsilon=0.0))
        source = "port"
    slt = model._single_linkage_tree_
    port_labels, port_probs = _port_tree_to_labels(slt, n, params)
    if source == "sklearn":
        assert np.array_equal(port_labels, model.labels_) and np.array_equal(port_probs, model.probabilities_), (name, params)
        labels, probs = model.labels_, model.probabilities_
    else:
        labels, probs = port_labels, port_probs
    # The same pipeline with a stable sort of scikit-learn's MST edges (ties keep Prim's order).
    mst = _mst(X, params)
    if params.get("metric", "euclidean") != "cosine":
        assert np.array_equal(make_single_linkage(mst[np.argsort(mst["distance"])]), slt), (name, params)
    w = mst["distance"]
    invariant = True
    stable = None
    for order in _tie_orders(w, 6, 7):
        t = make_single_linkage(mst[order])
        l, p = _labels_from_slt(t, n, params)
        if stable is None:
            stable = (t, l, p)
        elif not (_same_up_to_renaming(l, stable[1]) and np.array_equal(p, stable[2])):
            invariant = False
    if invariant and not (_same_up_to_renaming(labels, stable[1]) and np.array_equal(probs, stable[2])):
        invariant = False  # numpy's argsort tie order gave yet another result
    mcs = params.get("minClusterSize", 5)
    stable_slt, stable_labels, stable_probs = stable
    condensed = _condense_tree(stable_slt, mcs)
    case = dict(
        dataset=name,
        params=params,
        reference=source,
        tieInvariant=invariant,
        labels=[int(v) for v in labels],
        probabilities=[float(v) for v in probs],
        nClusters=int(len(set(labels.tolist()) - {-1})),
        stableTies=dict(
            labels=[int(v) for v in stable_labels],
            probabilities=[float(v) for v in stable_probs],
            outlierScores=[float(v) for v in _glosh(condensed, n)],
        ),
    )
    if extras:
        case["singleLinkageTree"] = [
            [int(r["left_node"]), int(r["right_node"]), float(r["value"]), int(r["cluster_size"])] for r in stable_slt
        ]
        case["condensedTree"] = dict(
            parent=[int(v) for v in condensed["parent"]],
            child=[int(v) for v in condensed["child"]],
            lambdaVal=_fin(condensed["value"]),
            childSize=[int(v) for v in condensed["cluster_size"]],
        )
    if dbscan_cut is not None:
        cut, cut_mcs = dbscan_cut
        case["dbscan"] = dict(
            cut=cut,
            minClusterSize=cut_mcs,
            labels=[int(v) for v in model.dbscan_clustering(cut, cut_mcs)],
            stableTiesLabels=[int(v) for v in labelling_at_cut(stable_slt, cut, cut_mcs)],
        )
    print(f"  hdbscan: {name} {params} ({source}): {case['nClusters']} clusters, tie-invariant {invariant}")
    return case


def _cut_between(values, q):
    """A cut distance halfway between two consecutive distinct merge heights near quantile q."""
    u = np.unique(values)
    i = int(np.clip(np.searchsorted(u, np.quantile(values, q)), 1, len(u) - 1))
    return float((u[i - 1] + u[i]) / 2)


def _port_tree_to_labels(slt, n, params):
    """A line-by-line Python port of scikit-learn 1.9.1's `tree_to_labels` (`_tree.pyx`) on its own condensed
    tree, with one fix: `traverse_upwards` takes the scalar `[0]` of its one-element lookups (as the hdbscan
    library does); scikit-learn passes the array on and raises TypeError under NumPy 2 as soon as the
    epsilon search looks above a selected cluster whose parent is not the root. Used only for those cases;
    `build` checks that the port equals scikit-learn on every case scikit-learn can run.
    """
    mcs = params.get("minClusterSize", 5)
    method = params.get("clusterSelectionMethod", "eom")
    allow_single = params.get("allowSingleCluster", False)
    epsilon = params.get("clusterSelectionEpsilon", 0.0)
    max_cluster_size = params.get("maxClusterSize", None)
    tree = _condense_tree(slt, mcs)
    parents, children, values, sizes = tree["parent"], tree["child"], tree["value"], tree["cluster_size"]
    # _compute_stability
    smallest = parents.min()
    births = np.full(max(children.max(), smallest) + 1, np.nan)
    for c, v in zip(children, values):
        births[c] = v
    births[smallest] = 0.0
    stab_arr = np.zeros(parents.max() - smallest + 1)
    for p, v, z in zip(parents, values, sizes):
        stab_arr[p - smallest] += (v - births[p]) * z
    stability = {i + smallest: stab_arr[i] for i in range(len(stab_arr))}
    # _get_clusters
    keys = sorted(stability.keys(), reverse=True)
    node_list = keys if allow_single else keys[:-1]
    ct = tree[tree["cluster_size"] > 1]
    is_cluster = {c: True for c in node_list}
    if max_cluster_size is None:
        max_cluster_size = n + 1
    cluster_sizes = {c: z for c, z in zip(ct["child"], ct["cluster_size"])}
    if allow_single:
        cluster_sizes[node_list[-1]] = np.sum(ct[ct["parent"] == node_list[-1]]["cluster_size"])

    def bfs(root):
        out, queue = [], np.array([root])
        while len(queue) > 0:
            out.extend(queue.tolist())
            queue = ct["child"][np.isin(ct["parent"], queue)]
        return out

    def traverse_upwards(leaf):
        root = ct["parent"].min()
        parent = ct[ct["child"] == leaf]["parent"][0]
        if parent == root:
            return parent if allow_single else leaf
        parent_eps = 1 / ct[ct["child"] == parent]["value"][0]
        return parent if parent_eps > epsilon else traverse_upwards(parent)

    def epsilon_search(leaves):
        selected, processed = [], []
        for leaf in leaves:
            eps = 1 / ct["value"][ct["child"] == leaf][0]
            if eps < epsilon:
                if leaf not in processed:
                    x = traverse_upwards(leaf)
                    selected.append(x)
                    processed.extend(sub for sub in bfs(x) if sub != x)
            else:
                selected.append(leaf)
        return set(selected)

    def leaves_of(node):
        kids = ct[ct["parent"] == node]["child"]
        return [node] if len(kids) == 0 else sum((leaves_of(k) for k in kids), [])

    if method == "eom":
        for node in node_list:
            sub = np.sum([stability[c] for c in ct["child"][ct["parent"] == node]])
            if sub > stability[node] or cluster_sizes[node] > max_cluster_size:
                is_cluster[node] = False
                stability[node] = sub
            else:
                for sub_node in bfs(node):
                    if sub_node != node:
                        is_cluster[sub_node] = False
        if epsilon != 0.0 and len(ct) > 0:
            eom = [c for c in is_cluster if is_cluster[c]]
            if len(eom) == 1 and eom[0] == ct["parent"].min():
                chosen = eom if allow_single else []
            else:
                chosen = epsilon_search(set(eom))
            for c in is_cluster:
                is_cluster[c] = c in chosen
    else:
        leaves = set(leaves_of(ct["parent"].min())) if len(ct) > 0 else set()
        chosen = epsilon_search(leaves) if epsilon != 0.0 else leaves
        for c in is_cluster:
            is_cluster[c] = c in chosen
    clusters = {c for c in is_cluster if is_cluster[c]}
    cluster_map = {c: i for i, c in enumerate(sorted(clusters))}
    reverse = {i: c for c, i in cluster_map.items()}
    # _do_labelling (owner of each node = nearest selected ancestor-or-self, else the root)
    root = parents.min()
    owner = {root: root}
    for p, c in zip(parents, children):
        if c >= root:
            owner[c] = c if c in clusters else owner[p]
    labels = np.full(root, -1)
    for p, c, v in zip(parents, children, values):
        if c >= root:
            continue
        o = owner[p]
        if o != root:
            labels[c] = cluster_map[o]
        elif len(clusters) == 1 and allow_single:
            threshold = 1 / epsilon if epsilon != 0.0 else values[parents == root].max()
            if v >= threshold:
                labels[c] = cluster_map[root]
    # get_probabilities (max_lambdas over each parent's last run of rows, as scikit-learn)
    deaths = np.zeros(parents.max() + 1)
    cur, mx = parents[0], values[0]
    for p, v in zip(parents[1:], values[1:]):
        if p == cur:
            mx = max(mx, v)
        else:
            deaths[cur] = mx
            cur, mx = p, v
    deaths[cur] = mx
    probs = np.zeros(root)
    for c, v in zip(children, values):
        if c >= root or labels[c] == -1:
            continue
        ml = deaths[reverse[labels[c]]]
        probs[c] = 1.0 if (ml == 0.0 or np.isinf(v)) else min(v, ml) / ml
    return labels, probs


def _pick_epsilon(X, heights, params):
    """An epsilon (midpoint between two merge heights) that changes the result of `params` (by the port)."""
    base, _ = _port_tree_to_labels(_fit(X, params)._single_linkage_tree_, len(X), params)
    slt = _fit(X, dict(params, clusterSelectionEpsilon=0.0))._single_linkage_tree_
    for q in (0.9, 0.8, 0.95, 0.7, 0.97, 0.6, 0.99, 0.5):
        eps = _cut_between(heights, q)
        labels, _ = _port_tree_to_labels(slt, len(X), dict(params, clusterSelectionEpsilon=eps))
        if not np.array_equal(labels, base):
            return eps
    return _cut_between(heights, 0.9)


def build(datasets):
    extra = _extra()
    all_sets = dict(datasets)
    all_sets.update(extra)
    cases = []
    euclidean_sets = [
        "iris", "wine", "blobsOverlap", "aniso", "variedVariance", "oneFeature", "singleCluster", "kEqualsN",
        "duplicates", "moons", "circles", "densityBlobs",
    ]
    for name in euclidean_sets:
        X = all_sets[name]["X"]
        n = len(X)
        base = _fit(X, dict(minClusterSize=5))
        heights = base._single_linkage_tree_["value"]
        eps = _pick_epsilon(X, heights, dict(minClusterSize=5))
        eps_leaf = _pick_epsilon(X, heights, dict(minClusterSize=5, clusterSelectionMethod="leaf"))
        eps_single = _pick_epsilon(X, heights, dict(minClusterSize=5, allowSingleCluster=True))
        cases.append(_case(name, X, dict(minClusterSize=5), extras=True, dbscan_cut=(_cut_between(heights, 0.7), 5)))
        cases.append(_case(name, X, dict(minClusterSize=5, clusterSelectionMethod="leaf")))
        if n >= 20:
            cases.append(_case(name, X, dict(minClusterSize=10, minSamples=3)))
            cases.append(_case(name, X, dict(minClusterSize=8, minSamples=12, clusterSelectionMethod="leaf")))
            cases.append(_case(name, X, dict(minClusterSize=15)))
        cases.append(_case(name, X, dict(minClusterSize=5, minSamples=1)))
        cases.append(_case(name, X, dict(minClusterSize=5, clusterSelectionEpsilon=eps)))
        cases.append(_case(name, X, dict(minClusterSize=5, clusterSelectionEpsilon=eps_leaf, clusterSelectionMethod="leaf")))
        cases.append(_case(name, X, dict(minClusterSize=5, allowSingleCluster=True)))
        cases.append(_case(name, X, dict(minClusterSize=5, allowSingleCluster=True, clusterSelectionEpsilon=eps_single)))
        cases.append(_case(name, X, dict(minClusterSize=5, allowSingleCluster=True, clusterSelectionMethod="leaf")))
        cases.append(_case(name, X, dict(minClusterSize=5, alpha=1.3)))
        if n >= 40:
            cases.append(_case(name, X, dict(minClusterSize=5, maxClusterSize=max(5, n // 4))))
    for name in ["iris", "moons", "densityBlobs", "blobsOverlap"]:
        X = all_sets[name]["X"]
        cases.append(_case(name, X, dict(minClusterSize=5, metric="manhattan")))
        cases.append(_case(name, X, dict(minClusterSize=8, minSamples=4, metric="manhattan", clusterSelectionMethod="leaf")))
    for name in ["cosineGroups", "wine", "iris"]:
        X = all_sets[name]["X"]
        cases.append(_case(name, X, dict(minClusterSize=5, metric="cosine")))
        cases.append(_case(name, X, dict(minClusterSize=10, minSamples=5, metric="cosine", clusterSelectionMethod="leaf")))
        cases.append(_case(name, X, dict(minClusterSize=5, metric="cosine", alpha=0.8)))
    X = all_sets["large"]["X"]
    cases.append(_case("large", X, dict(minClusterSize=25)))
    cases.append(_case("large", X, dict(minClusterSize=40, minSamples=10, clusterSelectionMethod="leaf")))
    cases.append(_case("large", X, dict(minClusterSize=25, metric="manhattan")))
    return dict(
        extraDatasets={
            name: dict(X=d["X"].tolist(), labelsTrue=[int(v) for v in d["labelsTrue"]], k=int(d["k"]), description=d["description"])
            for name, d in extra.items()
        },
        cases=cases,
    )
