"""Computes the expected outputs that the TypeScript tests compare against.

Run: python3 reference/generate.py   (needs scikit-learn: pip install scikit-learn)
Writes reference/fixtures/*.json, which are committed; CI never needs Python.
Each area lives in its own module with a `build(datasets) -> dict` function.
"""
import importlib
import json
import os
import sys

import numpy
import scipy
import sklearn

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, ROOT)

import datasets  # noqa: E402

AREAS = ["kmeans", "metrics", "preprocessing", "pca", "hierarchy", "density", "mixture", "categorical", "exemplar", "spectral", "hdbscan", "text", "explain", "workflow", "manifold", "anomalies"]


def write(name, payload):
    payload = dict(
        meta=dict(sklearn=sklearn.__version__, numpy=numpy.__version__, scipy=scipy.__version__, generator=f"reference/{name}.py"),
        **payload,
    )
    path = os.path.join(ROOT, "fixtures", f"{name}.json")
    with open(path, "w") as f:
        json.dump(payload, f, allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(path)}")


def main(only=None):
    ds = datasets.load()
    if only is None or "datasets" in only:
        write("datasets", dict(datasets=datasets.to_json(ds)))
    for area in AREAS:
        if only is not None and area not in only:
            continue
        try:
            module = importlib.import_module(area)
        except ModuleNotFoundError as e:
            if e.name == area:
                print(f"skip {area} (no reference/{area}.py yet)")
                continue
            raise
        write(area, module.build(ds))


if __name__ == "__main__":
    main(set(sys.argv[1:]) or None)
