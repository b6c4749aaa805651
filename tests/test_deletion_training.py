"""The classifier's deletion penalty: when it is on, what it trains, and what it leaves alone."""

import numpy as np
import pytest

from attn_sklearn import MASK_VALUE, AttentionLSTMClassifier, load
from attn_sklearn._deletion_training import (
    DeletionTrainer,
    _blend,
    _uncertainty_loss,
    deletion_trainer,
)
from attn_sklearn._layers_scaling import real_flags


def _data(n=48, n_steps=6, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_steps, n_features)).astype("float32")
    return X, np.where(X[:, 2, 0] > 0, "up", "down")


def _small(**kwargs):
    return AttentionLSTMClassifier(units=4, epochs=3, random_state=0, **kwargs)


@pytest.mark.parametrize(
    ("shape", "kwargs", "expected"),
    [
        ((48, 6, 3), {}, 1.0),  # several values per step: input scores
        ((48, 6), {}, 0.0),  # univariate: state scores
        ((48, 6, 1), {}, 0.0),
        ((48, 6), {"score_from": "inputs"}, 1.0),
        ((48, 6, 3), {"score_from": "states"}, 0.0),
        ((48, 6, 3), {"patch_size": 2}, 0.0),
        ((48, 6), {"deletion_penalty": 0.5}, 0.5),
        ((48, 6, 3), {"deletion_penalty": 0}, 0.0),
        ((48, 6, 3), {"attention": "none"}, 0.0),
        ((48, 6, 3), {"attention": "multihead"}, 1.0),
    ],
)
def test_auto_is_on_where_the_weights_score_each_steps_own_input(shape, kwargs, expected):
    X, y = _data()
    clf = _small(**kwargs).fit(X[..., : shape[2]] if len(shape) == 3 else X[..., 0], y)
    assert clf.deletion_penalty_ == expected
    assert isinstance(deletion_trainer(clf), DeletionTrainer) == (expected > 0)


def test_the_fitted_network_is_the_plain_network_and_round_trips(tmp_path):
    X, y = _data()
    clf = _small(class_weight="balanced").fit(X, y, sample_weight=np.linspace(0.5, 1.5, len(y)))
    assert not isinstance(clf.model_, DeletionTrainer)
    assert set(clf.history_) >= {"loss"} and len(clf.history_["loss"]) == 3
    assert np.all(np.isfinite(clf.history_["loss"]))
    clf.save(tmp_path / "clf")
    loaded = load(tmp_path / "clf")
    assert loaded.get_params()["deletion_penalty"] == "auto"
    np.testing.assert_allclose(loaded.predict_proba(X), clf.predict_proba(X), atol=1e-6)


def test_the_penalty_changes_training_reproducibly():
    X, y = _data()
    on = [_small().fit(X, y).predict_proba(X) for _ in range(2)]
    off = _small(deletion_penalty=0).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(on[0], on[1])
    assert np.abs(on[0] - off).max() > 1e-4


@pytest.mark.parametrize("one_vs_rest", [False, True])
def test_partial_fit_keeps_training_the_same_network(one_vs_rest):
    X, y = _data()
    y = np.array(["a", "b", "c"])[np.arange(len(y)) % 3]
    clf = _small(one_vs_rest=one_vs_rest).partial_fit(X, y)
    network = clf.model_
    trainer = deletion_trainer(clf)
    clf.partial_fit(X, y)
    assert clf.model_ is network and deletion_trainer(clf) is trainer
    assert clf.model_.optimizer.iterations.numpy() == 2 * int(np.ceil(len(y) / 32))
    assert len(clf.history_["loss"]) == 2


def test_padded_steps_are_never_blended():
    x = np.full((2, 4, 3), 1.0, "float32")
    x[0, :2] = MASK_VALUE
    weights = np.full((2, 4), 1.0, "float32")
    blended = np.asarray(_blend(x, real_flags(x), weights))
    assert np.all(blended[0, :2] == MASK_VALUE)
    assert np.all(blended[0, 2:] == 0) and np.all(blended[1] == 0)


@pytest.mark.parametrize(
    ("uniform", "confident", "softmax"),
    [
        ([0.5], [0.99], False),  # one sigmoid for two classes
        ([0.25] * 4, [0.99, 0.01, 0.01, 0.01], False),  # one sigmoid per class
        ([1 / 3] * 3, [0.98, 0.01, 0.01], True),
    ],
)
def test_uncertainty_loss_is_zero_at_the_uniform_prediction_only(uniform, confident, softmax):
    loss = lambda p: float(_uncertainty_loss(np.array([p], "float32"), softmax)[0])  # noqa: E731
    assert loss(uniform) == pytest.approx(0.0, abs=1e-5)
    assert loss(confident) > 0.3


@pytest.mark.parametrize("value", [-1.0, "on", np.inf])
def test_bad_values_are_named(value):
    X, y = _data()
    with pytest.raises(ValueError, match="'deletion_penalty' parameter"):
        _small(deletion_penalty=value).fit(X, y)


def test_no_attention_has_nothing_to_train():
    X, y = _data()
    with pytest.raises(ValueError, match=r"deletion_penalty=0\.5 with attention='none'"):
        _small(deletion_penalty=0.5, attention="none").fit(X, y)
