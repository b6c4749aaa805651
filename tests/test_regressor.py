import pickle
import random
import subprocess
import sys
import threading
import time

import joblib
import keras
import numpy as np
import pytest
from sklearn.base import clone, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from attn_sklearn import MASK_VALUE, AttentionLSTMRegressor, SlidingWindowTransformer
from attn_sklearn.datasets import make_sine_wave


def test_is_a_regressor_with_sequence_tags():
    reg = AttentionLSTMRegressor()
    assert is_regressor(reg)
    tags = reg.__sklearn_tags__()
    assert tags.input_tags.three_d_array and tags.target_tags.multi_output


def test_fit_predict_explain_on_univariate_sequences(regression_data, fast_params):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    pred = reg.predict(X)
    assert pred.shape == (48,) and pred.dtype == np.float64
    assert reg.score(X, y) == pytest.approx(r2_score(y, pred))
    assert set(reg.history_) == {"loss", "val_loss", "learning_rate"}
    assert len(reg.history_["loss"]) == 2
    assert (reg.n_features_in_, reg.n_timesteps_in_, reg.n_step_features_in_) == (8, 8, 1)
    assert reg.score_from_ == "inputs"  # "auto", one value per step (classifiers: "states")
    weights = reg.explain(X)
    assert weights.shape == (48, 8)
    assert np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)


def test_multioutput_and_multivariate(fast_params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 3))
    y = np.column_stack([X[:, -1, 0], X[:, -2, 1] * 100])
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    assert reg.predict(X).shape == (40, 2)
    # Length-agnostic for 3-D input: other lengths predict and explain.
    assert reg.predict(X[:, :4]).shape == (40, 2)
    assert reg.explain(rng.normal(size=(5, 11, 3))).shape == (5, 11)


def test_explain_works_in_batches_for_many_rows(fast_params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 5))
    reg = AttentionLSTMRegressor(**fast_params).fit(X, X[:, 0])
    weights = reg.explain(rng.normal(size=(2500, 5)))
    assert weights.shape == (2500, 5)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)


def test_padding_is_invisible(regression_data, fast_params):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X[:, :, None], y)
    padded = np.concatenate([X[:, :, None], np.full((48, 5, 1), MASK_VALUE)], axis=1)
    np.testing.assert_allclose(
        reg.predict(padded), reg.predict(X[:, :, None]), rtol=1e-4, atol=1e-5
    )
    w_padded = reg.explain(padded)
    assert np.all(w_padded[:, 8:] == 0)
    np.testing.assert_allclose(w_padded[:, :8], reg.explain(X[:, :, None]), rtol=1e-4, atol=1e-6)


def test_same_random_state_same_predictions_and_no_global_side_effects(regression_data):
    X, y = regression_data
    np.random.seed(123)  # noqa: NPY002 -- the legacy global state is what we check
    random.seed(123)
    np_state, py_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    params = {"units": 4, "epochs": 3, "dropout": 0.2, "random_state": 7}
    first = AttentionLSTMRegressor(**params).fit(X, y).predict(X)
    second = AttentionLSTMRegressor(**params).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    other = AttentionLSTMRegressor(**{**params, "random_state": 8}).fit(X, y).predict(X)
    assert not np.allclose(first, other)
    assert np.array_equal(np.random.get_state()[1], np_state[1])  # noqa: NPY002
    assert random.getstate() == py_state
    from tensorflow.python.framework import config as tf_config

    assert not tf_config.is_op_determinism_enabled()


def test_fit_is_reproducible_while_another_thread_uses_global_random_state(regression_data):
    # Dask workers, web servers and notebooks draw from Python's and NumPy's global
    # generators in other threads; a seeded fit must not depend on them.
    X, y = regression_data
    params = {"units": 3, "epochs": 2, "dropout": 0.2, "bidirectional": True, "random_state": 0}
    expected = AttentionLSTMRegressor(**params).fit(X, y).predict(X)
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.random()
            np.random.random()  # noqa: NPY002 -- the global generator is the point
            time.sleep(1e-4)

    thread = threading.Thread(target=draw)
    thread.start()
    try:
        concurrent = AttentionLSTMRegressor(**params).fit(X, y).predict(X)
    finally:
        stop.set()
        thread.join()
    np.testing.assert_array_equal(concurrent, expected)


def test_clone_and_set_params_keep_every_parameter():
    reg = AttentionLSTMRegressor(
        units=5, n_layers=2, dropout=0.1, learning_rate=0.01, patience=None
    )
    assert clone(reg).get_params() == reg.get_params()
    reg.set_params(units=7, attention="linear")
    assert clone(reg).get_params()["units"] == 7
    assert clone(reg).get_params()["attention"] == "linear"


def test_pickle_and_joblib_round_trip_in_a_fresh_process(regression_data, fast_params, tmp_path):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    expected = reg.predict(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reg)).predict(X), expected)
    joblib.dump(reg, tmp_path / "reg.joblib")
    with open(tmp_path / "reg.pkl", "wb") as f:
        pickle.dump(reg, f)
    np.save(tmp_path / "X.npy", X)
    script = (
        "import pickle, joblib, numpy as np, sys\n"
        f"X = np.load({str(tmp_path / 'X.npy')!r})\n"
        f"a = joblib.load({str(tmp_path / 'reg.joblib')!r}).predict(X)\n"
        f"b = pickle.load(open({str(tmp_path / 'reg.pkl')!r}, 'rb')).predict(X)\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, np.stack([a, b]))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    out = np.load(tmp_path / "out.npy")
    np.testing.assert_array_equal(out[0], expected)
    np.testing.assert_array_equal(out[1], expected)


def test_grid_search_over_window_in_a_time_series_pipeline():
    series = make_sine_wave(160, random_state=0).reshape(-1, 1)
    X, y = series[:-1], series[1:, 0]
    pipe = make_pipeline(
        StandardScaler(),
        SlidingWindowTransformer(window=6),
        AttentionLSTMRegressor(units=4, epochs=2, random_state=0),
    )
    # Two windows are what the search must tell apart, on one time-ordered split (the
    # last of TimeSeriesSplit(2)); the one units value (not the pipeline's 4) checks that
    # the estimator's parameter is set through the pipeline too.
    search = GridSearchCV(
        pipe,
        {"slidingwindowtransformer__window": [4, 8], "attentionlstmregressor__units": [3]},
        cv=list(TimeSeriesSplit(2).split(X))[-1:],
    )
    search.fit(X, y)
    assert set(search.best_params_) == {
        "slidingwindowtransformer__window",
        "attentionlstmregressor__units",
    }
    assert search.predict(X).shape == y.shape
    best = search.best_estimator_[-1]
    assert best.units == 3
    assert best.n_timesteps_in_ == search.best_params_["slidingwindowtransformer__window"]


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        AttentionLSTMRegressor().predict(np.zeros((2, 3)))
    with pytest.raises(NotFittedError):
        AttentionLSTMRegressor().explain(np.zeros((2, 3)))


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        (np.zeros(5), np.zeros(5), "Expected 2D array"),
        (
            np.zeros((4, 3, 2, 1)),
            np.zeros(4),
            r"2-D \(n_samples, n_timesteps\).*shape \(4, 3, 2, 1\)",
        ),
        (np.zeros((4, 3)), np.zeros(5), "inconsistent numbers of samples"),
        (np.zeros((0, 3)), np.zeros(0), "0 sample"),
        (np.array([["a", "b"], ["c", "d"]]), np.zeros(2), "could not convert|numeric"),
        (np.array([[1.0, np.nan], [1.0, 2.0]]), np.zeros(2), r"NaN or infinity.*X\[0, 1\]"),
        (np.array([[1.0, np.inf], [1.0, 2.0]]), np.zeros(2), "NaN or infinity"),
        (np.zeros((2, 3)), np.array([1.0, np.nan]), "y contains NaN"),
        (np.zeros((2, 3)), np.zeros((2, 1, 1)), "y"),
        (np.full((2, 3), MASK_VALUE), np.zeros(2), r"X\[0\] has no real time steps"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, match, fast_params):
    X_before = X.copy()
    with pytest.raises(ValueError, match=match):
        AttentionLSTMRegressor(**fast_params).fit(X, y)
    np.testing.assert_array_equal(X, X_before)


def test_partial_padding_in_a_step_is_rejected(fast_params):
    X = np.zeros((3, 4, 2))
    X[1, 2, 0] = MASK_VALUE
    with pytest.raises(ValueError, match=r"X\[1, 2\] mixes the padding marker"):
        AttentionLSTMRegressor(**fast_params).fit(X, np.zeros(3))


def test_shape_changes_at_predict_are_rejected(regression_data, fast_params):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    with pytest.raises(
        ValueError, match="X has 5 features, but AttentionLSTMRegressor is expecting 8"
    ):
        reg.predict(X[:, :5])
    reg3 = AttentionLSTMRegressor(**fast_params).fit(np.stack([X, X], axis=-1), y)
    with pytest.raises(ValueError, match=r"3 features per time step.*fitted with 2"):
        reg3.predict(np.zeros((2, 8, 3)))


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("units", 0),
        ("n_layers", 1.5),
        ("dropout", 1.0),
        ("attention", "bogus"),
        ("learning_rate", -1.0),
        ("epochs", 0),
        ("batch_size", "32"),
        ("validation_fraction", 1.0),
        ("patience", 0),
        ("patience", "soon"),
        ("validation_fraction", "auto"),  # "auto" is the classifiers': it counts classes
    ],
)
def test_invalid_hyperparameters_are_named(param, value, regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match=f"'{param}' parameter of AttentionLSTMRegressor must be"):
        AttentionLSTMRegressor(**{param: value}).fit(X, y)


def test_fit_does_not_modify_inputs(regression_data, fast_params):
    X, y = regression_data
    X32 = X.astype(np.float32)
    X_before, y_before = X32.copy(), y.copy()
    AttentionLSTMRegressor(**fast_params).fit(X32, y).predict(X32)
    np.testing.assert_array_equal(X32, X_before)
    np.testing.assert_array_equal(y, y_before)


class _FirstEpochLooksBest(keras.callbacks.Callback):
    """Rewrites the validation loss so that epoch 0 scores best and every later epoch worse."""

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = 0.0 if epoch == 0 else float(epoch)


def test_early_stopping_never_keeps_the_first_patience_epochs(regression_data):
    # A hold-out of a few rows can score the untrained first epoch best. Early
    # stopping watches from epoch `patience` on: it picks epoch `patience` (the
    # best it saw) and stops `patience` epochs later, instead of stopping at
    # epoch `patience` and restoring epoch 0.
    X, y = regression_data
    reg = AttentionLSTMRegressor(
        units=4, epochs=20, patience=3, callbacks=[_FirstEpochLooksBest()], random_state=0
    )
    reg.fit(X, y)
    assert len(reg.history_["loss"]) == 2 * 3 + 1


@pytest.mark.parametrize(("n_rows", "expected"), [(40, 15), (400, 5)])
def test_auto_patience_counts_gradient_steps(n_rows, expected):
    # 10 % held out, batches of 4: 9 batches an epoch wait 15 epochs (the cap);
    # 90 batches an epoch would wait 4 (350 steps), raised to the floor of 5.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(n_rows, 3)), rng.normal(size=n_rows)
    reg = AttentionLSTMRegressor(
        units=2,
        epochs=40,
        batch_size=4,
        patience="auto",
        callbacks=[_FirstEpochLooksBest()],
        random_state=0,
    ).fit(X, y)
    assert reg.patience_ == expected
    # Early stopping used it: it watched from epoch patience_ and stopped patience_ later.
    assert len(reg.history_["loss"]) == 2 * expected + 1


def test_fixed_patience_and_hold_out_are_kept_as_given(regression_data, fast_params):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    assert reg.patience_ == 15 and reg.validation_fraction_ == fast_params.get(
        "validation_fraction", 0.1
    )
    assert AttentionLSTMRegressor(**{**fast_params, "patience": None}).fit(X, y).patience_ is None
