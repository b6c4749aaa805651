"""Tests for SlidingWindowTransformer and frame_supervised (numpy only, no TensorFlow)."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from attn_sklearn import MASK_VALUE, SlidingWindowTransformer, frame_supervised
from attn_sklearn._masking import real_steps

# --------------------------------------------------------------------------- #
# SlidingWindowTransformer
# --------------------------------------------------------------------------- #


def test_windows_match_hand_computed_example():
    Xt = SlidingWindowTransformer(window=3).fit_transform(np.arange(5.0))
    M = MASK_VALUE
    expected = np.array([[M, M, 0], [M, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4]], dtype=float)
    assert Xt.shape == (5, 3, 1)
    assert Xt.dtype == np.float64
    assert not Xt.flags.writeable  # a view: consecutive windows share memory
    assert_array_equal(Xt[:, :, 0], expected)


@pytest.mark.parametrize("window", [1, 2, 4, 7, 12])
def test_padding_only_on_first_window_minus_one_rows(window):
    n_steps = 10
    X = np.arange(2.0 * n_steps).reshape(n_steps, 2)
    Xt = SlidingWindowTransformer(window=window).fit_transform(X)
    assert Xt.shape == (n_steps, window, 2)  # one output row per input row
    mask = real_steps(Xt)
    for i in range(n_steps):
        n_real = min(i + 1, window)
        # Padding is leading, whole-step and exactly as long as the missing history.
        assert_array_equal(mask[i], [False] * (window - n_real) + [True] * n_real)
        assert_array_equal(Xt[i, window - n_real :], X[i - n_real + 1 : i + 1])
    assert np.all(mask[window - 1 :])


def test_last_step_is_current_observation_and_no_look_ahead():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 3))
    trans = SlidingWindowTransformer(window=5).fit(X)
    Xt = trans.transform(X)
    assert_array_equal(Xt[:, -1, :], X)
    for i in [0, 3, 4, 17, 28]:
        X_future_changed = X.copy()
        X_future_changed[i + 1 :] = rng.normal(size=X_future_changed[i + 1 :].shape) + 100
        assert_array_equal(trans.transform(X_future_changed)[: i + 1], Xt[: i + 1])


def test_dataframe_and_series_input():
    df = pd.DataFrame({"load": np.arange(6.0), "temp": np.arange(6.0) * 10})
    trans = SlidingWindowTransformer(window=2).fit(df)
    assert trans.n_features_in_ == 2
    assert_array_equal(trans.feature_names_in_, ["load", "temp"])
    Xt = trans.transform(df)
    assert_array_equal(Xt, SlidingWindowTransformer(window=2).fit_transform(df.to_numpy()))
    assert_array_equal(Xt[5], [[4.0, 40.0], [5.0, 50.0]])

    Xs = SlidingWindowTransformer(window=2).fit_transform(pd.Series(np.arange(4.0)))
    assert Xs.shape == (4, 2, 1)
    assert_array_equal(Xs[3, :, 0], [2.0, 3.0])


def test_nan_allowed_and_passed_through():
    X = np.array([1.0, np.nan, 3.0])
    Xt = SlidingWindowTransformer(window=2).fit_transform(X)
    assert np.isnan(Xt[1, 1, 0]) and np.isnan(Xt[2, 0, 0])


def test_input_never_modified():
    X = np.arange(12.0).reshape(6, 2)
    X_copy = X.copy()
    X.setflags(write=False)  # any in-place write would raise
    Xt = SlidingWindowTransformer(window=3).fit(X).transform(X)
    assert_array_equal(X, X_copy)
    assert not np.shares_memory(Xt, X)


def test_n_features_mismatch_at_transform():
    trans = SlidingWindowTransformer(window=3).fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but SlidingWindowTransformer"):
        trans.transform(np.zeros((5, 3)))


@pytest.mark.parametrize("method", ["fit", "transform"])
def test_reserved_mask_value_rejected(method):
    X = np.zeros((4, 2))
    X_bad = X.copy()
    X_bad[2, 1] = MASK_VALUE
    trans = SlidingWindowTransformer(window=2)
    if method == "transform":
        trans.fit(X)
    with pytest.raises(ValueError, match="contains MASK_VALUE"):
        getattr(trans, method)(X_bad)


def test_inf_rejected():
    with pytest.raises(ValueError, match="infinity"):
        SlidingWindowTransformer(window=2).fit(np.array([1.0, np.inf, 2.0]))


@pytest.mark.parametrize("window", [0, -1, 1.5, "3", None])
def test_bad_window(window):
    with pytest.raises(ValueError, match="'window' parameter"):
        SlidingWindowTransformer(window=window).fit(np.arange(5.0))


def test_pipeline_clone_and_set_params():
    X = np.arange(20.0).reshape(10, 2)
    pipe = make_pipeline(StandardScaler(), SlidingWindowTransformer(window=3))
    Xt = pipe.fit_transform(X)
    assert Xt.shape == (10, 3, 2)
    assert_array_equal(Xt[:, -1, :], StandardScaler().fit_transform(X))

    cloned = clone(pipe)
    assert cloned.get_params()["slidingwindowtransformer__window"] == 3
    assert not hasattr(cloned[-1], "n_features_in_")

    # What a grid search does: set_params, then refit.
    cloned.set_params(slidingwindowtransformer__window=5)
    assert cloned.fit(X).transform(X).shape == (10, 5, 2)
    trans = SlidingWindowTransformer().set_params(window=5)
    assert trans.fit_transform(X).shape == (10, 5, 2)


def test_test_fold_starts_without_history():
    X = np.arange(10.0)
    trans = SlidingWindowTransformer(window=3).fit(X[:6])
    Xt_test = trans.transform(X[6:])
    assert not real_steps(Xt_test)[0, :2].any()  # nothing from the training fold
    assert_array_equal(Xt_test[2, :, 0], [6.0, 7.0, 8.0])


def test_history_fit_continues_the_fitted_rows_without_looking_ahead():
    series = np.arange(20.0).reshape(-1, 2)  # 10 rows, 2 features
    trans = SlidingWindowTransformer(window=4, history="fit").fit(series[:6])
    assert_array_equal(trans.history_, series[3:6])
    following = trans.transform(series[6:])
    # The windows of the following rows are those of the whole series at their positions.
    whole = SlidingWindowTransformer(window=4).fit_transform(series)
    assert_array_equal(following, whole[6:])
    assert real_steps(following).all()
    # Rows after a window, and fitted rows before the tail, never reach it.
    changed = series.copy()
    changed[:3] = -1.0
    changed[9] = 99.0
    refit = SlidingWindowTransformer(window=4, history="fit").fit(changed[:6])
    assert_array_equal(refit.transform(changed[6:])[:3], following[:3])


def test_history_fit_leaves_the_fitted_rows_own_windows_unpadded_by_history():
    X = np.arange(8.0)
    trans = SlidingWindowTransformer(window=3, history="fit")
    assert_array_equal(trans.fit_transform(X), SlidingWindowTransformer(window=3).fit_transform(X))


def test_history_fit_with_fewer_fitted_rows_than_the_window():
    trans = SlidingWindowTransformer(window=5, history="fit").fit(np.array([1.0, 2.0]))
    Xt = trans.transform(np.array([3.0]))
    assert_array_equal(real_steps(Xt)[0], [False, False, True, True, True])
    assert_array_equal(Xt[0, 2:, 0], [1.0, 2.0, 3.0])


def test_time_series_split_test_folds_get_their_training_history():
    from sklearn.model_selection import TimeSeriesSplit

    X = np.arange(30.0)
    whole = SlidingWindowTransformer(window=5).fit_transform(X)
    for train, test in TimeSeriesSplit(n_splits=3).split(X):
        trans = SlidingWindowTransformer(window=5, history="fit").fit(X[train])
        assert_array_equal(trans.transform(X[test]), whole[test])


def test_windows_built_from_too_few_rows_warn():
    X = np.arange(50.0)
    trans = SlidingWindowTransformer(window=24).fit(X[:40])
    with pytest.warns(UserWarning, match=r"1 of 1 windows hold more padding .* history='fit'"):
        trans.transform(X[-1:])
    trans.set_params(history="fit")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # full windows: nothing to say
        trans.transform(X[40:41])
        SlidingWindowTransformer(window=24).fit(X).transform(X)


# Rows depend on the rows before them (that is the point), and 1-D input is one
# feature rather than an error: these common checks assume the opposite.
_EXPECTED_FAILED_CHECKS = {
    "check_methods_sample_order_invariance": "each row depends on the preceding rows",
    "check_methods_subset_invariance": "each row depends on the preceding rows",
    "check_fit1d": "1-D input is accepted as a single feature",
    "check_fit2d_predict1d": "1-D input is accepted as a single feature",
}


@parametrize_with_checks(
    [SlidingWindowTransformer(window=3)],
    expected_failed_checks=lambda est: _EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# --------------------------------------------------------------------------- #
# frame_supervised
# --------------------------------------------------------------------------- #


def test_frame_univariate_hand_computed():
    X, y = frame_supervised(np.arange(6.0), window=3)
    assert_array_equal(X, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    assert_array_equal(y, [3, 4, 5])
    assert X.dtype == y.dtype == np.float64
    assert X.shape == (3, 3) and y.shape == (3,)


def test_frame_stride_and_horizon():
    X, y = frame_supervised(np.arange(10), window=3, horizon=2, stride=3)
    # starts 0, 3 (6 + 3 + 2 = 11 > 10 stops)
    assert_array_equal(X, [[0, 1, 2], [3, 4, 5]])
    assert_array_equal(y, [[3, 4], [6, 7]])
    X, y = frame_supervised(np.arange(10), window=2, stride=4)
    assert_array_equal(X, [[0, 1], [4, 5]])
    assert_array_equal(y, [2, 6])
    X, y = frame_supervised(np.arange(5), window=2, horizon=3)  # exactly fits once
    assert_array_equal(X, [[0, 1]])
    assert_array_equal(y, [[2, 3, 4]])


@pytest.mark.parametrize("window, horizon, stride", [(1, 1, 1), (4, 1, 1), (3, 4, 2), (7, 2, 5)])
def test_frame_no_look_ahead(window, horizon, stride):
    # With series = arange, every value equals its own time index.
    n_steps = 40
    series = np.column_stack([np.arange(n_steps), np.arange(n_steps)])
    X, y = frame_supervised(series, window, horizon=horizon, stride=stride, target=1)
    assert X.shape[1:] == (window, 2)
    y = y.reshape(len(y), horizon)
    assert np.all(y.min(axis=1) > X.max(axis=(1, 2)))
    # The first target is the step right after the window, targets are consecutive.
    assert_array_equal(y[:, 0], X[:, -1, 1] + 1)
    assert_array_equal(np.diff(y, axis=1), 1)
    assert_array_equal(X[:, 0, 0], np.arange(len(X)) * stride)
    assert len(X) == (n_steps - window - horizon) // stride + 1


def test_frame_multivariate_and_dataframe():
    values = np.arange(18.0).reshape(6, 3)
    df = pd.DataFrame(values, columns=["a", "b", "c"])
    X, y = frame_supervised(df, 2, target="c")
    X_np, y_np = frame_supervised(values, 2, target=2)
    assert_array_equal(X, X_np)
    assert_array_equal(y, y_np)
    assert X.shape == (4, 2, 3)
    assert not X.flags.writeable  # a view: overlapping windows share memory
    assert_array_equal(X[1], values[1:3])
    assert_array_equal(y, values[2:, 2])
    # An integer is a position, even for a DataFrame.
    assert_array_equal(frame_supervised(df, 2, target=0)[1], values[2:, 0])
    # A single-column 2-D series needs no target.
    X1, y1 = frame_supervised(values[:, :1], 2)
    assert X1.shape == (4, 2, 1)
    assert_array_equal(y1, values[2:, 0])


def test_frame_pandas_series():
    X, y = frame_supervised(pd.Series(np.arange(5), name="load"), 2, target=0)
    assert_array_equal(X, [[0, 1], [1, 2], [2, 3]])
    assert_array_equal(y, [2, 3, 4])


def test_frame_input_never_modified_and_fresh_output():
    series = np.arange(12.0).reshape(6, 2)
    copy = series.copy()
    series.setflags(write=False)
    X, y = frame_supervised(series, 2, horizon=2, target=0)
    assert_array_equal(series, copy)
    assert not np.shares_memory(X, series) and not np.shares_memory(y, series)
    assert not X.flags.writeable and y.flags.writeable  # X: a view over a private copy
    X = np.array(X)  # the documented way to a writable copy
    X[:] = -1
    y[:] = -1
    assert_array_equal(series, copy)

    df = pd.DataFrame(copy, columns=["a", "b"])
    X, _ = frame_supervised(df, 2, target="a")
    assert not np.shares_memory(X, df.to_numpy())
    X = np.array(X)
    X[:] = -1
    assert_array_equal(df.to_numpy(), copy)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"window": 0}, "window must be an integer >= 1; received window=0."),
        ({"window": 1.5}, "window must be an integer >= 1; received window=1.5."),
        ({"window": True}, "window must be an integer >= 1; received window=True."),
        ({"window": 2, "stride": 0}, "stride must be an integer >= 1; received stride=0."),
        ({"window": 2, "horizon": 0}, "horizon must be an integer >= 1; received horizon=0."),
        ({"window": 2, "horizon": -3}, "horizon must be an integer >= 1"),
    ],
)
def test_frame_bad_integer_params(kwargs, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        frame_supervised(np.arange(10.0), **kwargs)


@pytest.mark.parametrize(
    "series, target, error, match",
    [
        (np.zeros((10, 3)), None, ValueError, "target is required for a multivariate series"),
        (np.zeros((10, 3)), 3, ValueError, r"target must be a column index in \[0, 2\]"),
        (np.zeros((10, 3)), -1, ValueError, "target must be a column index"),
        (np.zeros((10, 3)), "a", TypeError, "target must be an integer column index"),
        (np.zeros((10, 3)), True, TypeError, "target must be an integer column index"),
        (pd.DataFrame(np.zeros((10, 2)), columns=["a", "b"]), "z", ValueError, "'z' was not"),
        (np.zeros(10), 1, ValueError, "target must be None or 0 for a univariate series"),
        (np.zeros(10), "a", ValueError, "target must be None or 0"),
    ],
)
def test_frame_bad_target(series, target, error, match):
    with pytest.raises(error, match=match):
        frame_supervised(series, 2, target=target)


@pytest.mark.parametrize(
    "series, window, error, match",
    [
        (np.arange(10.0), 11, ValueError, r"series has 10 steps but window \+ horizon = 12"),
        (np.array([1.0, np.nan, 3.0, 4.0]), 1, ValueError, "NaN or infinity at step 1"),
        (np.array([1.0, 2.0, 3.0, np.inf]), 1, ValueError, "NaN or infinity at step 3"),
        (np.array(["a", "b", "c"]), 1, TypeError, "series must be numeric"),
        (np.array([1 + 1j, 2j, 3.0]), 1, TypeError, "series must be numeric"),
        (np.array([1.0, "x", None], dtype=object), 1, TypeError, "series must be numeric"),
        (pd.DataFrame({"a": list("abcdef")}), 1, TypeError, "series must be numeric"),
        (np.zeros((4, 2, 2)), 1, ValueError, r"series must be 1-D .* shape \(4, 2, 2\)"),
        (np.float64(3.0), 1, ValueError, "series must be 1-D"),
        (np.array([]), 1, ValueError, "series must not be empty"),
    ],
)
def test_frame_bad_series(series, window, error, match):
    with pytest.raises(error, match=match):
        frame_supervised(series, window, target=0)
