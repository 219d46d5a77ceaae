"""Reference values for core/explain/ (the CART surrogate trees behind `decisionTreeRules`).

scikit-learn's DecisionTreeClassifier(criterion="gini", splitter="best", max_depth, min_samples_leaf)
on shared datasets: multiclass trees on iris, wine and blobsOverlap, and one-vs-rest trees (one class
against the others, as `decisionTreeRules` grows them). The TypeScript tests compare the root split
(feature and threshold), every node (in scikit-learn's depth-first order), the training accuracy
and the predictions. scikit-learn works in float32, so its thresholds are midpoints of float32
values: compare them with a relative tolerance of about 1e-6.
"""
import numpy as np
from sklearn.tree import DecisionTreeClassifier

CASES = [
    dict(name="iris-depth3", dataset="iris", max_depth=3, min_samples_leaf=1),
    dict(name="iris-depth2-leaf5", dataset="iris", max_depth=2, min_samples_leaf=5),
    dict(name="wine-depth3", dataset="wine", max_depth=3, min_samples_leaf=1),
    dict(name="blobsOverlap-depth3-leaf4", dataset="blobsOverlap", max_depth=3, min_samples_leaf=4),
    dict(name="iris-class1-vs-rest-depth3", dataset="iris", max_depth=3, min_samples_leaf=1, one_vs_rest=1),
    dict(name="wine-class2-vs-rest-depth3-leaf3", dataset="wine", max_depth=3, min_samples_leaf=3, one_vs_rest=2),
]


def build(datasets):
    cases = []
    for case in CASES:
        d = datasets[case["dataset"]]
        X = d["X"]
        y = d["labelsTrue"]
        if "one_vs_rest" in case:
            y = (y == case["one_vs_rest"]).astype(int)
        tree = DecisionTreeClassifier(
            criterion="gini",
            splitter="best",
            max_depth=case["max_depth"],
            min_samples_leaf=case["min_samples_leaf"],
            random_state=0,
        ).fit(X, y)
        t = tree.tree_
        nodes = []
        for i in range(t.node_count):
            leaf = t.children_left[i] == -1
            nodes.append(
                dict(
                    feature=-1 if leaf else int(t.feature[i]),
                    threshold=None if leaf else float(t.threshold[i]),
                    left=int(t.children_left[i]),
                    right=int(t.children_right[i]),
                    nSamples=int(t.n_node_samples[i]),
                    impurity=float(t.impurity[i]),
                )
            )
        pred = tree.predict(X)
        cases.append(
            dict(
                name=case["name"],
                dataset=case["dataset"],
                maxDepth=case["max_depth"],
                minSamplesLeaf=case["min_samples_leaf"],
                oneVsRest=case.get("one_vs_rest"),
                y=[int(v) for v in y],
                rootFeature=int(t.feature[0]),
                rootThreshold=float(t.threshold[0]),
                nodes=nodes,
                trainingAccuracy=float(np.mean(pred == y)),
                predictions=[int(v) for v in pred],
            )
        )
    return dict(trees=cases)
