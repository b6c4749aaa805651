"""The mistakes new users make get errors that say what went wrong and what to do."""

import numpy as np
import pandas as pd
import pytest

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    SequenceScaler,
    SlidingWindowTransformer,
)

FAST = {"units": 4, "epochs": 1, "random_state": 0}
FRAME = pd.DataFrame({"sales": [1.0, 2.0, 3.0, 4.0], "city": list("ABAB")})


@pytest.mark.parametrize(
    "step",
    [SlidingWindowTransformer(2), AttentionLSTMRegressor(**FAST), SequenceScaler()],
    ids=lambda step: type(step).__name__,
)
def test_a_string_column_is_named(step):
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) \['city'\].*OneHotEncoder"):
        step.fit(FRAME, np.arange(4.0))


@pytest.mark.parametrize(
    "X", [[np.ones(3), np.ones(5)], np.array([np.ones(3), np.ones(5)], dtype=object)]
)
def test_ragged_sequences_point_to_the_padder(X):
    with pytest.raises(ValueError, match=r"different lengths.*SequencePadder"):
        AttentionLSTMClassifier(**FAST).fit(X, [0, 1])


@pytest.mark.parametrize(
    "y", [[0, np.nan, 1, 0], np.array(["a", None, "b", "a"], dtype=object)], ids=["float", "str"]
)
def test_a_missing_label_names_y_and_the_row(y):
    X = np.zeros((4, 5))
    with pytest.raises(ValueError, match=r"y contains 1 missing label.*y\[1\]"):
        AttentionLSTMClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="y contains NaN"):
        AttentionLSTMRegressor(**FAST).fit(X, [0.0, np.nan, 1.0, 0.0])


def test_a_misspelt_parameter_names_the_public_class():
    with pytest.raises(TypeError, match=r"AttentionLSTMRegressor\.__init__\(\).*'untis'"):
        AttentionLSTMRegressor(untis=4)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "explain", "save"])
def test_every_method_before_fit_says_not_fitted(method):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        getattr(AttentionLSTMClassifier(), method)(np.zeros((2, 3)))
