"""Reference values for Gaussian mixtures (packages/core/src/mixture).

Every fit starts from an explicit, deterministic initialisation (weights_init, means_init,
precisions_init), so EM follows the same path in scikit-learn and in Clusterlab; the
initialisation is recorded with the results. Two initialisations per dataset:

- "truth": class proportions, class means and class covariances (+ 1e-6 on the diagonal) from
  labelsTrue, turned into precisions for each covariance type;
- "rows": uniform weights, the first k distinct rows of X as means, and the precision of the
  whole data set (per covariance type) for every component; EM starts far from the optimum
  and needs many iterations.

Layouts: covariances / precisions / precisions_cholesky are flattened row-major
(full: k x d x d, tied: d x d, diag: k x d, spherical: k).
"""
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

DATASETS = ["iris", "wine", "blobsOverlap", "aniso", "variedVariance", "oneFeature"]
TYPES = ["full", "tied", "diag", "spherical"]
PROBA_ROWS = [0, 1, 2, 10, 50, 100, 149]


def _precisions_from_covs(covs, pooled, covariance_type):
    """covs: k x d x d class covariances; pooled: d x d pooled covariance."""
    if covariance_type == "full":
        out = np.array([np.linalg.inv(c) for c in covs])
        return (out + out.transpose(0, 2, 1)) / 2
    if covariance_type == "tied":
        p = np.linalg.inv(pooled)
        return (p + p.T) / 2
    if covariance_type == "diag":
        return np.array([1.0 / np.diag(c) for c in covs])
    return np.array([1.0 / np.mean(np.diag(c)) for c in covs])


def init_truth(X, y, k, covariance_type):
    n, d = X.shape
    labels = np.unique(y)
    weights = np.array([np.mean(y == c) for c in labels])
    means = np.array([X[y == c].mean(axis=0) for c in labels])
    covs = []
    pooled = np.zeros((d, d))
    for c, m in zip(labels, means):
        diff = X[y == c] - m
        cov = diff.T @ diff / len(diff) + 1e-6 * np.eye(d)
        covs.append(cov)
        pooled += diff.T @ diff
    pooled = pooled / n + 1e-6 * np.eye(d)
    return weights, means, _precisions_from_covs(np.array(covs), pooled, covariance_type)


def init_rows(X, k, covariance_type):
    n, d = X.shape
    rows = []
    for i in range(n):
        if not any(np.array_equal(X[i], r) for r in rows):
            rows.append(X[i])
        if len(rows) == k:
            break
    means = np.array(rows)
    weights = np.full(k, 1.0 / k)
    diff = X - X.mean(axis=0)
    cov = diff.T @ diff / n + 1e-6 * np.eye(d)
    return weights, means, _precisions_from_covs(np.array([cov] * k), cov, covariance_type)


def flat(a):
    return np.asarray(a, dtype=float).ravel().tolist()


def fit_case(name, X, k, covariance_type, init_name, weights, means, precisions, tol, max_iter):
    gm = GaussianMixture(
        n_components=k,
        covariance_type=covariance_type,
        tol=tol,
        max_iter=max_iter,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        gm.fit(X)
    rows = [r for r in PROBA_ROWS if r < X.shape[0]]
    return dict(
        dataset=name,
        init=init_name,
        covarianceType=covariance_type,
        nComponents=int(k),
        tol=tol,
        maxIter=max_iter,
        regCovar=1e-6,
        weightsInit=flat(weights),
        meansInit=flat(means),
        precisionsInit=flat(precisions),
        weights=flat(gm.weights_),
        means=flat(gm.means_),
        covariances=flat(gm.covariances_),
        precisions=flat(gm.precisions_),
        precisionsCholesky=flat(gm.precisions_cholesky_),
        lowerBound=float(gm.lower_bound_),
        nIter=int(gm.n_iter_),
        converged=bool(gm.converged_),
        warned=any(issubclass(w.category, ConvergenceWarning) for w in caught),
        nParameters=int(gm._n_parameters()),
        labels=[int(v) for v in gm.predict(X)],
        probaRows=rows,
        proba=flat(gm.predict_proba(X[rows])),
        scoreSamples=flat(gm.score_samples(X)),
        score=float(gm.score(X)),
        bic=float(gm.bic(X)),
        aic=float(gm.aic(X)),
    )


def build(datasets):
    cases = []
    for name in DATASETS:
        ds = datasets[name]
        X, y, k = ds["X"], np.asarray(ds["labelsTrue"]), int(ds["k"])
        for covariance_type in TYPES:
            w, m, p = init_truth(X, y, k, covariance_type)
            cases.append(fit_case(name, X, k, covariance_type, "truth", w, m, p, 1e-6, 1000))
            w, m, p = init_rows(X, k, covariance_type)
            cases.append(fit_case(name, X, k, covariance_type, "rows", w, m, p, 1e-6, 1000))
    # default tolerance, and a fit stopped by max_iter (not converged, warns)
    for name in ["blobsOverlap", "iris"]:
        ds = datasets[name]
        X, k = ds["X"], int(ds["k"])
        w, m, p = init_rows(X, k, "full")
        cases.append(fit_case(name, X, k, "full", "rows", w, m, p, 1e-3, 100))
        cases.append(fit_case(name, X, k, "full", "rows", w, m, p, 1e-3, 3))
    return dict(cases=cases)
