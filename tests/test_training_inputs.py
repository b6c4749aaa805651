"""Weights, partial_fit, NumPy-typed hyperparameters and global seeds: the review's findings."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from attn_sklearn import AttentionLSTMClassifier, AttentionLSTMRegressor, load

SMALL = {"units": 3, "epochs": 2, "batch_size": 4, "random_state": 0}


def test_global_tensorflow_and_keras_seeds_do_not_change_a_seeded_fit(regression_data):
    X, y = regression_data
    expected = AttentionLSTMRegressor(**SMALL).fit(X, y).predict(X)
    tf.random.set_seed(99)
    keras.utils.set_random_seed(5)
    np.testing.assert_array_equal(AttentionLSTMRegressor(**SMALL).fit(X, y).predict(X), expected)


def test_zero_weight_rows_are_exactly_absent(regression_data):
    X, y = regression_data
    expected = AttentionLSTMRegressor(**SMALL).fit(X, y).predict(X)
    rng = np.random.default_rng(1)
    X_more = np.vstack([X, rng.normal(size=(8, X.shape[1]))])
    y_more = np.r_[y, 100 + 50 * rng.normal(size=8)]
    weights = np.r_[np.ones(len(y)), np.zeros(8)]
    reg = AttentionLSTMRegressor(**SMALL).fit(X_more, y_more, sample_weight=weights)
    np.testing.assert_array_equal(reg.predict(X), expected)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        (-np.ones(48), "Negative values in data passed to `sample_weight`"),
        (np.zeros(48), "Sample weights must contain at least one non-zero number"),
        (np.ones(47), r"sample_weight.shape == \(47,\), expected \(48,\)"),
    ],
)
def test_bad_sample_weights_are_named(regression_data, weights, match):
    X, y = regression_data
    with pytest.raises(ValueError, match=match):
        AttentionLSTMRegressor(**SMALL).fit(X, y, sample_weight=weights)
    with pytest.raises(ValueError, match=match):
        AttentionLSTMClassifier(**SMALL, class_weight="balanced").fit(
            X, y > 0, sample_weight=weights
        )


def test_partial_fit_validates_like_fit(classification_data):
    X, y = classification_data
    clf = AttentionLSTMClassifier(**SMALL).partial_fit(X, y)
    clf.partial_fit(X, y)
    assert len(clf.history_["loss"]) == 2
    with pytest.raises(ValueError, match=r"labels the classifier was not fitted with: \['new'\]"):
        clf.partial_fit(X, np.where(y == "low", "new", y))
    with pytest.raises(ValueError, match="'units' parameter"):
        AttentionLSTMRegressor(units=-3).partial_fit(X, np.zeros(len(X)))


def test_numpy_integer_hyperparameters_from_grids(classification_data):
    X, y = classification_data
    clf = AttentionLSTMClassifier(
        units=np.int64(3),
        n_layers=np.int64(1),
        attention="multihead",
        n_heads=np.int64(2),
        key_dim=np.int64(2),
        attention_width=np.int64(3),
        epochs=np.int64(1),
        batch_size=np.int64(8),
        patience=np.int64(2),
        random_state=np.int64(0),
    ).fit(X, y)
    assert clf.predict(X).shape == y.shape


def test_values_beyond_float32_are_rejected_not_called_infinite():
    X = np.full((4, 3), 1e39)
    with pytest.raises(ValueError, match="beyond the float32 range"):
        AttentionLSTMRegressor(**SMALL).fit(X, np.zeros(4))


def test_save_keeps_class_weight_keys_and_numpy_seeds(classification_data, tmp_path):
    X, y = classification_data
    weights = {"low": 1.0, "mid": 2.0, "high": 0.5}
    clf = AttentionLSTMClassifier(**{**SMALL, "random_state": np.int64(3)}, class_weight=weights)
    loaded = load(clf.fit(X, y).save(tmp_path / "clf.attn"))
    assert loaded.class_weight == weights
    assert loaded.random_state == 3
    binary = AttentionLSTMClassifier(**SMALL, class_weight={0: 1.0, 1: 3.0}).fit(X, y == "low")
    assert load(binary.save(tmp_path / "b.attn")).class_weight == {0: 1.0, 1: 3.0}


def test_step_labels_need_as_frame(regression_data):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match="without as_frame=True"):
        reg.explain(X, step_labels=list(range(X.shape[1])))


def test_partial_fit_with_declared_classes(classification_data):
    X, y = classification_data
    first = y != "high"
    clf = AttentionLSTMClassifier(**SMALL).partial_fit(
        X[first], y[first], classes=["high", "low", "mid"]
    )
    assert clf.classes_.tolist() == ["high", "low", "mid"]
    assert clf.predict_proba(X).shape == (len(X), 3)
    clf.partial_fit(X, y)  # now with every class
    with pytest.raises(ValueError, match="classes must match the first call's"):
        clf.partial_fit(X, y, classes=["low", "mid"])
    with pytest.raises(ValueError, match=r"labels missing from classes: \['high'\]"):
        AttentionLSTMClassifier(**SMALL).partial_fit(X, y, classes=["low", "mid"])
