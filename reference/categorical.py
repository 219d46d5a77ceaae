"""Reference values for k-modes, k-prototypes and Gower distance (packages/core/test/categorical/*.test.ts).

The `kmodes` package (Nico de Vos) cannot be installed here, so this module carries its own
pure-Python re-implementation of what kmodes 0.12 does (read from nicodv/kmodes: kmodes/kmodes.py,
kmodes/kprototypes.py, kmodes/util/init_methods.py, kmodes/util/__init__.py, kmodes/util/dissim.py),
kept structurally close to it: per-cluster frequency dictionaries (`defaultdict`) and
`get_max_value_key` for the modes (ties: the smallest category code), `_move_point_cat` with its
strict `<` test when a point joins a cluster, the initial assignment, the empty-cluster rules (random
category at the initial update; refill from the largest cluster during iterations; for k-prototypes
retry the initialisation, switching to "random" after 20 tries), the cost, the stopping rule
`moves == 0 or new cost >= cost`, `n_iter` and `epoch_costs`; Huang's and Cao's initialisations; the
k-prototypes default `gamma = 0.5 * mean(std of the numeric columns)`; categories coded in sorted
order as `encode_features` (`np.unique`) does, with a missing value (None) as its own category
placed first (kmodes codes NaN as -1, also the smallest code).

Deliberate deviations, made identically by the TypeScript code:
- Random numbers: numpy's stream cannot be reproduced in JS, so every random draw of kmodes
  (per-run seeds, Huang's sampled attributes, "random" rows, the random category of an empty cluster,
  the refill point, the Gaussian numeric prototypes of k-prototypes) is taken, at the same place in
  the algorithm, from a port of Clusterlab's `Random` (xoshiro128**, below): `int(n)` where numpy
  draws `randint(n)` / `choice` and `normal()` where it draws `randn`.
- Huang's nearest-row search orders rows by distance with a stable sort (numpy's default argsort
  is not stable, so kmodes' choice among equally distant rows is unspecified).
- When there are no more distinct rows than clusters, the distinct rows in order of first appearance
  become the modes (kmodes: Python set order) and labels are computed (kmodes returns labels None).
- Sums are formed left to right in pure Python (numpy's pairwise summation can differ in the last bit).

Gower (1971) distances are computed with numpy (vectorised over pairs): per feature,
|xi - xj| / range for numeric features (range = max - min over the non-missing values; a feature of
zero range contributes 0), mismatch (0/1) for categorical ones, weighted; a feature missing on either
side is left out of that pair's weighted average; a pair with no usable feature is NaN (null in JSON).
"""
import csv
import math
import os
from collections import defaultdict

import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(ROOT, "..", "examples", "data")
M32 = 0xFFFFFFFF
MAX_INIT_TRIES = 20
RAISE_INIT_TRIES = 100


# ---------------------------------------------------------------- Clusterlab's Random, ported


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Random:
    """Port of packages/core/src/random.ts (xoshiro128** seeded with SplitMix32)."""

    def __init__(self, seed=0):
        seed = int(seed)
        h = ((seed & M32) ^ (int(seed / 4294967296) & M32)) & M32
        state = []
        for _ in range(4):
            h = (h + 0x9E3779B9) & M32
            z = h
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
            state.append((z ^ (z >> 16)) & M32)
        self.s = state
        if not any(state):
            self.s[0] = 1
        self.spare = None

    def uint32(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & M32, 7) * 9) & M32
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def float(self):
        hi = self.uint32() >> 5
        lo = self.uint32() >> 6
        return (hi * 67108864 + lo) / 9007199254740992

    def int(self, n):
        limit = 4294967296 - (4294967296 % n)
        while True:
            x = self.uint32()
            if x < limit:
                return x % n

    def normal(self):
        if self.spare is not None:
            s, self.spare = self.spare, None
            return s
        while True:
            u = 2 * self.float() - 1
            v = 2 * self.float() - 1
            s = u * u + v * v
            if 0 < s < 1:
                f = math.sqrt((-2 * math.log(s)) / s)
                self.spare = v * f
                return u * f


# ---------------------------------------------------------------- kmodes, re-implemented


def encode_features(columns):
    """Per column: categories in sorted order (None first) and the integer codes (rows x cols)."""
    cats = []
    for col in columns:
        distinct = sorted({v for v in col if v is not None})
        if any(v is None for v in col):
            distinct = [None] + distinct
        cats.append(distinct)
    maps = [{v: i for i, v in enumerate(c)} for c in cats]
    n = len(columns[0])
    X = [[maps[j][columns[j][i]] for j in range(len(columns))] for i in range(n)]
    return X, cats


def get_max_value_key(dic):
    v = list(dic.values())
    k = list(dic.keys())
    m = max(v)
    maxima = [i for i, x in enumerate(v) if x == m]
    if len(maxima) == 1:
        return k[maxima[0]]
    return min(k[i] for i in maxima)


def matching_dissim(centroids, point):
    return [sum(1 for a, b in zip(c, point) if a != b) for c in centroids]


def euclidean_dissim(centroids, point):
    out = []
    for c in centroids:
        s = 0.0
        for a, b in zip(c, point):
            s += (a - b) ** 2
        out.append(s)
    return out


def argmin(values):
    best = 0
    for i, v in enumerate(values):
        if v < values[best]:
            best = i
    return best


def argmax(values):
    best = 0
    for i, v in enumerate(values):
        if v > values[best]:
            best = i
    return best


def init_huang(X, k, rng):
    n, p = len(X), len(X[0])
    centroids = [[None] * p for _ in range(k)]
    for iattr in range(p):
        choices = sorted(row[iattr] for row in X)
        for ik in range(k):
            centroids[ik][iattr] = choices[rng.int(n)]
    for ik in range(k):
        d = matching_dissim(X, centroids[ik])
        ndx = list(np.argsort(np.array(d), kind="stable"))
        while any(X[ndx[0]] == c for c in centroids) and len(ndx) > 1:
            ndx.pop(0)
        centroids[ik] = list(X[ndx[0]])
    return centroids


def init_cao(X, k):
    n, p = len(X), len(X[0])
    dens = [0.0] * n
    for iattr in range(p):
        freq = defaultdict(int)
        for row in X:
            freq[row[iattr]] += 1
        for ipoint in range(n):
            dens[ipoint] += freq[X[ipoint][iattr]] / float(n) / float(p)
    centroids = [list(X[argmax(dens)])]
    for ik in range(1, k):
        dd = [matching_dissim(X, centroids[ikk]) for ikk in range(ik)]
        score = [min(dd[ikk][i] * dens[i] for ikk in range(ik)) for i in range(n)]
        centroids.append(list(X[argmax(score)]))
    return centroids


def _first_unique_rows(rows):
    seen, out = set(), []
    for r in rows:
        t = tuple(r)
        if t not in seen:
            seen.add(t)
            out.append(list(r))
    return out


def move_point_cat(point, ipoint, to_clust, from_clust, freq, memb, sizes, centroids):
    memb[ipoint] = to_clust
    sizes[to_clust] += 1
    sizes[from_clust] -= 1
    for iattr, curattr in enumerate(point):
        to_counts = freq[to_clust][iattr]
        from_counts = freq[from_clust][iattr]
        to_counts[curattr] += 1
        if to_counts[centroids[to_clust][iattr]] < to_counts[curattr]:
            centroids[to_clust][iattr] = curattr
        from_counts[curattr] -= 1
        if centroids[from_clust][iattr] == curattr:
            centroids[from_clust][iattr] = get_max_value_key(from_counts)


def kmodes_labels_cost(X, centroids):
    labels, cost = [], 0.0
    for x in X:
        d = matching_dissim(centroids, x)
        c = argmin(d)
        labels.append(c)
        cost += d[c]
    return labels, cost


def _refill(memb, sizes, rng):
    from_clust = argmax(sizes)
    choices = [i for i, c in enumerate(memb) if c == from_clust]
    return from_clust, choices[rng.int(len(choices))]


def k_modes_single(X, k, max_iter, init, rng):
    n, p = len(X), len(X[0])
    if init == "huang":
        centroids = init_huang(X, k, rng)
    elif init == "cao":
        centroids = init_cao(X, k)
    elif init == "random":
        centroids = [list(X[rng.int(n)]) for _ in range(k)]
    else:
        centroids = [list(r) for r in init]
    memb = [0] * n
    sizes = [0] * k
    freq = [[defaultdict(int) for _ in range(p)] for _ in range(k)]
    for ipoint, x in enumerate(X):
        c = argmin(matching_dissim(centroids, x))
        memb[ipoint] = c
        sizes[c] += 1
        for iattr, v in enumerate(x):
            freq[c][iattr][v] += 1
    for ik in range(k):
        for iattr in range(p):
            if sizes[ik] == 0:
                centroids[ik][iattr] = X[rng.int(n)][iattr]
            else:
                centroids[ik][iattr] = get_max_value_key(freq[ik][iattr])
    _, cost = kmodes_labels_cost(X, centroids)
    epoch_costs = [cost]
    itr, converged, labels = 0, False, None
    while itr < max_iter and not converged:
        itr += 1
        moves = 0
        for ipoint, x in enumerate(X):
            c = argmin(matching_dissim(centroids, x))
            if memb[ipoint] == c:
                continue
            moves += 1
            old = memb[ipoint]
            move_point_cat(x, ipoint, c, old, freq, memb, sizes, centroids)
            if sizes[old] == 0:
                from_clust, r = _refill(memb, sizes, rng)
                move_point_cat(X[r], r, old, from_clust, freq, memb, sizes, centroids)
        labels, ncost = kmodes_labels_cost(X, centroids)
        converged = moves == 0 or ncost >= cost
        epoch_costs.append(ncost)
        cost = ncost
    if labels is None:
        labels, _ = kmodes_labels_cost(X, centroids)
    return centroids, labels, cost, itr, epoch_costs


def k_modes(X, k, init, n_init, max_iter, seed):
    unique = _first_unique_rows(X)
    if len(unique) <= k:
        k, init, n_init, max_iter = len(unique), unique, 1, 0
    elif init == "cao" or not isinstance(init, str):
        n_init = 1
    master = Random(seed)
    seeds = [master.int(2147483647) for _ in range(n_init)]
    runs = [k_modes_single(X, k, max_iter, init, Random(s)) for s in seeds]
    return runs[argmin([r[2] for r in runs])]


def kproto_labels_cost(Xnum, Xcat, centroids, gamma):
    labels, cost = [], 0.0
    for xn, xc in zip(Xnum, Xcat):
        num = euclidean_dissim(centroids[0], xn)
        cat = matching_dissim(centroids[1], xc)
        tot = [a + gamma * b for a, b in zip(num, cat)]
        c = argmin(tot)
        labels.append(c)
        cost += tot[c]
    return labels, cost


def _mean_std(Xnum):
    n, d = len(Xnum), len(Xnum[0])
    mean, std = [], []
    for j in range(d):
        s = 0.0
        for i in range(n):
            s += Xnum[i][j]
        m = s / n
        v = 0.0
        for i in range(n):
            v += (Xnum[i][j] - m) ** 2
        mean.append(m)
        std.append(math.sqrt(v / n))
    return mean, std


def move_point_num(point, to_clust, from_clust, attr_sum, memb_sum):
    for iattr, v in enumerate(point):
        attr_sum[to_clust][iattr] += v
        attr_sum[from_clust][iattr] -= v
    memb_sum[to_clust] += 1
    memb_sum[from_clust] -= 1


def k_prototypes_single(Xnum, Xcat, k, max_iter, gamma, init, rng):
    n, dn, dc = len(Xnum), len(Xnum[0]), len(Xcat[0])
    tries = 0
    while True:
        tries += 1
        if init == "huang":
            cat = init_huang(Xcat, k, rng)
        elif init == "cao":
            cat = init_cao(Xcat, k)
        elif init == "random":
            cat = [list(Xcat[rng.int(n)]) for _ in range(k)]
        else:
            centroids = [[list(r) for r in init[0]], [list(r) for r in init[1]]]
        if isinstance(init, str):
            meanx, stdx = _mean_std(Xnum)
            num = [[meanx[a] + rng.normal() * stdx[a] for a in range(dn)] for _ in range(k)]
            centroids = [num, cat]
        memb = [0] * n
        sizes = [0] * k
        attr_sum = [[0.0] * dn for _ in range(k)]
        memb_sum = [0.0] * k
        freq = [[defaultdict(float) for _ in range(dc)] for _ in range(k)]
        for ipoint in range(n):
            nd = euclidean_dissim(centroids[0], Xnum[ipoint])
            cd = matching_dissim(centroids[1], Xcat[ipoint])
            c = argmin([a + gamma * b for a, b in zip(nd, cd)])
            memb[ipoint] = c
            sizes[c] += 1
            memb_sum[c] += 1
            for iattr, v in enumerate(Xnum[ipoint]):
                attr_sum[c][iattr] += v
            for iattr, v in enumerate(Xcat[ipoint]):
                freq[c][iattr][v] += 1
        if min(sizes) > 0:
            break
        if tries == MAX_INIT_TRIES:
            init = "random"
        elif tries == RAISE_INIT_TRIES:
            raise ValueError("could not initialize")
    for ik in range(k):
        for iattr in range(dn):
            centroids[0][ik][iattr] = attr_sum[ik][iattr] / memb_sum[ik]
        for iattr in range(dc):
            centroids[1][ik][iattr] = get_max_value_key(freq[ik][iattr])
    _, cost = kproto_labels_cost(Xnum, Xcat, centroids, gamma)
    epoch_costs = [cost]
    itr, converged, labels = 0, False, None
    while itr < max_iter and not converged:
        itr += 1
        moves = 0
        for ipoint in range(n):
            nd = euclidean_dissim(centroids[0], Xnum[ipoint])
            cd = matching_dissim(centroids[1], Xcat[ipoint])
            c = argmin([a + gamma * b for a, b in zip(nd, cd)])
            if memb[ipoint] == c:
                continue
            moves += 1
            old = memb[ipoint]
            move_point_num(Xnum[ipoint], c, old, attr_sum, memb_sum)
            move_point_cat(Xcat[ipoint], ipoint, c, old, freq, memb, sizes, centroids[1])
            for iattr in range(dn):
                for curc in (c, old):
                    if memb_sum[curc]:
                        centroids[0][curc][iattr] = attr_sum[curc][iattr] / memb_sum[curc]
                    else:
                        centroids[0][curc][iattr] = 0.0
            if not memb_sum[old]:
                from_clust, r = _refill(memb, sizes, rng)
                move_point_num(Xnum[r], old, from_clust, attr_sum, memb_sum)
                move_point_cat(Xcat[r], r, old, from_clust, freq, memb, sizes, centroids[1])
        labels, ncost = kproto_labels_cost(Xnum, Xcat, centroids, gamma)
        converged = moves == 0 or ncost >= cost
        epoch_costs.append(ncost)
        cost = ncost
    if labels is None:
        labels, _ = kproto_labels_cost(Xnum, Xcat, centroids, gamma)
    return centroids, labels, cost, itr, epoch_costs


def default_gamma_numpy(Xnum):
    """kmodes: gamma = 0.5 * np.mean(Xnum.std(axis=0))."""
    return float(0.5 * np.mean(np.asarray(Xnum, dtype=float).std(axis=0)))


def default_gamma(Xnum):
    _, std = _mean_std(Xnum)
    s = 0.0
    for v in std:
        s += v
    return 0.5 * (s / len(std))


def k_prototypes(Xnum, Xcat, k, init, n_init, max_iter, seed, gamma=None):
    unique = _first_unique_rows([list(a) + list(b) for a, b in zip(Xnum, Xcat)])
    dn = len(Xnum[0])
    if len(unique) <= k:
        k, max_iter, n_init = len(unique), 0, 1
        init = [[r[:dn] for r in unique], [r[dn:] for r in unique]]
    elif not isinstance(init, str):
        n_init = 1
    if gamma is None:
        gamma = default_gamma(Xnum)
    master = Random(seed)
    seeds = [master.int(2147483647) for _ in range(n_init)]
    runs = [k_prototypes_single(Xnum, Xcat, k, max_iter, gamma, init, Random(s)) for s in seeds]
    best = runs[argmin([r[2] for r in runs])]
    return best, gamma, k


# ---------------------------------------------------------------- Gower with numpy


def gower_numpy(columns, kinds, weights=None, ranges=None):
    """Full n x n Gower matrix. kinds[j] is "num" or "cat"; NaN / None are missing."""
    n = len(columns[0])
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    for j, (col, kind) in enumerate(zip(columns, kinds)):
        w = 1.0 if weights is None else float(weights[j])
        if kind == "num":
            x = np.array([np.nan if v is None else v for v in col], dtype=float)
            ok = ~np.isnan(x)
            r = (np.nanmax(x) - np.nanmin(x)) if ranges is None or ranges[j] is None else ranges[j]
            diff = np.abs(x[:, None] - x[None, :])
            d = diff / r if r > 0 else np.zeros((n, n))
        else:
            ok = np.array([v is not None for v in col])
            vals = np.array(["" if v is None else str(v) for v in col], dtype=object)
            d = (vals[:, None] != vals[None, :]).astype(float)
        valid = ok[:, None] & ok[None, :]
        num += np.where(valid, w * np.nan_to_num(d), 0.0)
        den += np.where(valid, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        D = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return D


def _nullable(a):
    return [None if (isinstance(v, float) and math.isnan(v)) else float(v) for v in a]


# ---------------------------------------------------------------- data


def _read(name):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _frame(header, body, spec):
    """spec: list of (name, "num"|"cat"); missing cells ("" or "NA") become None / NaN."""
    names, kinds, cols = [], [], []
    for name, kind in spec:
        j = header.index(name)
        raw = [r[j] for r in body]
        if kind == "num":
            cols.append([float("nan") if v in ("", "NA") else float(v) for v in raw])
        else:
            cols.append([None if v in ("", "NA") else v for v in raw])
        names.append(name)
        kinds.append(kind)
    return dict(names=names, kinds=kinds, columns=cols)


def _frame_json(f):
    return dict(
        names=f["names"],
        kinds=f["kinds"],
        columns=[_nullable(c) if k == "num" else c for c, k in zip(f["columns"], f["kinds"])],
    )


def _standardise(col):
    x = np.array(col, dtype=float)
    return list((x - x.mean()) / x.std())


def _planted():
    rng = np.random.RandomState(7)
    k, per, p, ncat = 3, 50, 8, 5
    protos = [[(c * 2 + j) % ncat for j in range(p)] for c in range(k)]
    rows, labels = [], []
    for c in range(k):
        for _ in range(per):
            rows.append([protos[c][j] if rng.rand() < 0.85 else int(rng.randint(ncat)) for j in range(p)])
            labels.append(c)
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    labels = [labels[i] for i in order]
    names = [f"a{j}" for j in range(p)]
    cols = [["v" + "pqrst"[r[j]] for r in rows] for j in range(p)]
    return dict(names=names, kinds=["cat"] * p, columns=cols), labels


def _small_random(seed, numeric):
    """Small random data sets on which runs empty a cluster mid-pass (found by search), so the
    refill from the largest cluster is exercised."""
    rng = np.random.RandomState(seed)
    if not numeric:
        n, p = int(rng.randint(8, 20)), int(rng.randint(2, 4))
        X = [[int(rng.randint(3)) for _ in range(p)] for _ in range(n)]
        k = int(rng.randint(3, 5))
        cols = [[f"c{X[i][j]}" for i in range(n)] for j in range(p)]
        return dict(names=[f"a{j}" for j in range(p)], kinds=["cat"] * p, columns=cols), k
    n, p = int(rng.randint(8, 20)), 2
    Xn = [float(rng.randint(5)) for _ in range(n)]
    Xc = [[int(rng.randint(3)) for _ in range(p)] for _ in range(n)]
    k = int(rng.randint(3, 5))
    cols = [Xn] + [[f"c{Xc[i][j]}" for i in range(n)] for j in range(p)]
    return dict(names=["x", "a0", "a1"], kinds=["num", "cat", "cat"], columns=cols), k


def _distinct_rows(X, k, seed):
    rng = np.random.RandomState(seed)
    for _ in range(1000):
        rows = rng.choice(len(X), size=k, replace=False)
        if len({tuple(X[r]) for r in rows}) == k:
            return [int(r) for r in rows]
    raise RuntimeError("no distinct rows")


def _kmodes_case(name, dataset, f, k, init, n_init=10, max_iter=100, seed=0, init_rows=None):
    X, cats = encode_features(f["columns"])
    if init == "rows":
        init = [list(X[r]) for r in init_rows]
    elif init == "dup":
        init = [list(X[r]) for r in init_rows]
    init_json = init if isinstance(init, str) else [[cats[j][c] for j, c in enumerate(row)] for row in init]
    cent, labels, cost, n_iter, epochs = k_modes(X, k, init, n_init, max_iter, seed)
    return dict(
        name=name,
        dataset=dataset,
        k=k,
        init=init_json,
        nInit=n_init,
        maxIter=max_iter,
        seed=seed,
        labels=[int(v) for v in labels],
        modes=[[cats[j][c] for j, c in enumerate(row)] for row in cent],
        cost=float(cost),
        nIter=int(n_iter),
        epochCosts=[float(c) for c in epochs],
    )


def _split(f):
    num = [c for c, k in zip(f["columns"], f["kinds"]) if k == "num"]
    cat = [c for c, k in zip(f["columns"], f["kinds"]) if k == "cat"]
    n = len(f["columns"][0])
    Xnum = [[col[i] for col in num] for i in range(n)]
    Xcat, cats = encode_features(cat)
    return Xnum, Xcat, cats


def _kproto_case(name, dataset, f, k, init, n_init=10, max_iter=100, seed=0, init_rows=None, gamma=None):
    Xnum, Xcat, cats = _split(f)
    if init == "rows":
        init = [[list(Xnum[r]) for r in init_rows], [list(Xcat[r]) for r in init_rows]]
    init_json = (
        init
        if isinstance(init, str)
        else dict(numeric=init[0], categorical=[[cats[j][c] for j, c in enumerate(r)] for r in init[1]])
    )
    (cent, labels, cost, n_iter, epochs), g, k_used = k_prototypes(Xnum, Xcat, k, init, n_init, max_iter, seed, gamma)
    return dict(
        name=name,
        dataset=dataset,
        k=k,
        kUsed=k_used,
        init=init_json,
        nInit=n_init,
        maxIter=max_iter,
        seed=seed,
        gammaOption=gamma,
        gamma=g,
        labels=[int(v) for v in labels],
        numericCentroids=[[float(v) for v in r] for r in cent[0]],
        categoricalCentroids=[[cats[j][c] for j, c in enumerate(r)] for r in cent[1]],
        cost=float(cost),
        nIter=int(n_iter),
        epochCosts=[float(c) for c in epochs],
    )


def build(_datasets):
    ph, pb = _read("penguins.csv")
    th, tb = _read("tips.csv")
    penguins_cat = _frame(ph, pb, [("species", "cat"), ("island", "cat"), ("sex", "cat")])
    tips_cat = _frame(th, tb, [("sex", "cat"), ("smoker", "cat"), ("day", "cat"), ("time", "cat")])
    planted, planted_labels = _planted()

    # k-prototypes data: penguins rows with all four measurements (sex may be missing: own category),
    # measurements standardised; tips with total_bill, tip and size standardised.
    pm_full = _frame(
        ph,
        pb,
        [
            ("bill_length_mm", "num"),
            ("bill_depth_mm", "num"),
            ("flipper_length_mm", "num"),
            ("body_mass_g", "num"),
            ("species", "cat"),
            ("island", "cat"),
            ("sex", "cat"),
        ],
    )
    keep = [i for i in range(len(pb)) if not any(math.isnan(pm_full["columns"][j][i]) for j in range(4))]
    penguins_mixed = dict(
        names=pm_full["names"],
        kinds=pm_full["kinds"],
        columns=[
            _standardise([c[i] for i in keep]) if kind == "num" else [c[i] for i in keep]
            for c, kind in zip(pm_full["columns"], pm_full["kinds"])
        ],
    )
    tm = _frame(
        th,
        tb,
        [("total_bill", "num"), ("tip", "num"), ("size", "num"), ("sex", "cat"), ("smoker", "cat"), ("day", "cat"), ("time", "cat")],
    )
    tips_mixed = dict(
        names=tm["names"],
        kinds=tm["kinds"],
        columns=[_standardise(c) if kind == "num" else c for c, kind in zip(tm["columns"], tm["kinds"])],
    )

    enc = {name: encode_features(f["columns"])[0] for name, f in
           [("penguinsCat", penguins_cat), ("tipsCat", tips_cat), ("plantedCat", planted)]}

    kmodes_cases = []
    for ds, f, ks in [("penguinsCat", penguins_cat, [3, 4]), ("tipsCat", tips_cat, [3, 5]), ("plantedCat", planted, [3, 4])]:
        for k in ks:
            rows = _distinct_rows(enc[ds], k, 10 + k)
            kmodes_cases.append(_kmodes_case(f"{ds}-k{k}-rows", ds, f, k, "rows", init_rows=rows))
            kmodes_cases.append(_kmodes_case(f"{ds}-k{k}-cao", ds, f, k, "cao"))
            kmodes_cases.append(_kmodes_case(f"{ds}-k{k}-huang", ds, f, k, "huang", n_init=4, seed=3))
            kmodes_cases.append(_kmodes_case(f"{ds}-k{k}-random", ds, f, k, "random", n_init=3, seed=5))
    # Two identical initial modes: the second gets no point, so its mode is drawn at random, and
    # iterations may empty clusters (refill from the largest cluster).
    rows = _distinct_rows(enc["plantedCat"], 3, 21)
    kmodes_cases.append(_kmodes_case("plantedCat-dupInit", "plantedCat", planted, 4, "dup", init_rows=rows + [rows[0]], seed=9))
    rows = _distinct_rows(enc["tipsCat"], 4, 22)
    kmodes_cases.append(_kmodes_case("tipsCat-dupInit", "tipsCat", tips_cat, 5, "dup", init_rows=rows + [rows[1]], seed=2))
    kmodes_cases.append(_kmodes_case("tipsCat-maxIter1", "tipsCat", tips_cat, 4, "huang", n_init=1, max_iter=1, seed=1))
    refill_cat, k_rc = _small_random(23, False)
    for init in ("huang", "random"):
        kmodes_cases.append(_kmodes_case(f"refillCat-{init}", "refillCat", refill_cat, k_rc, init, n_init=3, seed=23))
    # A single run whose pass empties a cluster (so the kept run is the repaired one).
    kmodes_cases.append(_kmodes_case("refillCat-random-single", "refillCat", refill_cat, k_rc, "random", n_init=1, seed=73))
    # No more distinct rows (20 in tips) than clusters.
    kmodes_cases.append(_kmodes_case("tipsCat-k25-unique", "tipsCat", tips_cat, 25, "cao"))

    Xn_p, Xc_p, _ = _split(penguins_mixed)
    Xn_t, Xc_t, _ = _split(tips_mixed)
    kproto_cases = []
    for ds, f, Xn, Xc, ks in [("penguinsMixed", penguins_mixed, Xn_p, Xc_p, [3, 4]), ("tipsMixed", tips_mixed, Xn_t, Xc_t, [3, 4])]:
        full = [list(a) + list(b) for a, b in zip(Xn, Xc)]
        for k in ks:
            rows = _distinct_rows(full, k, 30 + k)
            kproto_cases.append(_kproto_case(f"{ds}-k{k}-rows", ds, f, k, "rows", init_rows=rows))
            kproto_cases.append(_kproto_case(f"{ds}-k{k}-rows-gamma2", ds, f, k, "rows", init_rows=rows, gamma=2.0))
            kproto_cases.append(_kproto_case(f"{ds}-k{k}-cao", ds, f, k, "cao", n_init=3, seed=1))
            kproto_cases.append(_kproto_case(f"{ds}-k{k}-huang", ds, f, k, "huang", n_init=3, seed=4))
            kproto_cases.append(_kproto_case(f"{ds}-k{k}-random", ds, f, k, "random", n_init=2, seed=6))

    # Unscaled tips (default gamma is then not 0.5).
    tips_raw = dict(names=tm["names"], kinds=tm["kinds"], columns=tm["columns"])
    Xn_r, Xc_r, _ = _split(tips_raw)
    rows = _distinct_rows([list(a) + list(b) for a, b in zip(Xn_r, Xc_r)], 3, 40)
    kproto_cases.append(_kproto_case("tipsRaw-k3-rows", "tipsRaw", tips_raw, 3, "rows", init_rows=rows))
    kproto_cases.append(_kproto_case("tipsRaw-k3-huang", "tipsRaw", tips_raw, 3, "huang", n_init=2, seed=8))
    # One prototype far from every row: the initialisation leaves it empty, is retried 20 times, then
    # switches to "random" (numeric part drawn from the normal distribution).
    rows = _distinct_rows([list(a) + list(b) for a, b in zip(Xn_t, Xc_t)], 3, 41)
    far = [[list(Xn_t[r]) for r in rows] + [[50.0, 50.0, 50.0]], [list(Xc_t[r]) for r in rows] + [list(Xc_t[rows[0]])]]
    kproto_cases.append(_kproto_case("tipsMixed-farInit", "tipsMixed", tips_mixed, 4, far, seed=3))

    refill_mixed, k_rm = _small_random(10552, True)
    for init in ("huang", "random", "cao"):
        kproto_cases.append(
            _kproto_case(f"refillMixed-{init}", "refillMixed", refill_mixed, k_rm, init, n_init=3, seed=552, gamma=1.0)
        )
    refill_mixed1, k_rm1 = _small_random(10171, True)
    kproto_cases.append(
        _kproto_case("refillMixed1-random-single", "refillMixed1", refill_mixed1, k_rm1, "random", n_init=1, seed=11, gamma=1.0)
    )

    gamma_numpy = {
        "tipsRaw": default_gamma_numpy(Xn_r),
        "penguinsMixed": default_gamma_numpy(Xn_p),
        "tipsMixed": default_gamma_numpy(Xn_t),
    }

    # Gower: the first 60 penguins (row 3 has no measurements and no sex), all columns but year;
    # tips' first 50 rows with weights; one row of all penguins against the rest.
    g_spec = [
        ("species", "cat"),
        ("island", "cat"),
        ("bill_length_mm", "num"),
        ("bill_depth_mm", "num"),
        ("flipper_length_mm", "num"),
        ("body_mass_g", "num"),
        ("sex", "cat"),
    ]
    gp = _frame(ph, pb[:60], g_spec)
    gt = _frame(th, tb[:50], [("total_bill", "num"), ("tip", "num"), ("sex", "cat"), ("smoker", "cat"), ("day", "cat"), ("time", "cat"), ("size", "num")])
    gt_weights = [2.0, 1.0, 0.5, 1.0, 3.0, 0.0, 1.5]
    gall = _frame(ph, pb, g_spec)
    gower = []
    for name, f, w in [("penguins60", gp, None), ("tips50weighted", gt, gt_weights)]:
        D = gower_numpy(f["columns"], f["kinds"], w)
        iu = np.triu_indices(D.shape[0], 1)
        gower.append(dict(name=name, frame=_frame_json(f), weights=w, condensed=_nullable(D[iu])))
    D = gower_numpy(gall["columns"], gall["kinds"])
    gower_to = dict(frame=_frame_json(gall), rows={str(i): _nullable(D[i]) for i in (0, 3, 271)})

    rng = Random(42)
    random_check = dict(
        seed=42,
        uint32=[rng.uint32() for _ in range(5)],
        int7=[rng.int(7) for _ in range(5)],
        float=[rng.float() for _ in range(3)],
        normal=[rng.normal() for _ in range(5)],
    )

    return dict(
        datasets=dict(
            penguinsCat=_frame_json(penguins_cat),
            tipsCat=_frame_json(tips_cat),
            plantedCat=dict(_frame_json(planted), labelsTrue=planted_labels),
            penguinsMixed=_frame_json(penguins_mixed),
            tipsMixed=_frame_json(tips_mixed),
            tipsRaw=_frame_json(tips_raw),
            refillCat=_frame_json(refill_cat),
            refillMixed=_frame_json(refill_mixed),
            refillMixed1=_frame_json(refill_mixed1),
        ),
        kmodes=kmodes_cases,
        kprototypes=kproto_cases,
        gammaNumpy=gamma_numpy,
        gower=gower,
        gowerTo=gower_to,
        randomCheck=random_check,
    )
