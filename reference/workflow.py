"""Reference values for the analysis workflow (packages/lab/src/run): the Yeo-Johnson power
transform (scikit-learn's PowerTransformer, whose lambdas come from scipy's yeojohnson_normmax)
and Tukey's IQR fences (numpy's linear-interpolation percentiles)."""
import numpy as np
from sklearn.preprocessing import PowerTransformer


def _yeo_johnson_case(name, X):
    pt = PowerTransformer(method="yeo-johnson", standardize=False).fit(X)
    return dict(
        name=name,
        X=X.tolist(),
        lambdas=pt.lambdas_.tolist(),
        transformed=pt.transform(X).tolist(),
    )


def _iqr_case(name, X, factor):
    q1 = np.percentile(X, 25, axis=0)
    q3 = np.percentile(X, 75, axis=0)
    lower = q1 - factor * (q3 - q1)
    upper = q3 + factor * (q3 - q1)
    outlier = np.any((X < lower) | (X > upper), axis=1)
    return dict(name=name, factor=factor, lower=lower.tolist(), upper=upper.tolist(), outliers=np.flatnonzero(outlier).tolist())


def build(datasets):
    rng = np.random.RandomState(7)
    skewed = np.column_stack([
        rng.lognormal(mean=3.0, sigma=1.0, size=200),  # amounts: right-skewed, positive
        rng.poisson(lam=2.0, size=200).astype(float),  # counts with zeros
        -rng.lognormal(mean=1.0, sigma=0.5, size=200),  # all negative
        rng.normal(0.0, 3.0, size=200) ** 3 / 10.0,  # heavy tails, both signs
    ])
    cases = [
        _yeo_johnson_case("iris", datasets["iris"]["X"]),
        _yeo_johnson_case("wine", datasets["wine"]["X"]),
        _yeo_johnson_case("oneFeature", datasets["oneFeature"]["X"]),
        _yeo_johnson_case("skewed", skewed),
    ]
    iqr = [
        _iqr_case("iris", datasets["iris"]["X"], 1.5),
        _iqr_case("skewed", skewed, 1.5),
        _iqr_case("skewed3", skewed, 3.0),
    ]
    return dict(yeoJohnson=cases, iqr=iqr)
