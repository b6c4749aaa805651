"""Overlapping windows stay views of their series through validation, training and inference."""

import re
import tracemalloc

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    SlidingWindowTransformer,
    frame_supervised,
)
from attn_sklearn._masking import real_steps
from attn_sklearn._windows import window_layout

SMALL = dict(units=4, epochs=2, batch_size=16, random_state=0)


def _windows(series, window, hop=1):
    """Read-only windows ``(n, window, n_features)`` of a 2-D series, ``hop`` apart."""
    return sliding_window_view(series, window, axis=0)[::hop].transpose(0, 2, 1)


@pytest.fixture(scope="module")
def series():
    return np.random.default_rng(0).normal(size=(240, 3)).cumsum(axis=0)


def test_window_layout_finds_overlapping_views_only(series):
    view = _windows(series, 10, hop=3)
    found, hop = window_layout(view)
    assert hop == 3 and np.shares_memory(found, series)
    np.testing.assert_array_equal(found, series[: 3 * (len(view) - 1) + 10])
    assert window_layout(np.ascontiguousarray(view)) is None  # a copy
    assert window_layout(_windows(series, 4, hop=4)) is None  # no overlap: nothing to save
    assert window_layout(np.broadcast_to(series[:5], (7, 5, 3))) is None  # one row repeated
    assert window_layout(_windows(series, 10)[::-1]) is None  # reversed order
    assert window_layout(series) is None  # 2-D


@pytest.mark.parametrize("estimator", [AttentionLSTMRegressor, AttentionLSTMClassifier])
def test_fitting_on_a_view_equals_fitting_on_a_copy(series, estimator):
    X = SlidingWindowTransformer(window=12).fit_transform(series)
    y = series[:, 0] if estimator is AttentionLSTMRegressor else (series[:, 0] > 0).astype(int)
    weights = np.where(np.arange(len(y)) % 7 == 0, 0.0, 1.0)  # some rows left out
    params = dict(**SMALL, validation_fraction=0.25, patience=3)
    on_view = estimator(**params).fit(X, y, sample_weight=weights)
    on_copy = estimator(**params).fit(np.array(X), y, sample_weight=weights)
    assert on_view.history_ == on_copy.history_
    np.testing.assert_array_equal(on_view.predict(X), on_copy.predict(np.array(X)))
    np.testing.assert_array_equal(on_view.explain(X), on_copy.explain(np.array(X)))
    assert on_view.explain(X, as_frame=True).equals(on_copy.explain(np.array(X), as_frame=True))


@pytest.mark.parametrize("univariate", [True, False])
def test_framed_windows_with_a_stride_train_as_their_copies(series, univariate):
    X, y = frame_supervised(series[:, 0] if univariate else series, 8, stride=3, target=0)
    assert window_layout(X[..., np.newaxis] if univariate else X) is not None
    on_view = AttentionLSTMRegressor(**SMALL).fit(X, y)
    on_copy = AttentionLSTMRegressor(**SMALL).fit(np.array(X), y)
    np.testing.assert_array_equal(on_view.predict(X), on_copy.predict(np.array(X)))


def test_real_steps_of_a_view_are_a_view(series):
    X = SlidingWindowTransformer(window=20).fit_transform(series)
    real = real_steps(X)
    np.testing.assert_array_equal(real, real_steps(np.array(X)))
    assert real.base is not None and real.nbytes > 4 * len(series)  # a view, not its own array


def _error(fit, X):
    with pytest.raises(ValueError) as info:
        fit(X)
    return str(info.value)


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.__setitem__((30, 1), np.nan),  # NaN in a real step
        lambda s: s.__setitem__((50, 0), MASK_VALUE),  # partially padded step
        lambda s: s.__setitem__(slice(0, 12), MASK_VALUE),  # a window of padding only
    ],
    ids=["nan", "partial-padding", "empty-window"],
)
def test_a_view_is_rejected_with_the_same_message_as_its_copy(series, damage):
    damaged = series.copy()
    damage(damaged)
    view = _windows(damaged, 12, hop=2)
    y = np.zeros(len(view))
    fit = lambda X: AttentionLSTMRegressor(**SMALL).fit(X, y)  # noqa: E731
    message = _error(fit, view)
    assert message == _error(fit, np.array(view))
    assert re.search(r"X\[\d+", message)


def _peak_python_memory(window, series):
    X = SlidingWindowTransformer(window=window).fit_transform(series)
    reg = AttentionLSTMRegressor(units=2, epochs=1, batch_size=512, validation_fraction=0.1)
    tracemalloc.start()
    try:
        reg.fit(X, series[:, 0]).predict(X)
        return tracemalloc.get_traced_memory()[1]  # NumPy's and Python's, not TensorFlow's
    finally:
        tracemalloc.stop()


def test_training_on_a_view_never_holds_the_windows_in_memory():
    series = np.random.default_rng(0).normal(size=(4_000, 4))
    short, long = _peak_python_memory(25, series), _peak_python_memory(400, series)
    # Materialised, the longer windows would take 24 MB more in float32; what may grow
    # is a prediction batch (256 windows, 1.6 MB at 400 steps) and its copies.
    materialised_growth = len(series) * (400 - 25) * 4 * np.dtype(np.float32).itemsize
    assert long - short < materialised_growth / 4, (short, long, materialised_growth)
