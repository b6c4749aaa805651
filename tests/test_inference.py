"""Inference in fixed-shape batches: row independence and a bounded number of traces."""

import keras
import numpy as np
import pytest

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
    pack_modalities,
)
from attn_sklearn._deletion_training import DeletionTrainer
from attn_sklearn._inference import BATCH_SIZES, batch_plan, traced_inference
from attn_sklearn.datasets import make_multimodal_sequences

SMALL = dict(units=4, epochs=1, batch_size=16, random_state=0)


@pytest.fixture(scope="module")
def sequences():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 9, 2)).astype(np.float32)
    return X, X[:, -3:, 0].sum(axis=1)


@pytest.mark.parametrize(
    "params",
    [
        dict(attention="additive"),
        dict(attention="multihead", n_heads=2, bidirectional=True),
        dict(attention="none"),
    ],
    ids=["additive", "multihead-bidirectional", "none"],
)
def test_a_rows_outputs_are_the_same_in_any_call(sequences, params):
    X, y = sequences
    reg = AttentionLSTMRegressor(**SMALL, **params).fit(X, y)
    expected = reg.predict(X)
    order = np.random.default_rng(1).permutation(len(X))
    np.testing.assert_array_equal(reg.predict(X[order]), expected[order])
    # Calls of every size in the batch ladder and across its boundaries.
    for size in (1, 2, 7, 15, 16, 17, 63, 65, 257):
        np.testing.assert_array_equal(reg.predict(X[-size:]), expected[-size:])
    if params["attention"] != "none":
        weights = reg.explain(X)
        np.testing.assert_array_equal(reg.explain(X[order]), weights[order])
        np.testing.assert_array_equal(reg.explain(X[:1]), weights[:1])
    # ...and what the trained network computes, to float32 rounding.
    scaled = reg.model_.predict(X, verbose=0)[:, 0]
    np.testing.assert_allclose(
        scaled * reg.target_encoder_.scale_[0] + reg.target_encoder_.mean_[0],
        expected,
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.fixture
def traced_steps(monkeypatch):
    """Count how often Keras' train and test steps run in Python: once per trace."""
    counts = {"train_step": 0, "test_step": 0}
    # The classifier trains sequences of several values per step through its own step.
    patched = [(keras.Model, "train_step"), (keras.Model, "test_step")]
    for cls, name in [*patched, (DeletionTrainer, "train_step")]:
        original = getattr(cls, name)

        def counting(self, data, _name=name, _original=original):
            counts[_name] += 1
            return _original(self, data)

        monkeypatch.setattr(cls, name, counting)
    return counts


def test_fit_predict_and_explain_trace_a_bounded_number_of_times(sequences, traced_steps):
    X, y = sequences
    labels = (y > np.median(y)).astype(int)
    clf = AttentionLSTMClassifier(**{**SMALL, "epochs": 3}, validation_fraction=0.2)
    clf.fit(X, labels)  # 240 training rows: 15 batches, the last one partial
    # TensorFlow may trace a step twice on first use (variable creation); never per batch.
    assert 1 <= traced_steps["train_step"] <= 2 and traced_steps["test_step"] == 1
    after_fit = dict(traced_steps)
    clf.partial_fit(X[:50], labels[:50])  # another row count
    clf.partial_fit(X[:77], labels[:77])
    assert traced_steps == after_fit
    for n_rows in (1, 3, 8, 20, 100, 255, 300):
        clf.predict_proba(X[:n_rows])
        clf.explain(X[:n_rows])
    clf.predict_proba(X[:5, :4])  # shorter sequences: the time axis is not part of the shape
    inference = traced_inference(clf.model_)
    assert inference.tracing_count() <= 2 * len(BATCH_SIZES)
    before = inference.tracing_count()
    for n_rows in (2, 17, 40, 299):
        clf.predict_proba(X[:n_rows])
        clf.explain(X[:n_rows])
    assert inference.tracing_count() == before


def test_multimodal_fit_and_inference_trace_a_bounded_number_of_times(traced_steps):
    modalities, labels, _ = make_multimodal_sequences(
        120, n_timesteps=6, image_shape=(4, 4, 1), hours=2, w_features=2, random_state=0
    )
    X = pack_modalities(**modalities)
    clf = MultimodalAttentionClassifier(**{**SMALL, "epochs": 3}, validation_fraction=0.2)
    clf.fit(X, labels)
    assert 1 <= traced_steps["train_step"] <= 2 and traced_steps["test_step"] == 1
    for n_rows in (1, 5, 17, 70, 120):
        clf.predict_proba(X[:n_rows])
        clf.explain(X[:n_rows])
    inference = traced_inference(clf.model_)
    assert inference.tracing_count() <= 2 * len(BATCH_SIZES)
    before = inference.tracing_count()
    for n_rows in (2, 33, 119):
        clf.predict(X[:n_rows])
        clf.explain(X[:n_rows])
    assert inference.tracing_count() == before


def test_batch_plan_covers_every_row_once_in_ladder_sizes():
    for n_rows in (1, 7, 8, 9, 31, 32, 33, 255, 256, 257, 1000):
        plan = batch_plan(n_rows)
        covered = np.concatenate([np.arange(start, stop) for start, stop, _ in plan])
        np.testing.assert_array_equal(covered, np.arange(n_rows))
        assert all(size in BATCH_SIZES and stop - start <= size for start, stop, size in plan)
