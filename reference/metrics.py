"""Reference values for packages/core/src/metrics (clustering metrics), computed with scikit-learn.

Every labeling a test needs is written into the fixture (the TypeScript tests never recompute
KMeans or numpy random numbers). Per dataset:

- labelings: "true" (labelsTrue), "kmeans" (KMeans(n_clusters=k, random_state=0, n_init=10)),
  "noise" (labelsTrue with every 7th label, indices 0, 7, 14, ..., set to -1) and "random"
  (numpy RandomState(1000 + dataset index).randint(0, max(k, 2), n)).
- internal[labeling]: silhouette for the four metrics, Calinski-Harabasz and Davies-Bouldin, or
  null where scikit-learn raises (fewer than 2 or more than n - 1 labels).
- external[labeling]: every supervised metric between labelsTrue and that labeling.
- samples / contingency / pairConfusion for a few datasets.

"special" holds hand-picked edge cases (empty, single cluster, singletons, -1 labels) and "large"
holds labelings of tens of thousands of samples produced by a Park-Miller generator that the tests
reproduce exactly (a checksum is recorded to prove it).
"""
import warnings

import mpmath
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    calinski_harabasz_score,
    completeness_score,
    davies_bouldin_score,
    fowlkes_mallows_score,
    homogeneity_completeness_v_measure,
    homogeneity_score,
    mutual_info_score,
    normalized_mutual_info_score,
    rand_score,
    silhouette_samples,
    silhouette_score,
    v_measure_score,
)
from sklearn.metrics.cluster import contingency_matrix, pair_confusion_matrix
from sklearn.metrics.cluster._expected_mutual_info_fast import expected_mutual_information
from sklearn.metrics.cluster._supervised import _entropy

AVERAGES = ["arithmetic", "geometric", "min", "max"]
SIL_METRICS = {"euclidean": "euclidean", "sqeuclidean": "sqeuclidean", "manhattan": "manhattan", "cosine": "cosine"}
SAMPLE_DATASETS = ["iris", "duplicates", "oneFeature", "kEqualsN"]
MATRIX_DATASETS = ["iris", "duplicates", "kEqualsN"]


def _f(x):
    return float(x)


def _ints(a):
    return [int(v) for v in a]


def _or_none(fn, *args, **kwargs):
    """The metric's value, or None where scikit-learn raises (e.g. mutual_info_score on empty labels)."""
    try:
        return _f(fn(*args, **kwargs))
    except ValueError:
        return None


def external(a, b):
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    h, c, v = homogeneity_completeness_v_measure(a, b)
    return dict(
        randScore=_f(rand_score(a, b)),
        adjustedRandScore=_f(adjusted_rand_score(a, b)),
        mutualInfoScore=_or_none(mutual_info_score, a, b),
        normalizedMutualInfoScore={m: _f(normalized_mutual_info_score(a, b, average_method=m)) for m in AVERAGES},
        adjustedMutualInfoScore={m: _f(adjusted_mutual_info_score(a, b, average_method=m)) for m in AVERAGES},
        homogeneityScore=_f(homogeneity_score(a, b)),
        completenessScore=_f(completeness_score(a, b)),
        vMeasureScore=_f(v_measure_score(a, b)),
        vMeasureBeta={"0.5": _f(v_measure_score(a, b, beta=0.5)), "2": _f(v_measure_score(a, b, beta=2.0))},
        homogeneityCompletenessVMeasure=[_f(h), _f(c), _f(v)],
        fowlkesMallowsScore=_f(fowlkes_mallows_score(a, b)),
        entropyTrue=_f(_entropy(a)),
        entropyPred=_f(_entropy(b)),
        pairConfusion=[_ints(r) for r in pair_confusion_matrix(a, b)],
    )


def internal(X, labels):
    n = len(labels)
    n_labels = len(np.unique(labels))
    if not 1 < n_labels < n:
        return None
    out = {f"silhouette_{name}": _f(silhouette_score(X, labels, metric=m)) for name, m in SIL_METRICS.items()}
    out["calinskiHarabasz"] = _f(calinski_harabasz_score(X, labels))
    out["daviesBouldin"] = _f(davies_bouldin_score(X, labels))
    return out


def park_miller(seed, count):
    """x <- 48271 x mod (2^31 - 1); returns `count` successive values (the seed itself excluded)."""
    out = np.empty(count, dtype=np.int64)
    x = seed
    for i in range(count):
        x = (48271 * x) % 2147483647
        out[i] = x
    return out


def large_case(n, seed_a, k_a, seed_b, k_b, mix):
    """a[i] = A_i % kA; b[i] = a[i] % kB when B_{2i} % 100 < mix, else B_{2i+1} % kB."""
    a = park_miller(seed_a, n) % k_a
    rb = park_miller(seed_b, 2 * n)
    r1, r2 = rb[0::2], rb[1::2]
    b = np.where(r1 % 100 < mix, a % k_b, r2 % k_b)
    idx = np.arange(n, dtype=np.int64)
    spec = dict(n=n, seedA=seed_a, kA=k_a, seedB=seed_b, kB=k_b, mix=mix)
    spec["checksumA"] = int(np.sum(idx * a) % 1000000007)
    spec["checksumB"] = int(np.sum(idx * b) % 1000000007)
    return spec, a, b


def exact_emi(a, b):
    """Expected mutual information from 40-digit log-gammas (mpmath), to measure both implementations."""
    mpmath.mp.dps = 40
    n = len(a)
    rows = np.unique(a, return_counts=True)[1]
    cols = np.unique(b, return_counts=True)[1]
    cache = {}

    def lg(x):
        if x not in cache:
            cache[x] = mpmath.loggamma(x + 1)
        return cache[x]

    emi = mpmath.mpf(0)
    tiny = mpmath.mpf("1e-40")
    for ai in (int(v) for v in rows):
        for bj in (int(v) for v in cols):
            base = lg(ai) + lg(bj) + lg(n - ai) + lg(n - bj) - lg(n)
            for k in range(max(1, ai + bj - n), min(ai, bj) + 1):
                p = mpmath.exp(base - lg(k) - lg(ai - k) - lg(bj - k) - lg(n - ai - bj + k))
                if p > tiny:
                    emi += p * mpmath.mpf(k) / n * mpmath.log(mpmath.mpf(n) * k / (ai * bj))
    return float(emi)


def build(datasets):
    warnings.simplefilter("ignore")
    out = {}
    for index, (name, d) in enumerate(datasets.items()):
        X, y, k = d["X"], np.asarray(d["labelsTrue"]), int(d["k"])
        n = X.shape[0]
        noise = y.copy()
        noise[::7] = -1
        labelings = {
            "true": y,
            "kmeans": KMeans(n_clusters=k, random_state=0, n_init=10).fit(X).labels_,
            "noise": noise,
            "random": np.random.RandomState(1000 + index).randint(0, max(k, 2), n),
        }
        entry = dict(
            labelings={key: _ints(v) for key, v in labelings.items()},
            internal={key: internal(X, v) for key, v in labelings.items()},
            external={key: external(y, v) for key, v in labelings.items()},
        )
        if name in SAMPLE_DATASETS:
            entry["samples"] = {
                key: {m: [float(s) for s in silhouette_samples(X, v, metric=sk)] for m, sk in SIL_METRICS.items()}
                for key, v in labelings.items()
                if 1 < len(np.unique(v)) < n
            }
        if name in MATRIX_DATASETS:
            entry["contingency"] = {}
            for key, v in labelings.items():
                entry["contingency"][key] = dict(
                    classes=_ints(np.unique(y)),
                    clusters=_ints(np.unique(v)),
                    counts=[_ints(r) for r in contingency_matrix(y, v)],
                )
        out[name] = entry

    special_pairs = [
        ("empty", [], []),
        ("oneSample", [3], [3]),
        ("identicalSingleCluster", [0, 0, 0, 0], [0, 0, 0, 0]),
        ("singleClusterVsDifferentValue", [5, 5, 5], [-1, -1, -1]),
        ("singleVsSingletons", [0, 0, 0, 0], [0, 1, 2, 3]),
        ("singletonsVsSingle", [0, 1, 2, 3], [7, 7, 7, 7]),
        ("allSingletons", [0, 1, 2, 3], [3, 2, 1, 0]),
        ("swapped", [0, 0, 1, 1], [1, 1, 0, 0]),
        ("independent", [0, 1, 0, 1], [0, 0, 1, 1]),
        ("noiseLabels", [-1, -1, 0, 0, 1], [0, 0, 0, 1, 1]),
        ("splitOne", [0, 0, 0, 0], [0, 0, 1, 1]),
        ("sklearnDocExample", [0, 0, 1, 1, 2, 2], [0, 0, 1, 2, 2, 2]),
        ("bigLabelValues", [2147483647, -2147483648, 5, 5, 2147483647], [10, 10, 10, -7, -7]),
    ]
    special = {name: dict(a=a, b=b, **external(a, b)) for name, a, b in special_pairs}

    internal_special = []
    for name, X, labels in [
        ("chZeroIntra", [[0.0], [0.0], [1.0], [1.0]], [0, 0, 1, 1]),
        ("dbSameCentroids", [[0.0], [2.0], [0.0], [2.0]], [0, 0, 1, 1]),
        ("dbZeroIntra", [[0.0, 1.0], [0.0, 1.0], [3.0, 1.0], [3.0, 1.0], [5.0, 5.0]], [0, 0, 1, 1, 2]),
        ("singletonCluster", [[0.0, 0.0], [0.0, 1.0], [4.0, 4.0], [9.0, 9.0], [9.0, 8.0]], [0, 0, 1, 2, 2]),
        ("duplicatesBoth", [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]], [0, 0, 1, 1]),
        ("zeroVectorCosine", [[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [3.0, 0.5]], [0, 0, 1, 1, 2]),
    ]:
        Xa = np.asarray(X)
        la = np.asarray(labels)
        rec = dict(name=name, X=X, labels=labels)
        rec.update(internal(Xa, la))
        rec["samples"] = {m: [float(s) for s in silhouette_samples(Xa, la, metric=sk)] for m, sk in SIL_METRICS.items()}
        internal_special.append(rec)

    large = []
    for n, sa, ka, sb, kb, mix in [
        (20000, 1, 10, 2, 8, 0),
        (30000, 3, 7, 4, 7, 90),
        (30000, 5, 300, 6, 250, 50),
        (50000, 7, 4, 8, 5, 30),
    ]:
        spec, a, b = large_case(n, sa, ka, sb, kb, mix)
        spec.update(
            adjustedMutualInfoScore={m: _f(adjusted_mutual_info_score(a, b, average_method=m)) for m in AVERAGES},
            normalizedMutualInfoScore=_f(normalized_mutual_info_score(a, b)),
            mutualInfoScore=_f(mutual_info_score(a, b)),
            adjustedRandScore=_f(adjusted_rand_score(a, b)),
            randScore=_f(rand_score(a, b)),
            fowlkesMallowsScore=_f(fowlkes_mallows_score(a, b)),
            vMeasureScore=_f(v_measure_score(a, b)),
            pairConfusion=[_ints(r) for r in pair_confusion_matrix(a, b)],
            expectedMutualInfoSklearn=_f(expected_mutual_information(contingency_matrix(a, b, sparse=True), n)),
        )
        if n == 20000:
            spec["expectedMutualInfoExact"] = exact_emi(a, b)
        large.append(spec)

    return dict(datasets=out, special=special, internalSpecial=internal_special, large=large)
