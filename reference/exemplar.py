"""Reference outputs for the exemplar / mode-seeking clusterers: MeanShift, AffinityPropagation (scikit-learn)
and KMedoids (our own Python reference: scikit-learn has no k-medoids and scikit-learn-extra is not installed).

`build(datasets)` returns
  - `estimateBandwidth`: cases {dataset, quantile, bandwidth} (sklearn.cluster.estimate_bandwidth, all samples);
  - `meanShift`: cases {name, dataset, bandwidth (null: estimated), binSeeding, minBinFreq, clusterAll, maxIter,
    seeds (null or rows), bandwidthUsed, centers, labels, nIter, warnings};
  - `affinityPropagation`: cases {name, dataset, damping, preference (null: median), maxIter, convergenceIter,
    randomStates: {state: centersIndices} (to show the result does not depend on the noise), centersIndices,
    (preference is a number or one number per sample)
    labels, nIter, converged, warnings};
  - `kMedoids`: cases {name, dataset, k, metric, method, init ("build" or indices), maxIter, medoids, labels,
    inertia, nIter, converged, classicPamInertia, classicPamMedoids};
  - `kMedoidsExhaustive`: {dataset, k, metric, optimalInertia, optimalMedoids, fasterPamInertia,
    classicPamInertia} for small data (n <= 25). PAM is a local search: on kEqualsN (k = 5 euclidean, k = 2
    and 3 manhattan) both FasterPAM and classic PAM stop at a swap-local optimum above the global one.

Notes on exactness:
  - MeanShift: an explicit bandwidth is passed as `np.float64` so that bin seeds stay float64 (with a Python
    float, scikit-learn's `get_bin_seeds` returns float32 seeds; Clusterlab always uses float64 seeds).
  - AffinityPropagation: scikit-learn adds noise of relative size ~1e-16 to S with `random_state`; the cases
    are chosen so that random_state 0..3 all give the same exemplars (recorded in `randomStates`).
  - KMedoids: distances are computed here the way Clusterlab computes them (differences summed in feature
    order, sqrt for euclidean; cosine from unit rows, clipped to [0, 2], zero diagonal) and every sum that
    decides a choice is a sequential sum in index order (`np.cumsum(...)[..., -1]`), so ties and near-ties
    resolve as in the TypeScript code. `method="pam"` is BUILD + FasterPAM eager swaps (Schubert &
    Rousseeuw 2021, Algorithm "FasterPAM"); `classicPam*` is BUILD + classic PAM SWAP (best swap per
    iteration, Kaufman & Rousseeuw), recorded for comparison only. `method="alternate"` follows
    scikit-learn-extra's "alternate" (Voronoi iteration).
"""
import itertools
import warnings

import numpy as np
from sklearn.cluster import AffinityPropagation, MeanShift, estimate_bandwidth


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [str(w.message) for w in caught]


# ---------------------------------------------------------------- mean shift


def _mean_shift_case(name, dataset, X, bandwidth=None, bin_seeding=False, min_bin_freq=1, cluster_all=True,
                     max_iter=300, seeds=None):
    bw = None if bandwidth is None else np.float64(bandwidth)
    ms, caught = _warnings_of(
        lambda: MeanShift(
            bandwidth=bw, seeds=seeds, bin_seeding=bin_seeding, min_bin_freq=min_bin_freq, cluster_all=cluster_all,
            max_iter=max_iter,
        ).fit(X)
    )
    used = float(estimate_bandwidth(X)) if bandwidth is None else float(bandwidth)
    return dict(
        name=name,
        dataset=dataset,
        bandwidth=None if bandwidth is None else float(bandwidth),
        binSeeding=bin_seeding,
        minBinFreq=min_bin_freq,
        clusterAll=cluster_all,
        maxIter=max_iter,
        seeds=None if seeds is None else np.asarray(seeds, dtype=float).tolist(),
        bandwidthUsed=used,
        centers=ms.cluster_centers_.tolist(),
        labels=[int(v) for v in ms.labels_],
        nIter=int(ms.n_iter_),
        warnings=caught,
    )


def _mean_shift(ds):
    cases = []
    for name in ["iris", "blobsOverlap", "aniso", "variedVariance", "oneFeature", "wine", "duplicates"]:
        cases.append(_mean_shift_case(f"{name}-default", name, ds[name]["X"]))
    X = ds["iris"]["X"]
    cases.append(_mean_shift_case("iris-bw0.9", "iris", X, bandwidth=0.9))
    cases.append(_mean_shift_case("iris-seeds", "iris", X, bandwidth=0.9, seeds=X[[0, 50, 100, 120, 149]]))
    cases.append(_mean_shift_case("iris-maxIter3", "iris", X, bandwidth=0.7, max_iter=3))
    X = ds["blobsOverlap"]["X"]
    cases.append(_mean_shift_case("blobsOverlap-bw5", "blobsOverlap", X, bandwidth=5.0))
    cases.append(_mean_shift_case("blobsOverlap-bin", "blobsOverlap", X, bandwidth=4.25, bin_seeding=True))
    cases.append(_mean_shift_case("blobsOverlap-bin-freq5", "blobsOverlap", X, bandwidth=4.25, bin_seeding=True,
                                  min_bin_freq=5))
    X = ds["aniso"]["X"]
    cases.append(_mean_shift_case("aniso-bw1", "aniso", X, bandwidth=1.0))
    cases.append(_mean_shift_case("aniso-bin", "aniso", X, bandwidth=1.0, bin_seeding=True, min_bin_freq=3))
    X = ds["variedVariance"]["X"]
    cases.append(_mean_shift_case("variedVariance-bin-default", "variedVariance", X, bin_seeding=True))
    cases.append(_mean_shift_case("variedVariance-orphans", "variedVariance", X, bandwidth=1.5, cluster_all=False))
    cases.append(_mean_shift_case("variedVariance-orphans-bin", "variedVariance", X, bandwidth=1.5, bin_seeding=True,
                                  min_bin_freq=4, cluster_all=False))
    X = ds["oneFeature"]["X"]
    cases.append(_mean_shift_case("oneFeature-bw1.5", "oneFeature", X, bandwidth=1.5))
    cases.append(_mean_shift_case("oneFeature-bin", "oneFeature", X, bandwidth=1.5, bin_seeding=True))
    X = ds["duplicates"]["X"]
    cases.append(_mean_shift_case("duplicates-bin", "duplicates", X, bandwidth=1.5, bin_seeding=True))
    return cases


def _estimate_bandwidth(ds):
    out = []
    for name, d in ds.items():
        for q in [0.3, 0.1, 0.05]:
            out.append(dict(dataset=name, quantile=q, bandwidth=float(estimate_bandwidth(d["X"], quantile=q))))
    return out


# ---------------------------------------------------------------- affinity propagation


def _ap_case(name, dataset, X, damping=0.5, preference=None, max_iter=200, convergence_iter=15):
    def fit(rs):
        return AffinityPropagation(damping=damping, preference=preference, max_iter=max_iter,
                                   convergence_iter=convergence_iter, random_state=rs).fit(X)

    ap, caught = _warnings_of(lambda: fit(0))
    states = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rs in range(1, 4):
            states[str(rs)] = [int(v) for v in fit(rs).cluster_centers_indices_]
    states["0"] = [int(v) for v in ap.cluster_centers_indices_]
    return dict(
        name=name,
        dataset=dataset,
        damping=damping,
        preference=None if preference is None else np.asarray(preference, dtype=float).tolist(),
        maxIter=max_iter,
        convergenceIter=convergence_iter,
        randomStates=states,
        centersIndices=[int(v) for v in ap.cluster_centers_indices_],
        labels=[int(v) for v in ap.labels_],
        nIter=int(ap.n_iter_),
        converged=not any("did not converge" in w for w in caught),
        warnings=caught,
    )


def _ap(ds):
    cases = []

    def smin(X):
        return float(-((X[:, None, :] - X[None, :, :]) ** 2).sum(-1).max())

    for name in ["iris", "blobsOverlap", "aniso", "variedVariance", "oneFeature", "wine"]:
        cases.append(_ap_case(f"{name}-default", name, ds[name]["X"]))
    X = ds["iris"]["X"]
    cases.append(_ap_case("iris-min", "iris", X, preference=smin(X)))
    cases.append(_ap_case("iris-min-d0.9", "iris", X, preference=smin(X), damping=0.9))
    cases.append(_ap_case("iris-maxIter1", "iris", X, max_iter=1))
    cases.append(_ap_case("iris-noExemplars", "iris", X, max_iter=30, preference=-1000.0))
    cases.append(_ap_case("iris-maxIter20-min", "iris", X, max_iter=20, preference=smin(X)))
    cases.append(_ap_case("iris-perSample", "iris", X, preference=np.linspace(-80.0, -10.0, X.shape[0]), damping=0.9))
    X = ds["blobsOverlap"]["X"]
    cases.append(_ap_case("blobsOverlap-min", "blobsOverlap", X, preference=smin(X)))
    X = ds["aniso"]["X"]
    cases.append(_ap_case("aniso-mid-d0.9", "aniso", X, preference=-64.29, damping=0.9))
    # Stopped after 3 iterations: every sample is still its own exemplar (no duplicate rows in aniso; with
    # duplicates, which copy stays an exemplar depends on rounding of S).
    cases.append(_ap_case("aniso-maxIter3", "aniso", X, max_iter=3, preference=smin(X)))
    X = ds["variedVariance"]["X"]
    cases.append(_ap_case("variedVariance-min-d0.9", "variedVariance", X, preference=smin(X), damping=0.9))
    X = ds["oneFeature"]["X"]
    cases.append(_ap_case("oneFeature-min-d0.9", "oneFeature", X, preference=smin(X), damping=0.9))
    cases.append(_ap_case("oneFeature-convIter5", "oneFeature", X, preference=smin(X), damping=0.9,
                          convergence_iter=5))
    X = ds["wine"]["X"]
    cases.append(_ap_case("wine-min", "wine", X, preference=smin(X)))
    X = ds["kEqualsN"]["X"]
    cases.append(_ap_case("kEqualsN-min", "kEqualsN", X, preference=smin(X)))
    return cases


# ---------------------------------------------------------------- k-medoids (own reference)


def _seqsum(a, axis=-1):
    """Sequential (left-to-right) sum, as a plain loop in TypeScript computes it."""
    a = np.asarray(a, dtype=float)
    if a.shape[axis] == 0:
        return np.zeros(np.delete(a.shape, axis)) if a.ndim > 1 else 0.0
    return np.take(np.cumsum(a, axis=axis), -1, axis=axis)


def distance_matrix(X, metric):
    n, d = X.shape
    if metric == "cosine":
        norms = np.sqrt(_seqsum(X * X, axis=1))
        U = np.zeros_like(X)
        nz = norms != 0
        U[nz] = X[nz] / norms[nz, None]
        s = np.zeros((n, n))
        for t in range(d):
            s = s + U[:, None, t] * U[None, :, t]
        D = np.clip(1 - s, 0, 2)
    else:
        s = np.zeros((n, n))
        for t in range(d):
            diff = X[:, None, t] - X[None, :, t]
            s = s + (np.abs(diff) if metric == "manhattan" else diff * diff)
        D = np.sqrt(s) if metric == "euclidean" else s
    np.fill_diagonal(D, 0.0)
    return D


def pam_build(D, k):
    n = D.shape[0]
    first = int(np.argmin(_seqsum(D, axis=1)))
    meds = [first]
    dn = D[first].copy()
    for _ in range(1, k):
        gains = _seqsum(np.maximum(dn[None, :] - D, 0.0), axis=1)
        gains[meds] = -1.0
        i = int(np.argmax(gains))
        meds.append(i)
        dn = np.minimum(dn, D[i])
    return meds


def _initial_assignment(D, med):
    n = D.shape[0]
    near_i = np.zeros(n, dtype=int)
    near_d = D[:, med[0]].copy()
    seco_i = np.full(n, -1)
    seco_d = np.zeros(n)
    for o in range(n):
        for m in range(1, len(med)):
            d = D[o, med[m]]
            if d < near_d[o] or o == med[m]:
                seco_i[o], seco_d[o] = near_i[o], near_d[o]
                near_i[o], near_d[o] = m, d
            elif seco_i[o] == -1 or d < seco_d[o]:
                seco_i[o], seco_d[o] = m, d
    return near_i, near_d, seco_i, seco_d


def _removal_loss(k, near_i, near_d, seco_d):
    contrib = np.zeros((k, len(near_i)))
    contrib[near_i, np.arange(len(near_i))] = seco_d - near_d
    return _seqsum(contrib, axis=1)


def _second_nearest(D, med, n_i, b, o, djo):
    s_i, s_d = b, djo
    for i, mi in enumerate(med):
        if i == n_i or i == b:
            continue
        d = D[o, mi]
        if d < s_d:
            s_i, s_d = i, d
    return s_i, s_d


def fasterpam(D, med, max_iter):
    """FasterPAM with eager swaps; returns (medoids, n_iter, converged, n_swaps)."""
    n, k = D.shape[0], len(med)
    med = list(med)
    if k == 1:
        return [int(np.argmin(_seqsum(D, axis=1)))], 1, True, 0
    near_i, near_d, seco_i, seco_d = _initial_assignment(D, med)
    loss = _seqsum(near_d)
    rl = _removal_loss(k, near_i, near_d, seco_d)
    last_swap, n_swaps, it, converged = n, 0, 0, False
    ar = np.arange(n)
    while it < max_iter:
        it += 1
        swaps_before, last_loss = n_swaps, loss
        for j in range(n):
            if j == last_swap:
                break
            if j == med[near_i[j]]:
                continue
            dj = D[j]
            closer = dj < near_d
            second = (~closer) & (dj < seco_d)
            acc = _seqsum(np.where(closer, dj - near_d, 0.0))
            contrib = np.zeros((k, n + 1))
            contrib[:, 0] = rl
            vals = np.where(closer, near_d - seco_d, np.where(second, dj - seco_d, 0.0))
            contrib[near_i, ar + 1] = vals
            ploss = _seqsum(contrib, axis=1)
            b = int(np.argmin(ploss))
            change = ploss[b] + acc
            if change >= 0:
                continue
            n_swaps += 1
            last_swap = j
            # do the swap
            med[b] = j
            new_loss = 0.0
            for o in range(n):
                if o == j:
                    if near_i[o] != b:
                        seco_i[o], seco_d[o] = near_i[o], near_d[o]
                    near_i[o], near_d[o] = b, 0.0
                    continue
                djo = D[j, o]
                if near_i[o] == b:
                    if djo < seco_d[o]:
                        near_d[o] = djo
                    else:
                        near_i[o], near_d[o] = seco_i[o], seco_d[o]
                        seco_i[o], seco_d[o] = _second_nearest(D, med, near_i[o], b, o, djo)
                else:
                    if djo < near_d[o]:
                        seco_i[o], seco_d[o] = near_i[o], near_d[o]
                        near_i[o], near_d[o] = b, djo
                    elif djo < seco_d[o]:
                        seco_i[o], seco_d[o] = b, djo
                    elif seco_i[o] == b:
                        seco_i[o], seco_d[o] = _second_nearest(D, med, near_i[o], b, o, djo)
                new_loss += near_d[o]
            if new_loss >= loss:
                break
            loss = new_loss
            rl = _removal_loss(k, near_i, near_d, seco_d)
        if n_swaps == swaps_before or loss >= last_loss:
            converged = True
            break
    return med, it, converged, n_swaps


def classic_pam(D, med, max_iter=300):
    """BUILD + classic SWAP: apply the single best swap (over all medoid / non-medoid pairs) per iteration."""
    med = list(med)
    n, k = D.shape[0], len(med)
    for _ in range(max_iter):
        best = (0.0, None, None)
        cur = D[med].min(axis=0).sum()
        for j in range(n):
            if j in med:
                continue
            for b in range(k):
                trial = med.copy()
                trial[b] = j
                delta = D[trial].min(axis=0).sum() - cur
                if delta < best[0] - 1e-12 * max(1.0, cur):
                    best = (delta, b, j)
        if best[1] is None:
            break
        med[best[1]] = best[2]
    return med


def alternate(D, med, max_iter):
    med = np.array(med)
    k = len(med)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        old = med.copy()
        labels = np.argmin(D[med], axis=0)
        for c in range(k):
            idx = np.flatnonzero(labels == c)
            if len(idx) == 0:
                continue
            costs = _seqsum(D[np.ix_(idx, idx)], axis=1)
            best = int(np.argmin(costs))
            cur = np.flatnonzero(idx == med[c])
            cur_cost = costs[cur[0]] if len(cur) else np.inf
            if costs[best] < cur_cost:
                med[c] = idx[best]
        if np.array_equal(old, med):
            converged = True
            break
    return [int(v) for v in med], it, converged


def _km_result(D, med):
    labels = np.argmin(D[med], axis=0)
    inertia = _seqsum(D[med, :][labels, np.arange(D.shape[0])])
    return [int(v) for v in labels], float(inertia)


def _km_case(name, dataset, X, k, metric="euclidean", method="pam", init="build", max_iter=300):
    D = distance_matrix(X, metric)
    start = pam_build(D, k) if init == "build" else list(init)
    if method == "pam":
        med, it, converged, _ = fasterpam(D, start, max_iter)
    else:
        med, it, converged = alternate(D, start, max_iter)
    labels, inertia = _km_result(D, med)
    out = dict(
        name=name, dataset=dataset, k=k, metric=metric, method=method, init=init, maxIter=max_iter,
        medoids=[int(v) for v in med], labels=labels, inertia=inertia, nIter=it, converged=converged,
        buildMedoids=[int(v) for v in pam_build(D, k)],
    )
    if k <= 8 and X.shape[0] <= 200:
        cmed = classic_pam(D, pam_build(D, k))
        out["classicPamMedoids"] = cmed
        out["classicPamInertia"] = _km_result(D, cmed)[1]
    return out


def _k_medoids(ds):
    cases = []
    for name in ["iris", "wine", "blobsOverlap", "aniso", "variedVariance", "oneFeature", "duplicates",
                 "singleCluster", "kEqualsN"]:
        d = ds[name]
        cases.append(_km_case(f"{name}-pam", name, d["X"], d["k"]))
    for metric in ["manhattan", "cosine", "sqeuclidean"]:
        cases.append(_km_case(f"iris-pam-{metric}", "iris", ds["iris"]["X"], 3, metric=metric))
        cases.append(_km_case(f"wine-pam-{metric}", "wine", ds["wine"]["X"], 4, metric=metric))
    X = ds["blobsOverlap"]["X"]
    cases.append(_km_case("blobsOverlap-pam-k8", "blobsOverlap", X, 8))
    # Explicit (bad) starting medoids: FasterPAM has real work to do.
    cases.append(_km_case("iris-pam-init", "iris", ds["iris"]["X"], 3, init=[0, 1, 2]))
    cases.append(_km_case("blobsOverlap-pam-init", "blobsOverlap", X, 5, init=[0, 1, 2, 3, 4]))
    cases.append(_km_case("blobsOverlap-pam-init-maxIter1", "blobsOverlap", X, 5, init=[0, 1, 2, 3, 4], max_iter=1))
    cases.append(_km_case("aniso-pam-init-manhattan", "aniso", ds["aniso"]["X"], 3, metric="manhattan",
                          init=[10, 11, 12]))
    for name in ["iris", "blobsOverlap", "variedVariance", "duplicates"]:
        d = ds[name]
        cases.append(_km_case(f"{name}-alternate", name, d["X"], d["k"], method="alternate"))
    cases.append(_km_case("iris-alternate-init", "iris", ds["iris"]["X"], 3, method="alternate", init=[0, 1, 2]))
    cases.append(_km_case("blobsOverlap-alternate-init-cosine", "blobsOverlap", X, 5, metric="cosine",
                          method="alternate", init=[0, 1, 2, 3, 4]))
    cases.append(_km_case("blobsOverlap-alternate-init-maxIter2", "blobsOverlap", X, 5, method="alternate",
                          init=[0, 1, 2, 3, 4], max_iter=2))
    return cases


def _exhaustive(ds):
    out = []
    for name, ks in [("kEqualsN", [2, 3, 4, 5]), ("duplicates", [2, 3, 4])]:
        X = ds[name]["X"]
        for metric in ["euclidean", "manhattan"]:
            D = distance_matrix(X, metric)
            for k in ks:
                best = None
                for comb in itertools.combinations(range(X.shape[0]), k):
                    v = D[list(comb)].min(axis=0).sum()
                    if best is None or v < best[0] - 1e-12:
                        best = (v, comb)
                med = list(best[1])
                fmed, _, _, _ = fasterpam(D, pam_build(D, k), 300)
                cmed = classic_pam(D, pam_build(D, k))
                out.append(dict(
                    dataset=name, k=k, metric=metric, optimalInertia=_km_result(D, med)[1],
                    optimalMedoids=med, fasterPamInertia=_km_result(D, fmed)[1],
                    fasterPamMedoids=[int(v) for v in fmed], classicPamInertia=_km_result(D, cmed)[1],
                ))
    return out


def build(datasets):
    return dict(
        estimateBandwidth=_estimate_bandwidth(datasets),
        meanShift=_mean_shift(datasets),
        affinityPropagation=_ap(datasets),
        kMedoids=_k_medoids(datasets),
        kMedoidsExhaustive=_exhaustive(datasets),
    )
