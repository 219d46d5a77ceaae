"""Reference outputs for packages/core/src/preprocessing (scalers, imputer, encoders, column transformer).

`build(datasets)` returns a JSON-ready dict; NaN is written as null (generate.py forbids NaN in JSON),
and so are missing categories (None / NaN in scikit-learn).

Layout:
  numeric:  name -> {X, Xtest}                         numeric inputs for the scalers and the imputer
  scalers:  list of {input, scaler, params, attrs, transform, transformTest}
  imputer:  list of {input, params, statistics, transform, transformTest}
  categorical: name -> {names, columns, test}          column-wise categorical inputs (null = missing)
  encoders: list of {input, encoder, params, categories, transform, transformTest, featureNamesOut, inverse}
  columnTransformer: {frame, names, numeric, categorical, passthrough, output, featureNamesOut, test, outputTest}
"""
import csv
import math
import os

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, "..", "examples", "data")


def _num(v):
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def arr(a):
    """numpy array (1-D or 2-D) or None -> nested lists with NaN as null."""
    if a is None:
        return None
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return _num(a)
    if a.ndim == 1:
        return [_num(v) for v in a]
    return [[_num(v) for v in r] for r in a]


def cats(values):
    """A category array (object or float) -> list with missing (None/NaN) as null."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(v)
        else:
            out.append(float(v))
    return out


def _read_rows(name):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _float_or_nan(s):
    return float(s) if s != "" else np.nan


def numeric_inputs(datasets):
    out = {}
    iris = datasets["iris"]["X"]
    out["iris"] = iris
    _, body = _read_rows("wine.csv")
    out["wineRaw"] = np.array([[float(v) for v in r[:13]] for r in body])
    out["blobsOverlap"] = datasets["blobsOverlap"]["X"]
    # Constant and near-constant columns, built from exactly representable values so that the
    # sums are exact in any order (numpy's pairwise sum and a plain loop agree bit for bit).
    n = 40
    k = np.arange(n) % 10
    const = np.column_stack(
        [
            np.full(n, 3.7),  # constant
            1000.0 + k * 2.0**-40,  # near constant: variance under sklearn's bound -> scale 1
            1.0 + k * 2.0**-20,  # small but genuine variance -> kept
            k * 1e-17,  # tiny values: max abs and range below 10 * eps
            1.0 + (k % 4) * 2.0**-52,  # range of a few ulps -> MinMaxScaler scale 1
            np.zeros(n),  # all zeros
            np.arange(n, dtype=float) - 7.5,  # an ordinary column
        ]
    )
    out["constant"] = const
    # iris with missing values at deterministic places.
    nan_iris = iris.copy()
    for i in range(nan_iris.shape[0]):
        for j in range(nan_iris.shape[1]):
            if (i * 7 + j * 3) % 11 == 0:
                nan_iris[i, j] = np.nan
    out["irisNaN"] = nan_iris
    return out


def test_matrix(X):
    """Deterministic held-out data: outside the training range, with a NaN where X has one."""
    T = X[::7].copy() * 1.5 + 0.25
    return T


def scaler_cases(numeric):
    specs = [
        ("StandardScaler", dict(), StandardScaler),
        ("StandardScaler", dict(with_mean=False), StandardScaler),
        ("StandardScaler", dict(with_std=False), StandardScaler),
        ("StandardScaler", dict(with_mean=False, with_std=False), StandardScaler),
        ("MinMaxScaler", dict(), MinMaxScaler),
        ("MinMaxScaler", dict(feature_range=(-1, 2)), MinMaxScaler),
        ("MinMaxScaler", dict(feature_range=(-1, 2), clip=True), MinMaxScaler),
        ("RobustScaler", dict(), RobustScaler),
        ("RobustScaler", dict(quantile_range=(10.0, 90.0), unit_variance=True), RobustScaler),
        ("RobustScaler", dict(with_centering=False), RobustScaler),
        ("RobustScaler", dict(with_scaling=False), RobustScaler),
        ("MaxAbsScaler", dict(), MaxAbsScaler),
    ]
    attr_names = {
        "StandardScaler": ["mean_", "var_", "scale_"],
        "MinMaxScaler": ["min_", "scale_", "data_min_", "data_max_", "data_range_"],
        "RobustScaler": ["center_", "scale_"],
        "MaxAbsScaler": ["max_abs_", "scale_"],
    }
    out = []
    for input_name, X in numeric.items():
        T = test_matrix(X)
        for kind, params, cls in specs:
            s = cls(**params).fit(X)
            attrs = {}
            for a in attr_names[kind]:
                v = getattr(s, a)
                attrs[a] = arr(v) if v is not None else None
            out.append(
                dict(
                    input=input_name,
                    scaler=kind,
                    params={key: (list(v) if isinstance(v, tuple) else v) for key, v in params.items()},
                    attrs=attrs,
                    transform=arr(s.transform(X)),
                    transformTest=arr(s.transform(T)),
                )
            )
    return out


def imputer_inputs(numeric):
    out = {"irisNaN": numeric["irisNaN"]}
    # Small integer data with ties for most_frequent, an even count for the median,
    # and an all-missing column.
    nan = np.nan
    out["small"] = np.array(
        [
            [1.0, 2.0, nan, 7.0],
            [2.0, nan, nan, 7.0],
            [2.0, 5.0, nan, 3.0],
            [1.0, 5.0, nan, nan],
            [nan, 2.0, nan, 3.0],
            [3.0, 9.0, nan, 1.0],
        ]
    )
    return out


def imputer_cases(numeric):
    out = []
    for input_name, X in imputer_inputs(numeric).items():
        T = X[::2].copy()
        T[0, :] = np.nan  # every column missing in one test row
        for strategy in ["mean", "median", "most_frequent", "constant"]:
            for keep in [False, True]:
                params = dict(strategy=strategy, keep_empty_features=keep)
                if strategy == "constant":
                    params["fill_value"] = -4.5
                imp = SimpleImputer(**params).fit(X)
                out.append(
                    dict(
                        input=input_name,
                        X=arr(X),
                        Xtest=arr(T),
                        params=params,
                        statistics=arr(np.asarray(imp.statistics_, dtype=float)),
                        transform=arr(imp.transform(X)),
                        transformTest=arr(imp.transform(T)),
                    )
                )
    # missing_values = -1 (a number, not NaN)
    X = np.array([[1.0, -1.0], [-1.0, 4.0], [3.0, 4.0], [3.0, -1.0], [5.0, 2.0]])
    for strategy in ["mean", "median", "most_frequent"]:
        params = dict(strategy=strategy, missing_values=-1)
        imp = SimpleImputer(**params).fit(X)
        out.append(
            dict(
                input="minusOne",
                X=arr(X),
                Xtest=arr(X[::-1]),
                params=params,
                statistics=arr(np.asarray(imp.statistics_, dtype=float)),
                transform=arr(imp.transform(X)),
                transformTest=arr(imp.transform(X[::-1])),
            )
        )
    return out


def penguins():
    header, body = _read_rows("penguins.csv")
    cols = {}
    for j, name in enumerate(header):
        vals = [r[j] for r in body]
        if name in ("species", "island", "sex"):
            cols[name] = [v if v != "" else np.nan for v in vals]
        else:
            cols[name] = [_float_or_nan(v) for v in vals]
    return header, cols


def tips():
    header, body = _read_rows("tips.csv")
    cols = {}
    for j, name in enumerate(header):
        vals = [r[j] for r in body]
        if name in ("sex", "smoker", "day", "time"):
            cols[name] = vals
        else:
            cols[name] = [float(v) for v in vals]
    return header, cols


def categorical_inputs():
    out = {}
    _, p = penguins()
    names = ["species", "island", "sex"]
    out["penguins"] = dict(
        names=names,
        columns=[p[n] for n in names],
        # held-out rows: one unseen island and one unseen sex
        test=[["Gentoo", "Atlantis", "male"], ["Adelie", "Dream", "unknown"], ["Chinstrap", "Biscoe", np.nan]],
    )
    _, t = tips()
    names = ["sex", "smoker", "day", "time", "size"]
    out["tips"] = dict(
        names=names,
        columns=[t[n] for n in names],
        test=[["Female", "Yes", "Mon", "Lunch", 7.0], ["Male", "No", "Sun", "Dinner", 2.0]],
    )
    out["colors"] = dict(
        names=["color", "size"],
        columns=[["red", "green", "blue", "green", "red", "red"], ["S", "M", "M", "L", "S", "M"]],
        test=[["purple", "M"], ["blue", "XL"], ["red", "S"]],
    )
    return out


def _object_matrix(columns):
    n = len(columns[0])
    X = np.empty((n, len(columns)), dtype=object)
    for j, c in enumerate(columns):
        for i, v in enumerate(c):
            X[i, j] = v
    return X


def _object_rows(rows):
    X = np.empty((len(rows), len(rows[0])), dtype=object)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            X[i, j] = v
    return X


def _cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v if isinstance(v, str) else float(v)


def encoder_cases(categorical):
    out = []
    specs = [
        ("OneHotEncoder", dict(), True),
        ("OneHotEncoder", dict(drop="first"), True),
        ("OneHotEncoder", dict(drop="if_binary"), True),
        ("OneHotEncoder", dict(handle_unknown="ignore"), False),
        ("OneHotEncoder", dict(handle_unknown="ignore", drop="first"), False),
        ("OrdinalEncoder", dict(), True),
        ("OrdinalEncoder", dict(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2), False),
    ]
    for input_name, d in categorical.items():
        X = _object_matrix(d["columns"])
        # a test set of seen values only (every 9th row), plus one with unseen values
        seen = X[::9]
        test = _object_rows(d["test"])
        for kind, params, error_on_unknown in specs:
            if kind == "OneHotEncoder":
                enc = OneHotEncoder(sparse_output=False, **params).fit(X)
            else:
                enc = OrdinalEncoder(**params).fit(X)
            Xt = enc.transform(X)
            inv = enc.inverse_transform(enc.transform(seen))
            case = dict(
                input=input_name,
                encoder=kind,
                params=params,
                categories=[cats(c) for c in enc.categories_],
                transform=arr(Xt),
                transformSeen=arr(enc.transform(seen)),
                inverseSeen=[[_cell(v) for v in r] for r in inv],
                featureNamesOut=[str(s) for s in enc.get_feature_names_out(d["names"])],
            )
            if kind == "OneHotEncoder":
                case["dropIdx"] = None if enc.drop_idx_ is None else [None if v is None else int(v) for v in enc.drop_idx_]
            if not error_on_unknown:
                Tt = enc.transform(test)
                case["transformTest"] = arr(Tt)
                case["inverseTest"] = [[_cell(v) for v in r] for r in enc.inverse_transform(Tt)]
            out.append(case)
    return out


def column_transformer_case():
    header, p = penguins()
    df = pd.DataFrame({name: p[name] for name in header})
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    categorical = ["species", "island", "sex"]
    ct = ColumnTransformer(
        [
            ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ],
        remainder="passthrough",
        sparse_threshold=0,
    )
    out = ct.fit_transform(df)
    test = df.iloc[::17].copy()
    test.iloc[0, 1] = "Atlantis"
    out_test = ct.transform(test)
    return dict(
        names=header,
        columns=[cats(p[n]) if n in categorical else arr(np.array(p[n])) for n in header],
        numeric=numeric,
        categorical=categorical,
        remainder="passthrough",
        output=arr(out),
        featureNamesOut=[str(s) for s in ct.get_feature_names_out()],
        testRows=list(range(0, len(df), 17)),
        testIsland0="Atlantis",
        outputTest=arr(out_test),
    )


def build(datasets):
    numeric = numeric_inputs(datasets)
    categorical = categorical_inputs()
    return dict(
        numeric={name: dict(X=arr(X), Xtest=arr(test_matrix(X))) for name, X in numeric.items()},
        scalers=scaler_cases(numeric),
        imputer=imputer_cases(numeric),
        categorical={
            name: dict(
                names=d["names"],
                columns=[cats(c) for c in d["columns"]],
                test=[[_cell(v) for v in r] for r in d["test"]],
            )
            for name, d in categorical.items()
        },
        encoders=encoder_cases(categorical),
        columnTransformer=column_transformer_case(),
    )
