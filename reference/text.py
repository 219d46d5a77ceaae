"""Reference values for core/text/ (TF-IDF and truncated SVD).

TF-IDF: scikit-learn's TfidfVectorizer on a small hand-written corpus that is tokenised here once
(`tokens`); the vectorizer gets a pass-through analyzer, so only the TF-IDF weighting is compared,
not the tokenizer. Several option sets cover smooth/unsmoothed idf, sublinear tf, binary, l1/l2/no
norm and min_df/max_df as counts (Python int) and proportions (Python float), and max_features.

SVD: TruncatedSVD(algorithm="arpack") on the default TF-IDF matrix of the corpus; Clusterlab's
randomized solver is compared with it (singular values, components up to the shared sign rule,
explained variance ratio).
"""
import collections
import re

from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

CORPUS = [
    "The cat sat on the mat. The cat purred.",
    "Dogs and cats are pets; a dog barks at the cat.",
    "My pet dog loves the park, and the park loves dogs.",
    "Cats sleep all day; the kitten sleeps on the mat too.",
    "Stock markets fell as investors sold shares.",
    "Investors bought shares when the market rose 3 percent.",
    "The central bank raised interest rates; markets and shares fell.",
    "Bank rates, interest and inflation worry investors in 2024.",
    "A café in Zürich serves coffee to tourists and investors.",
    "Naïve pets: the kitten and the puppy play in the park.",
    "Inflation, rates and the bank: a market story.",
    "The dog and the cat share the mat.",
]


def tokenize(text):
    """Lowercase, split on anything that is not a letter or digit, keep tokens of 2+ characters."""
    return [t for t in re.findall(r"[^\W_]+", text.lower()) if len(t) >= 2]


def _identity(doc):
    return doc


CASES = [
    dict(name="default", options={}, sk={}),
    dict(
        name="sublinear-mindf2-maxdf0.6",
        options=dict(sublinearTf=True, minDf=2, maxDf=0.6),
        sk=dict(sublinear_tf=True, min_df=2, max_df=0.6),
    ),
    dict(
        name="maxfeatures11-nosmooth",
        options=dict(maxFeatures=11, smoothIdf=False),
        sk=dict(max_features=11, smooth_idf=False),
    ),
    dict(name="nonorm-maxdf3", options=dict(norm=None, maxDf=3), sk=dict(norm=None, max_df=3)),
    dict(
        name="binary-l1-noidf",
        options=dict(binary=True, norm="l1", useIdf=False),
        sk=dict(binary=True, norm="l1", use_idf=False),
    ),
    dict(name="mindf0.2", options=dict(minDf=0.2), sk=dict(min_df=0.2)),
]


def build(_datasets):
    tokens = [tokenize(t) for t in CORPUS]
    cases = []
    for case in CASES:
        v = TfidfVectorizer(analyzer=_identity, **case["sk"])
        X = v.fit_transform(tokens)
        vocab = v.get_feature_names_out().tolist()
        cases.append(
            dict(
                name=case["name"],
                options=case["options"],
                vocabulary=vocab,
                idf=v.idf_.tolist() if v.use_idf else None,
                matrix=X.toarray().tolist(),
            )
        )
        if "max_features" in case["sk"]:
            # The cut must not fall inside a tie of total counts (scikit-learn's order among ties is unspecified).
            totals = sorted(collections.Counter(t for d in tokens for t in d).values(), reverse=True)
            m = case["sk"]["max_features"]
            assert totals[m - 1] > totals[m], "max_features cut falls in a tie"

    X = TfidfVectorizer(analyzer=_identity).fit_transform(tokens)
    svd_cases = []
    for k in (2, 4, 6):
        svd = TruncatedSVD(n_components=k, algorithm="arpack", random_state=0).fit(X)
        svd_cases.append(
            dict(
                nComponents=k,
                singularValues=svd.singular_values_.tolist(),
                components=svd.components_.tolist(),
                explainedVariance=svd.explained_variance_.tolist(),
                explainedVarianceRatio=svd.explained_variance_ratio_.tolist(),
                transform=svd.transform(X).tolist(),
            )
        )
    return dict(corpus=CORPUS, tokens=tokens, tfidf=cases, svd=svd_cases)
