"""The datasets every reference fixture is computed on.

JS cannot reproduce numpy's random stream, so generated data is written out in full to
fixtures/datasets.json and the TypeScript tests read it from there.
"""
import csv
import os

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, "..", "examples", "data")


def _read_csv(name, feature_count):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))
    body = rows[1:]
    X = np.array([[float(v) for v in r[:feature_count]] for r in body])
    y = np.array([int(r[feature_count]) for r in body])
    return X, y


def load():
    """Returns an ordered dict name -> {X, labelsTrue, k, description}."""
    out = {}
    X, y = _read_csv("iris.csv", 4)
    out["iris"] = dict(X=X, labelsTrue=y, k=3, description="iris, 4 raw features")
    X, y = _read_csv("wine.csv", 13)
    out["wine"] = dict(X=StandardScaler().fit_transform(X), labelsTrue=y, k=3, description="wine, 13 standardised features")
    X, y = make_blobs(n_samples=400, centers=5, n_features=3, cluster_std=2.5, random_state=1)
    out["blobsOverlap"] = dict(X=X, labelsTrue=y, k=5, description="5 overlapping blobs in 3-D")
    X, y = make_blobs(n_samples=300, centers=3, random_state=170)
    X = X @ np.array([[0.60834549, -0.63667341], [-0.40887718, 0.85253229]])
    out["aniso"] = dict(X=X, labelsTrue=y, k=3, description="anisotropic blobs (sheared)")
    X, y = make_blobs(n_samples=300, centers=3, cluster_std=[1.0, 2.5, 0.5], random_state=170)
    out["variedVariance"] = dict(X=X, labelsTrue=y, k=3, description="blobs with unequal variances")
    rng = np.random.RandomState(3)
    X = np.concatenate([rng.normal(0, 1, 60), rng.normal(6, 1.5, 60), rng.normal(15, 0.7, 30)]).reshape(-1, 1)
    y = np.repeat([0, 1, 2], [60, 60, 30])
    out["oneFeature"] = dict(X=X, labelsTrue=y, k=3, description="one feature, three modes")
    base = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [10.0, 0.0], [10.0, 1.0]])
    idx = np.repeat(np.arange(6), [5, 3, 7, 2, 4, 4])
    out["duplicates"] = dict(X=base[idx], labelsTrue=idx // 2, k=3, description="25 points, only 6 distinct")
    X, y = make_blobs(n_samples=120, centers=1, n_features=4, random_state=5)
    out["singleCluster"] = dict(X=X, labelsTrue=y, k=1, description="one blob, k = 1")
    rng = np.random.RandomState(11)
    X = rng.uniform(-3, 3, size=(12, 3))
    out["kEqualsN"] = dict(X=X, labelsTrue=np.arange(12), k=12, description="12 distinct points, k = n")
    return out


def to_json(datasets):
    return {
        name: dict(
            X=d["X"].tolist(),
            labelsTrue=[int(v) for v in d["labelsTrue"]],
            k=int(d["k"]),
            description=d["description"],
        )
        for name, d in datasets.items()
    }
