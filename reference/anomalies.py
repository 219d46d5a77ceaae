"""Reference values for the anomaly workflow (core/explain: rocAuc, averagePrecision,
clusterAnomalyScores; lab/anomalies).

- Ranking metrics: scikit-learn's roc_auc_score and average_precision_score on small cases with
  and without tied scores (ties: ROC AUC counts a tied positive/negative pair as 1/2; average
  precision steps once per distinct score).
- End-to-end on the bundled labelled outlier file examples/data/wine_outliers.csv (standardised
  with StandardScaler): k-means with k = 1 (the centre is the mean, so no randomness) scored by the
  distance to the centre divided by the median distance, and a one-component full-covariance
  GaussianMixture scored by minus its log density (score_samples), each with its ROC AUC and
  average precision against `is_outlier`.

The outlier file itself is derived from examples/data/wine.csv (UCI Wine via scikit-learn):
`python3 reference/anomalies.py --write-dataset` rewrites it (cultivars 0 and 1 as inliers, 10 rows
of cultivar 2 drawn with numpy's RandomState(0) as outliers, appended last, `is_outlier` = 1).
"""
import csv
import os
import sys

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, "..", "examples", "data")
N_OUTLIERS = 10
SEED = 0


def write_dataset():
    """Writes examples/data/wine_outliers.csv from examples/data/wine.csv (values copied as text)."""
    with open(os.path.join(DATA, "wine.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    features = header[:13]
    target = header.index("target")
    inliers = [r for r in body if r[target] in ("0", "1")]
    class2 = [r for r in body if r[target] == "2"]
    picked = sorted(np.random.RandomState(SEED).choice(len(class2), N_OUTLIERS, replace=False).tolist())
    out = [features + ["is_outlier"]]
    out += [r[:13] + ["0"] for r in inliers]
    out += [class2[i][:13] + ["1"] for i in picked]
    path = os.path.join(DATA, "wine_outliers.csv")
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(out)
    print(f"wrote {os.path.relpath(path)}: {len(out) - 1} rows, cultivar-2 rows {picked} as outliers")


def _read_outliers():
    with open(os.path.join(DATA, "wine_outliers.csv"), newline="") as f:
        rows = list(csv.reader(f))
    body = rows[1:]
    X = np.array([[float(v) for v in r[:13]] for r in body])
    y = np.array([int(r[13]) for r in body])
    return X, y


def _metric_case(name, scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    return dict(
        name=name,
        scores=scores.tolist(),
        labels=labels.tolist(),
        rocAuc=float(roc_auc_score(labels, scores)),
        averagePrecision=float(average_precision_score(labels, scores)),
    )


def build(datasets):
    rng = np.random.RandomState(11)
    cases = [
        _metric_case("hand", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]),
        _metric_case("ties", [1, 2, 2, 3, 3, 3, 0, 2], [0, 1, 0, 1, 1, 0, 0, 1]),
        _metric_case("allTied", [5, 5, 5, 5, 5], [0, 1, 0, 0, 1]),
        _metric_case("perfect", [0.9, 0.1, 0.8, 0.2], [1, 0, 1, 0]),
        _metric_case("reversed", [0.1, 0.9, 0.2, 0.8], [1, 0, 1, 0]),
    ]
    labels = (rng.rand(300) < 0.1).astype(int)
    labels[:2] = [0, 1]
    cases.append(_metric_case("continuous300", rng.normal(size=300) + 1.2 * labels, labels))
    labels = (rng.rand(500) < 0.05).astype(int)
    labels[:2] = [0, 1]
    cases.append(_metric_case("integerTies500", rng.poisson(2.0, size=500) + 2 * labels, labels))
    cases.append(_metric_case("binary200", (rng.rand(200) < 0.2).astype(int), (rng.rand(200) < 0.2).astype(int)))

    X, y = _read_outliers()
    Xs = StandardScaler().fit_transform(X)
    d = np.sqrt(((Xs - Xs.mean(axis=0)) ** 2).sum(axis=1))
    relative = d / np.median(d)
    gmm = GaussianMixture(n_components=1, covariance_type="full", reg_covar=1e-6, random_state=0).fit(Xs)
    nll = -gmm.score_samples(Xs)
    wine = dict(
        file="examples/data/wine_outliers.csv",
        nRows=int(len(y)),
        nOutliers=int(y.sum()),
        kmeans1=dict(
            scores=relative.tolist(),
            rocAuc=float(roc_auc_score(y, relative)),
            averagePrecision=float(average_precision_score(y, relative)),
        ),
        gmm1=dict(
            scores=nll.tolist(),
            rocAuc=float(roc_auc_score(y, nll)),
            averagePrecision=float(average_precision_score(y, nll)),
        ),
    )
    return dict(metrics=cases, wineOutliers=wine)


if __name__ == "__main__":
    if "--write-dataset" in sys.argv[1:]:
        write_dataset()
    else:
        print("usage: python3 reference/anomalies.py --write-dataset   (fixtures: python3 reference/generate.py anomalies)")
