"""How a classifier's labels become network targets, and its outputs labels again."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin


class _LabelEncoder(TransformerMixin, BaseEstimator):
    """Map labels to network targets, and network outputs back to labels or probabilities.

    ``one_vs_rest``: one sigmoid output per class, trained on one-hot targets;
    otherwise one sigmoid (two classes) or a softmax over the classes.
    """

    def __init__(self, classes, one_vs_rest=False):
        self.classes = classes
        self.one_vs_rest = one_vs_rest

    def fit(self, y):
        return self

    def transform(self, y):
        indices = np.searchsorted(self.classes, y)
        if self.one_vs_rest:
            return np.eye(len(self.classes), dtype=np.float32)[indices]
        if len(self.classes) == 2:
            return indices.astype(np.float32).reshape(-1, 1)
        return indices.astype(np.int32)

    def inverse_transform(self, outputs, return_proba=False):
        outputs = np.asarray(outputs, dtype=np.float64)
        if self.one_vs_rest:
            # Each output is P(this class | x) against the rest; with exactly one class true,
            # the class probabilities are proportional to the odds p / (1 - p).
            p = np.clip(outputs, 1e-7, 1 - 1e-7)
            odds = p / (1 - p)
            proba = odds / odds.sum(axis=1, keepdims=True)
        elif len(self.classes) == 2:
            proba = np.hstack([1.0 - outputs, outputs])
        else:
            proba = outputs / outputs.sum(axis=1, keepdims=True)
        if return_proba:
            return proba
        return self.classes[np.argmax(proba, axis=1)]


def _class_indices(targets):
    """Class index of each row of encoded targets (one-hot, a 0/1 column, or indices)."""
    targets = np.asarray(targets)
    if targets.ndim == 2 and targets.shape[1] > 1:
        return targets.argmax(axis=1)
    return targets.ravel().astype(int)
