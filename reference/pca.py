"""Reference values for decomposition/ (PCA) and selection/ (Kneedle, choosing k).

PCA: scikit-learn's PCA(svd_solver="full") on every shared dataset plus two extra ones written out
here (`extraDatasets`: more features than samples, and collinear features).

kSweep: there is no kneed package installed, so `kneedle` below is our own Python re-implementation of
Satopaa et al. 2011 as the kneed package does it (offline by default); the TypeScript tests state that
the reference is ours. `inertiaCurves` are scikit-learn KMeans inertias for k = 1..10, used as
realistic curves for the elbow.
"""
from collections import OrderedDict

import numpy as np
from scipy.signal import argrelextrema
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA


def _pca_case(X, n_components, whiten, with_data):
    p = PCA(n_components=n_components, whiten=whiten, svd_solver="full").fit(X)
    out = dict(
        options=dict(nComponents=n_components, whiten=whiten),
        nComponents=int(p.n_components_),
        components=p.components_.tolist(),
        explainedVariance=p.explained_variance_.tolist(),
        explainedVarianceRatio=p.explained_variance_ratio_.tolist(),
        singularValues=p.singular_values_.tolist(),
        mean=p.mean_.tolist(),
        noiseVariance=float(p.noise_variance_),
    )
    if with_data:
        Y = p.transform(X)
        out["transform"] = Y.tolist()
        out["inverseTransform"] = p.inverse_transform(Y).tolist()
    return out


def _pca_cases(X):
    full = min(X.shape)
    cases = [
        _pca_case(X, None, False, True),
        _pca_case(X, 1, False, True),
        _pca_case(X, min(2, full), True, True),
        _pca_case(X, 0.9, False, False),
        _pca_case(X, 0.5, True, False),
    ]
    return cases


def _extra_datasets():
    rng = np.random.RandomState(7)
    wide = rng.normal(size=(8, 20)) * np.linspace(3, 0.5, 20)
    rng = np.random.RandomState(8)
    base = rng.normal(size=(40, 3)) * np.array([4.0, 2.0, 1.0])
    mix = np.array([[1.0, 0.0, 0.0, 1.0, 0.5], [0.0, 1.0, 0.0, -1.0, 0.5], [0.0, 0.0, 1.0, 0.0, 2.0]])
    collinear = base @ mix + np.array([1.0, -2.0, 0.5, 3.0, 0.0])
    return OrderedDict(
        wide=dict(X=wide, rank=7, description="8 samples, 20 features (n < d; centred rank 7)"),
        collinear=dict(X=collinear, rank=3, description="40 samples, 5 features of rank 3"),
    )


# ---------------------------------------------------------------- Kneedle (our own reference)


def kneedle(x, y, S=1.0, curve="concave", direction="increasing", online=False):
    """Satopaa et al. 2011, offline by default, as in the kneed package.

    The curve is mapped to a concave increasing one by reflecting it: vertically for convex
    decreasing, horizontally for concave decreasing, both for convex increasing. kneed reflects
    only y horizontally (np.flip) and keeps x; for evenly spaced x the two are the same, and
    reflecting x too keeps the method correct for uneven spacing.
    Returns dict(index, allIndices, difference) with indices into, and the difference curve in the
    order of, the original arrays (index None if no knee).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 3 or y.max() == y.min():
        return dict(index=None, allIndices=[], difference=[0.0] * n)
    xn = (x - x.min()) / (x.max() - x.min())
    yn = (y - y.min()) / (y.max() - y.min())
    flip_x = (curve == "concave" and direction == "decreasing") or (curve == "convex" and direction == "increasing")
    flip_y = curve == "convex"
    if flip_x:
        xt = (x.max() - x[::-1]) / (x.max() - x.min())
        yt = yn[::-1]
    else:
        xt = xn
        yt = yn
    if flip_y:
        yt = 1.0 - yt
    yd = yt - xt
    maxima = argrelextrema(yd, np.greater_equal)[0]
    minima = argrelextrema(yd, np.less_equal)[0]
    tmx = yd[maxima] - S * np.abs(np.diff(xt).mean())
    knees = []
    last = None
    if maxima.size:
        mi = 0
        threshold = None
        threshold_index = None
        for i in range(n):
            if i < maxima[0]:
                continue
            if i == n - 1:
                break
            if (maxima == i).any():
                threshold = tmx[mi]
                threshold_index = i
                mi += 1
            if (minima == i).any():
                threshold = 0.0
            if yd[i + 1] < threshold:
                k = n - 1 - threshold_index if flip_x else threshold_index
                last = int(k)
                if k not in knees:
                    knees.append(int(k))
                if not online:
                    break
    difference = yd[::-1] if flip_x else yd
    if not knees:
        return dict(index=None, allIndices=[], difference=difference.tolist())
    # offline: the first knee; online: the knee of the last detection (kneed keeps the last assignment)
    return dict(index=last, allIndices=knees, difference=difference.tolist())


def _kneedle_cases():
    cases = []

    def add(name, x, y, **kw):
        r = kneedle(x, y, **kw)
        cases.append(
            dict(
                name=name,
                x=[float(v) for v in x],
                y=[float(v) for v in y],
                options=dict(S=kw.get("S", 1.0), curve=kw.get("curve", "concave"), direction=kw.get("direction", "increasing"), online=kw.get("online", False)),
                expected=r,
            )
        )

    # Figure 2 of the paper (kneed's DataGenerator.figure2): knee at x = 0.2222
    x = np.linspace(0.0, 1, 10)
    add("figure2", x, -1 / (x + 0.1) + 5)
    # the four curve/direction combinations
    x = np.arange(1, 11, dtype=float)
    add("convexDecreasing", x, 100 / x, curve="convex", direction="decreasing")
    add("convexIncreasing", x, np.exp(x / 2), curve="convex", direction="increasing")
    add("concaveDecreasing", x, 10 - np.exp(x / 3), curve="concave", direction="decreasing")
    add("concaveIncreasing", x, np.log(x), curve="concave", direction="increasing")
    # uneven x spacing
    xu = np.array([1, 2, 3, 5, 8, 13, 21, 34], dtype=float)
    add("unevenConvexDecreasing", xu, 50 / xu + 0.1 * xu, curve="convex", direction="decreasing")
    add("unevenConvexIncreasing", xu, xu**2, curve="convex", direction="increasing")
    add("unevenConcaveDecreasing", xu, 100 - xu**2, curve="concave", direction="decreasing")
    # sensitivity: noisy curve with several local maxima, S = 0, 1, 3 and online
    rng = np.random.RandomState(4)
    xs = np.arange(0, 30, dtype=float)
    ys = 50 * np.exp(-xs / 4) + rng.uniform(0, 3, size=30)
    for S in (0.0, 1.0, 3.0):
        add(f"noisyS{S:g}", xs, ys, curve="convex", direction="decreasing", S=S)
        add(f"noisyS{S:g}Online", xs, ys, curve="convex", direction="decreasing", S=S, online=True)
    # a straight line has no knee; a flat line neither
    add("straightLine", x, 2 * x + 1)
    add("flat", x, np.ones_like(x), curve="convex", direction="decreasing")
    # a step-like elbow
    add("step", x, np.array([100, 20, 10, 9, 8, 7, 6, 5, 4, 3], dtype=float), curve="convex", direction="decreasing")
    return cases


def _inertia_curves(ds):
    out = OrderedDict()
    for name in ("iris", "wine", "blobsOverlap", "aniso", "variedVariance", "singleCluster"):
        X = ds[name]["X"]
        ks = list(range(1, 11))
        inertia = [float(KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_) for k in ks]
        r = kneedle(ks, inertia, curve="convex", direction="decreasing")
        out[name] = dict(ks=ks, inertia=inertia, elbowIndex=r["index"], elbow=None if r["index"] is None else ks[r["index"]])
    return out


def build(datasets):
    pca = OrderedDict()
    for name, d in datasets.items():
        pca[name] = _pca_cases(d["X"])
    extra = _extra_datasets()
    for name, d in extra.items():
        pca[name] = _pca_cases(d["X"])
    return dict(
        pca=pca,
        extraDatasets={name: dict(X=d["X"].tolist(), rank=d["rank"], description=d["description"]) for name, d in extra.items()},
        kSweep=dict(kneedleCases=_kneedle_cases(), inertiaCurves=_inertia_curves(datasets)),
    )
