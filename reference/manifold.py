"""Reference values for manifold/ (t-SNE, UMAP, trustworthiness): packages/core/test/manifold/*.test.ts.

trustworthiness: sklearn.manifold.trustworthiness of fixed embeddings (a PCA projection and a random
2-D projection) for several n_neighbors. `tieFree` says whether the value is the same as with a stable
ordering of the input-space distances (ties by smaller index, exact distances): scikit-learn ranks
tied input distances in the order of an unstable argsort of dot-product distances, which no other
implementation can reproduce, so tests compare exactly only where ties do not matter.

t-SNE (scikit-learn's private functions, called directly):
- conditionalP: _utils._binary_search_perplexity on the squared distances (cast to float32 as
  _joint_probabilities does); jointP: _joint_probabilities (condensed). Distances are
  squareform(pdist(X, "sqeuclidean")), i.e. differences summed in feature order (the numbers
  Clusterlab computes); TSNE itself uses the dot-product formula, which differs by rounding only.
- gradient: _kl_divergence (exact) at explicit inits (1e-4 * N(0, 1), the scale of a real run, and
  N(0, 1)), for 2-D (dof 1) and 3-D (dof 2).
- pcaInit: the init="pca" embedding exactly as TSNE._fit builds it (float32).
- bhP: _joint_probabilities_nn on kneighbors_graph(mode="distance") squared; bhGradient:
  _kl_divergence_bh (float32 arithmetic) at angle 0 (exact negative forces) and 0.5.
- trajectory: _gradient_descent itself for the first 10 iterations of the exact method (early
  exaggeration) from an explicit init: the embedding after them.
- runs: TSNE(...).fit(X) from an explicit init (1e-4 * N(0, 1), written out), both methods:
  kl_divergence_, n_iter_ and the trustworthiness of the result (n_neighbors 5 and 10).
- runs3d: the same for n_components=3 (Barnes-Hut octree), five explicit inits each on wine and blobs.

UMAP: umap-learn is not installable here, so `fuzzy_simplicial_set` below is OUR numpy transcription
of umap-learn's smooth_knn_dist + compute_membership_strengths + fuzzy union (umap/umap_.py), in
float64 throughout (umap-learn stores distances, sigmas, rhos and weights in float32), over exact
nearest neighbours (cdist + stable argsort of the exact (squared) distances: ties by smaller index, self
included, self distance 0).
`transformGraphs` transcribes the transform path (local_connectivity - 1, bipartite memberships).
find_ab_params is umap-learn's own recipe run with scipy's curve_fit.

Besides the shared datasets one set is added (X written into the fixture): blobs =
make_blobs(n_samples=300, centers=4, n_features=8, cluster_std=1.5, random_state=2), well separated.
"""
import math
from collections import OrderedDict

import numpy as np
from scipy.optimize import curve_fit
from scipy.spatial.distance import cdist, pdist, squareform
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, _utils, trustworthiness
from sklearn.manifold._t_sne import _gradient_descent, _joint_probabilities, _joint_probabilities_nn, _kl_divergence, _kl_divergence_bh
from sklearn.neighbors import NearestNeighbors

MACHINE_EPSILON = np.finfo(np.double).eps


def _extra_datasets():
    X, y = make_blobs(n_samples=300, centers=4, n_features=8, cluster_std=1.5, random_state=2)
    return OrderedDict(blobs=dict(X=X, labelsTrue=y, k=4, description="4 separated blobs in 8-D"))


# ---------------------------------------------------------------- trustworthiness


def _stable_trustworthiness(X, E, k):
    """Trustworthiness with exact (squared) distances and ties ranked by smaller index (Clusterlab's rule)."""
    n = X.shape[0]
    D = cdist(X, X, "sqeuclidean")
    np.fill_diagonal(D, np.inf)
    order = np.argsort(D, axis=1, kind="stable")
    rank = np.empty((n, n), dtype=np.int64)
    rank[np.arange(n)[:, None], order] = np.arange(1, n + 1)[None, :]
    DE = cdist(E, E)
    np.fill_diagonal(DE, np.inf)
    nbrs = np.argsort(DE, axis=1, kind="stable")[:, :k]
    r = rank[np.arange(n)[:, None], nbrs] - k
    t = np.sum(r[r > 0])
    return 1.0 - t * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)))


def _trust_cases(ds):
    cases = []
    rng = np.random.RandomState(5)
    for name in ("iris", "wine", "blobsOverlap", "blobs", "aniso"):
        X = ds[name]["X"]
        pca = PCA(n_components=2, svd_solver="full").fit_transform(X)
        proj = X @ rng.normal(size=(X.shape[1], 2))
        for label, E in (("pca", pca), ("random", proj)):
            for k in (1, 5, 12):
                value = float(trustworthiness(X, E, n_neighbors=k))
                stable = float(_stable_trustworthiness(X, E, k))
                cases.append(
                    dict(dataset=name, embeddingName=label, embedding=E.tolist(), nNeighbors=k, value=value, tieFree=abs(value - stable) < 1e-12)
                )
    return cases


# ---------------------------------------------------------------- t-SNE


def _sqdist(X):
    return squareform(pdist(X, "sqeuclidean"))


def _pca_init(X, n_components):
    pca = PCA(n_components=n_components, random_state=0)
    E = pca.fit_transform(X).astype(np.float32, copy=False)
    return E / np.std(E[:, 0]) * 1e-4


def _tsne(ds):
    out = OrderedDict()
    iris = ds["iris"]["X"]
    out["conditionalP"] = [
        dict(dataset="iris", perplexity=30.0, P=_utils._binary_search_perplexity(_sqdist(iris).astype(np.float32), 30.0, 0).tolist())
    ]
    joint = []
    for name, perp in (("iris", 30.0), ("wine", 10.0), ("kEqualsN", 3.0)):
        P = _joint_probabilities(_sqdist(ds[name]["X"]), perp, 0)
        joint.append(dict(dataset=name, perplexity=perp, P=P.tolist()))
    out["jointP"] = joint

    grads = []
    rng = np.random.RandomState(0)
    for name, perp, nc, scale in (("iris", 30.0, 2, 1e-4), ("iris", 30.0, 2, 1.0), ("wine", 10.0, 3, 1.0), ("kEqualsN", 3.0, 2, 1.0)):
        X = ds[name]["X"]
        n = X.shape[0]
        P = _joint_probabilities(_sqdist(X), perp, 0)
        init = scale * rng.standard_normal((n, nc))
        dof = max(nc - 1, 1)
        kl, g = _kl_divergence(init.ravel().copy(), P, dof, n, nc)
        grads.append(dict(dataset=name, perplexity=perp, nComponents=nc, init=init.tolist(), kl=float(kl), grad=g.tolist()))
    out["gradient"] = grads

    out["pcaInit"] = [dict(dataset=name, nComponents=nc, init=_pca_init(ds[name]["X"], nc).astype(np.float64).tolist()) for name, nc in (("iris", 2), ("wine", 2), ("blobs", 3))]

    bhP = []
    bhG = []
    rng = np.random.RandomState(1)
    for name, perp, nc in (("iris", 10.0, 2), ("wine", 10.0, 2), ("blobs", 5.0, 3)):
        X = ds[name]["X"]
        n = X.shape[0]
        k = min(n - 1, int(3.0 * perp + 1))
        D = NearestNeighbors(n_neighbors=k).fit(X).kneighbors_graph(mode="distance")
        D.data **= 2
        P = _joint_probabilities_nn(D, perp, 0)
        P = P.tocsr()
        P.sort_indices()
        bhP.append(dict(dataset=name, perplexity=perp, indptr=P.indptr.tolist(), indices=P.indices.tolist(), data=P.data.tolist()))
        init = rng.standard_normal((n, nc))
        dof = max(nc - 1, 1)
        entry = dict(dataset=name, perplexity=perp, nComponents=nc, init=init.tolist())
        for label, angle in (("angle0", 0.0), ("angle05", 0.5)):
            err, g = _kl_divergence_bh(init.ravel().copy(), P, dof, n, nc, angle=angle, num_threads=1)
            entry[label] = dict(kl=float(err), grad=g.astype(np.float64).tolist())
        # the exact gradient with the same sparse P (dense form), for judging the approximation
        Pd = squareform(P.toarray(), checks=False)
        kl, g = _kl_divergence(init.ravel().copy(), np.maximum(Pd, 0.0), dof, n, nc)
        entry["exactWithSparseP"] = dict(grad=g.tolist())
        bhG.append(entry)
    out["bhP"] = bhP
    out["bhGradient"] = bhG

    # The first iterations of the exact method's gradient descent (early exaggeration, momentum 0.5)
    # called directly: t-SNE is chaotic (a 1e-15 change of the init changes the final KL by a few per
    # cent), so whole runs can only agree statistically while a short prefix agrees to rounding.
    traj = []
    rng = np.random.RandomState(4)
    for name, iters in (("iris", 10), ("wine", 10)):
        X = ds[name]["X"]
        n = X.shape[0]
        P = _joint_probabilities(_sqdist(X), 30.0, 0) * 12.0
        init = 1e-4 * rng.standard_normal((n, 2))
        lr = max(n / 12.0 / 4.0, 50.0)
        p, err, it = _gradient_descent(
            _kl_divergence, init.ravel().copy(), 0, iters, n_iter_check=50, momentum=0.5, learning_rate=lr,
            min_gain=0.01, min_grad_norm=1e-7, args=[P, 1, n, 2], kwargs=dict(skip_num_points=0),
        )
        traj.append(dict(dataset=name, iterations=iters, init=init.tolist(), embedding=p.reshape(n, 2).tolist()))
    out["trajectory"] = traj

    runs = []
    rng = np.random.RandomState(2)
    for name in ("iris", "wine", "blobs"):
        X = ds[name]["X"]
        n = X.shape[0]
        init = 1e-4 * rng.standard_normal((n, 2))
        for method in ("exact", "barnes_hut"):
            t = TSNE(n_components=2, perplexity=30.0, init=init.copy(), method=method, random_state=0, max_iter=1000)
            E = t.fit_transform(X)
            runs.append(
                dict(
                    dataset=name,
                    method=method,
                    perplexity=30.0,
                    init=init.tolist(),
                    kl=float(t.kl_divergence_),
                    nIter=int(t.n_iter_),
                    learningRate=float(t.learning_rate_),
                    trust5=float(trustworthiness(X, E, n_neighbors=5)),
                    trust10=float(trustworthiness(X, E, n_neighbors=10)),
                )
            )
    out["runs"] = runs

    # 3-D Barnes-Hut runs (octree, dof 2) from several explicit inits per dataset: in 3-D a single
    # run's KL moves by 10-50% with the init (other local minima), so the test compares the median
    # KL and the trustworthiness over the inits rather than run by run.
    runs3d = []
    rng = np.random.RandomState(3)
    for name in ("wine", "blobs"):
        X = ds[name]["X"]
        n = X.shape[0]
        for _ in range(5):
            init = 1e-4 * rng.standard_normal((n, 3))
            t = TSNE(n_components=3, perplexity=30.0, init=init.copy(), method="barnes_hut", random_state=0, max_iter=1000)
            E = t.fit_transform(X)
            runs3d.append(
                dict(
                    dataset=name,
                    perplexity=30.0,
                    init=init.tolist(),
                    kl=float(t.kl_divergence_),
                    nIter=int(t.n_iter_),
                    trust5=float(trustworthiness(X, E, n_neighbors=5)),
                    trust10=float(trustworthiness(X, E, n_neighbors=10)),
                )
            )
    out["runs3d"] = runs3d
    return out


# ---------------------------------------------------------------- UMAP (our numpy transcription)

SMOOTH_K_TOLERANCE = 1e-5
MIN_K_DIST_SCALE = 1e-3


def _pairwise(A, B, metric, same):
    """Distances with every sum taken in feature order (as Clusterlab's kernels do)."""
    if metric == "cosine":
        def unit(M):
            s = np.zeros(M.shape[0])
            for t in range(M.shape[1]):
                s = s + M[:, t] * M[:, t]
            norms = np.sqrt(s)
            U = np.zeros_like(M)
            nz = norms > 0
            U[nz] = M[nz] / norms[nz, None]
            return U

        UA = unit(A)
        UB = UA if same else unit(B)
        S = np.zeros((A.shape[0], B.shape[0]))
        for t in range(A.shape[1]):
            S = S + UA[:, t, None] * UB[None, :, t]
        D = np.clip(1.0 - S, 0.0, 2.0)
        if same:
            np.fill_diagonal(D, 0.0)
        return D
    return cdist(A, B, "cityblock" if metric == "manhattan" else "euclidean")


def _exact_knn(A, B, k, metric, same):
    """k nearest by exact distance, ties by smaller index (Euclidean ranked by the squared distance,
    which keeps distinct sums apart that round to the same square root)."""
    D = _pairwise(A, B, metric, same)
    key = cdist(A, B, "sqeuclidean") if metric == "euclidean" else D
    idx = np.argsort(key, axis=1, kind="stable")[:, :k]
    return idx, np.take_along_axis(D, idx, axis=1)


def smooth_knn_dist(distances, k, n_iter=64, local_connectivity=1.0, bandwidth=1.0):
    """umap-learn's smooth_knn_dist, transcribed in float64 with scalar loops."""
    target = math.log2(k) * bandwidth
    n = distances.shape[0]
    rho = np.zeros(n)
    result = np.zeros(n)
    mean_distances = float(np.mean(distances))
    for i in range(n):
        lo = 0.0
        hi = math.inf
        mid = 1.0
        ith = distances[i]
        non_zero = ith[ith > 0.0]
        if non_zero.shape[0] >= local_connectivity:
            index = int(math.floor(local_connectivity))
            interpolation = local_connectivity - index
            if index > 0:
                rho[i] = non_zero[index - 1]
                if interpolation > SMOOTH_K_TOLERANCE:
                    rho[i] += interpolation * (non_zero[index] - non_zero[index - 1])
            else:
                rho[i] = interpolation * non_zero[0]
        elif non_zero.shape[0] > 0:
            rho[i] = np.max(non_zero)
        for _ in range(n_iter):
            psum = 0.0
            for j in range(1, distances.shape[1]):
                d = float(distances[i, j]) - rho[i]
                psum += math.exp(-(d / mid)) if d > 0 else 1.0
            if abs(psum - target) < SMOOTH_K_TOLERANCE:
                break
            if psum > target:
                hi = mid
                mid = (lo + hi) / 2.0
            else:
                lo = mid
                mid = mid * 2 if hi == math.inf else (lo + hi) / 2.0
        result[i] = mid
        if rho[i] > 0.0:
            m = float(np.mean(ith))
            if result[i] < MIN_K_DIST_SCALE * m:
                result[i] = MIN_K_DIST_SCALE * m
        elif result[i] < MIN_K_DIST_SCALE * mean_distances:
            result[i] = MIN_K_DIST_SCALE * mean_distances
    return result, rho


def membership_strengths(knn_indices, knn_dists, sigmas, rhos, bipartite=False):
    n, k = knn_indices.shape
    vals = np.zeros((n, k))
    for i in range(n):
        for j in range(k):
            if not bipartite and knn_indices[i, j] == i:
                val = 0.0
            elif knn_dists[i, j] - rhos[i] <= 0.0 or sigmas[i] == 0.0:
                val = 1.0
            else:
                val = math.exp(-((knn_dists[i, j] - rhos[i]) / sigmas[i]))
            vals[i, j] = val
    return vals


def fuzzy_simplicial_set(X, n_neighbors, metric, local_connectivity=1.0, set_op_mix_ratio=1.0):
    n = X.shape[0]
    idx, dists = _exact_knn(X, X, n_neighbors, metric, True)
    sigmas, rhos = smooth_knn_dist(dists, float(n_neighbors), local_connectivity=float(local_connectivity))
    vals = membership_strengths(idx, dists, sigmas, rhos)
    W = np.zeros((n, n))
    W[np.repeat(np.arange(n), n_neighbors), idx.ravel()] = vals.ravel()
    T = W.T
    prod = W * T
    R = set_op_mix_ratio * (W + T - prod) + (1.0 - set_op_mix_ratio) * prod
    rows, cols = np.nonzero(R)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    indptr = np.cumsum(indptr)
    return dict(sigmas=sigmas.tolist(), rhos=rhos.tolist(), indptr=indptr.tolist(), indices=cols.tolist(), data=R[rows, cols].tolist())


def transform_graph(X, Q, n_neighbors, metric, local_connectivity=1.0):
    idx, dists = _exact_knn(Q, X, n_neighbors, metric, False)
    sigmas, rhos = smooth_knn_dist(dists, float(n_neighbors), local_connectivity=max(0.0, local_connectivity - 1.0))
    vals = membership_strengths(idx, dists, sigmas, rhos, bipartite=True)
    return dict(indices=idx.tolist(), weights=vals.tolist(), sigmas=sigmas.tolist(), rhos=rhos.tolist())


def find_ab_params(spread, min_dist):
    """umap-learn's find_ab_params: least-squares fit of 1 / (1 + a x^(2b)) to the offset exponential."""

    def curve(x, a, b):
        return 1.0 / (1.0 + a * x ** (2 * b))

    xv = np.linspace(0, spread * 3, 300)
    yv = np.zeros(xv.shape)
    yv[xv < min_dist] = 1.0
    yv[xv >= min_dist] = np.exp(-(xv[xv >= min_dist] - min_dist) / spread)
    params, _ = curve_fit(curve, xv, yv)
    return float(params[0]), float(params[1])


def _umap(ds):
    ab = []
    for spread, min_dist in ((1.0, 0.1), (1.0, 0.0), (1.0, 0.5), (2.0, 0.3), (0.5, 0.01), (1.0, 0.99)):
        a, b = find_ab_params(spread, min_dist)
        ab.append(dict(spread=spread, minDist=min_dist, a=a, b=b))
    graphs = []
    for name, k, metric, lc, mix in (
        ("iris", 15, "euclidean", 1.0, 1.0),
        ("wine", 15, "euclidean", 1.0, 1.0),
        ("wine", 10, "cosine", 1.0, 1.0),
        ("blobs", 10, "manhattan", 1.0, 1.0),
        ("blobs", 15, "euclidean", 1.5, 0.5),
        ("duplicates", 6, "euclidean", 1.0, 1.0),
        ("kEqualsN", 5, "euclidean", 2.0, 1.0),
    ):
        g = fuzzy_simplicial_set(ds[name]["X"], k, metric, lc, mix)
        graphs.append(dict(dataset=name, nNeighbors=k, metric=metric, localConnectivity=lc, setOpMixRatio=mix, **g))
    tgraphs = []
    rng = np.random.RandomState(3)
    for name, k, metric in (("iris", 15, "euclidean"), ("wine", 10, "cosine"), ("blobs", 12, "manhattan")):
        X = ds[name]["X"]
        pick = rng.choice(X.shape[0], 10, replace=False)
        Q = X[pick] + 0.05 * rng.normal(size=(10, X.shape[1])) * X.std(axis=0)
        Q[0] = X[pick[0]]  # an exact training point (weight 1 at distance 0)
        tgraphs.append(dict(dataset=name, nNeighbors=k, metric=metric, query=Q.tolist(), **transform_graph(X, Q, k, metric)))
    return dict(ab=ab, graphs=graphs, transformGraphs=tgraphs)


def build(datasets):
    extra = _extra_datasets()
    ds = OrderedDict(datasets)
    ds.update(extra)
    return dict(
        extraDatasets={
            name: dict(X=d["X"].tolist(), labelsTrue=[int(v) for v in d["labelsTrue"]], k=d["k"], description=d["description"])
            for name, d in extra.items()
        },
        trustworthiness=_trust_cases(ds),
        tsne=_tsne(ds),
        umap=_umap(ds),
    )
