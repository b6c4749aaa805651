"""Property-based bad-input tests: every estimator and transformer answers bad data with a
clear ValueError/TypeError raised by our (or scikit-learn's) validation, never an error
from inside TensorFlow or Keras, never a silent result, and never a modified input."""

import traceback

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    SequenceMasker,
    SequencePadder,
    SequenceScaler,
    SlidingWindowTransformer,
    frame_supervised,
)

FAST = {"units": 2, "epochs": 1, "random_state": 0}
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # CI sees the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_clear_rejection(call, *inputs):
    """``call()`` raises ValueError/TypeError from outside TF/Keras and leaves inputs unchanged."""
    before = [np.array(x, copy=True) if isinstance(x, np.ndarray) else x for x in inputs]
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    origin = traceback.extract_tb(info.value.__traceback__)[-1].filename
    assert "tensorflow" not in origin and "/keras/" not in origin, origin
    assert str(info.value)
    for x, x_before in zip(inputs, before, strict=True):
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, x_before)


valid_3d = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 6), st.integers(1, 5), st.integers(1, 3)),
    elements=st.floats(-10, 10),
)


@st.composite
def corrupted_3d(draw):
    """A valid 3-D array with one real value replaced by NaN, +inf or -inf."""
    X = draw(valid_3d)
    index = tuple(draw(st.integers(0, n - 1)) for n in X.shape)
    X[index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return X


@st.composite
def partially_padded_3d(draw):
    X = draw(valid_3d.filter(lambda a: a.shape[2] > 1))
    sample, step = draw(st.integers(0, X.shape[0] - 1)), draw(st.integers(0, X.shape[1] - 1))
    X[sample, step, 0] = MASK_VALUE
    return X


wrong_ndim = st.one_of(
    hnp.arrays(np.float64, st.integers(2, 6)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=4, max_dims=5, max_side=3)),
)
strings = hnp.arrays(
    np.dtype("U3"),
    st.tuples(st.integers(2, 5), st.integers(1, 4)),
    elements=st.text(alphabet="abcxyz", min_size=1, max_size=3),
)


@pytest.fixture(scope="module", params=[AttentionLSTMRegressor, AttentionLSTMClassifier])
def fitted(request):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 5, 2))
    y = rng.normal(size=12) if request.param is AttentionLSTMRegressor else np.arange(12) % 2
    return request.param(**FAST).fit(X, y)


def _target(estimator_cls, n):
    return np.arange(n) % 2 if estimator_cls is AttentionLSTMClassifier else np.linspace(0, 1, n)


@pytest.mark.parametrize("estimator_cls", [AttentionLSTMRegressor, AttentionLSTMClassifier])
@PROPERTY
@given(X=st.one_of(corrupted_3d(), partially_padded_3d(), wrong_ndim, strings))
def test_fit_rejects_bad_X(estimator_cls, X):
    y = _target(estimator_cls, len(X))
    assert_clear_rejection(lambda: estimator_cls(**FAST).fit(X, y), X, y)


@pytest.mark.parametrize("estimator_cls", [AttentionLSTMRegressor, AttentionLSTMClassifier])
@PROPERTY
@given(X=valid_3d, extra=st.integers(1, 3))
def test_fit_rejects_mismatched_lengths(estimator_cls, X, extra):
    y = _target(estimator_cls, len(X) + extra)
    assert_clear_rejection(lambda: estimator_cls(**FAST).fit(X, y), X, y)


@PROPERTY
@given(X=st.one_of(corrupted_3d(), partially_padded_3d(), wrong_ndim, strings, valid_3d))
def test_predict_and_explain_reject_bad_X(fitted, X):
    if X.ndim == 3 and X.shape[2] == 2 and np.isfinite(X).all():
        return  # a valid input: nothing to reject
    for method in (fitted.predict, fitted.explain):
        assert_clear_rejection(lambda method=method: method(X), X)


@PROPERTY
@given(y=st.one_of(st.just(np.zeros(6)), st.just(np.array([1.0, 2.0, 3.0, 4.5, 5.5, 6.5]))))
def test_classifier_rejects_one_class_and_continuous_targets(y):
    X = np.random.default_rng(0).normal(size=(6, 4))
    assert_clear_rejection(lambda: AttentionLSTMClassifier(**FAST).fit(X, y), X, y)


@PROPERTY
@given(
    y=hnp.arrays(
        np.float64, st.integers(2, 6), elements=st.sampled_from([np.nan, np.inf, 1.0])
    ).filter(lambda a: not np.isfinite(a).all())
)
def test_regressor_rejects_non_finite_targets(y):
    X = np.random.default_rng(0).normal(size=(len(y), 4))
    assert_clear_rejection(lambda: AttentionLSTMRegressor(**FAST).fit(X, y), X, y)


@PROPERTY
@given(
    lengths=st.lists(st.integers(0, 4), min_size=1, max_size=5),
    features=st.lists(st.integers(1, 3), min_size=1, max_size=5),
)
def test_padder_rejects_empty_or_mixed_sequences(lengths, features):
    sequences = [np.ones((n, f)) for n, f in zip(lengths, features, strict=False)]
    if all(n > 0 for n in lengths[: len(sequences)]) and len(set(features[: len(sequences)])) == 1:
        return  # a valid collection
    assert_clear_rejection(lambda: SequencePadder().fit_transform(sequences), *sequences)


@pytest.mark.parametrize(
    "transformer", [SequenceScaler(), SequenceMasker(), SlidingWindowTransformer(window=3)]
)
@PROPERTY
@given(X=st.one_of(wrong_ndim, strings))
def test_transformers_reject_bad_shapes_and_dtypes(transformer, X):
    if isinstance(transformer, SlidingWindowTransformer) and X.ndim == 1 and X.dtype.kind == "f":
        return  # a univariate series is valid input for windows
    assert_clear_rejection(lambda: transformer.fit_transform(X), X)


@PROPERTY
@given(n_steps=st.integers(1, 12), window=st.integers(1, 8), horizon=st.integers(1, 6))
def test_frame_supervised_rejects_series_too_short(n_steps, window, horizon):
    series = np.arange(float(n_steps))
    if n_steps >= window + horizon:
        X, y = frame_supervised(series, window, horizon=horizon)
        assert len(X) == len(y) == n_steps - window - horizon + 1
        return
    assert_clear_rejection(lambda: frame_supervised(series, window, horizon=horizon), series)
