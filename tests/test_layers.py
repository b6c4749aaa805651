import keras
import numpy as np
import pytest

from attn_sklearn import MASK_VALUE
from attn_sklearn._architectures import NetworkSpec, attention_model, build_attention_lstm
from attn_sklearn.layers import AttentionPooling, masked_softmax


def test_masked_softmax_gives_exact_zeros_and_sums_to_one():
    scores = np.array([[3.0, -1.0, 50.0, 0.5], [1.0, 2.0, 3.0, 4.0]], dtype="float32")
    mask = np.array([[True, True, False, True], [False, False, False, False]])
    weights = np.asarray(masked_softmax(scores, mask))
    assert weights[0, 2] == 0.0
    np.testing.assert_allclose(weights[0].sum(), 1.0, rtol=1e-6)
    expected = np.exp([3.0, -1.0, 0.5]) / np.exp([3.0, -1.0, 0.5]).sum()
    np.testing.assert_allclose(weights[0, [0, 1, 3]], expected, rtol=1e-5)
    # A row with no real step gets zeros, not NaN.
    assert np.all(weights[1] == 0.0)


@pytest.mark.parametrize("score", ["additive", "linear"])
def test_pooling_ignores_padding_exactly(score):
    rng = np.random.default_rng(0)
    layer = AttentionPooling(score=score)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    padded = np.concatenate([x, rng.normal(size=(2, 4, 3)).astype("float32") * 100], axis=1)
    mask = np.concatenate([np.ones((2, 5), bool), np.zeros((2, 4), bool)], axis=1)
    context, weights = layer(x, return_attention=True)
    context_p, weights_p = layer(padded, mask=mask, return_attention=True)
    np.testing.assert_allclose(np.asarray(context_p), np.asarray(context), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(weights_p)[:, :5], np.asarray(weights), rtol=1e-5)
    assert np.all(np.asarray(weights_p)[:, 5:] == 0.0)


def test_pooling_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"score.*Received: score='dot'"):
        AttentionPooling(score="dot")
    with pytest.raises(ValueError, match="units=0"):
        AttentionPooling(units=0)


def test_model_with_pooling_saves_and_loads_in_safe_mode(tmp_path):
    model = build_attention_lstm(
        n_features=2,
        n_outputs=1,
        spec=NetworkSpec(units=4, attention="multihead", n_heads=2, causal=True),
        output_activation="linear",
        loss="mse",
        learning_rate=1e-3,
    )
    x = np.random.default_rng(0).normal(size=(3, 6, 2)).astype("float32")
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)  # no custom_objects needed
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    pooling, self_attention = attention_model(loaded).predict(x, verbose=0)
    assert pooling.shape == (3, 6) and self_attention.shape == (3, 2, 6, 6)
    np.testing.assert_allclose(pooling.sum(axis=1), 1.0, rtol=1e-5)
    # Causal: no step attends to a later one.
    assert np.all(np.triu(self_attention, k=1) == 0)


def test_network_masks_the_padding_marker_but_not_zeros():
    model = build_attention_lstm(
        n_features=1,
        n_outputs=1,
        spec=NetworkSpec(units=4, n_layers=2, bidirectional=True, attention="linear"),
        output_activation="linear",
        loss="mse",
        learning_rate=1e-3,
    )
    x = np.array([[[1.0], [0.0], [0.0], [2.0]]], dtype="float32")
    padded = np.concatenate([x, np.full((1, 3, 1), MASK_VALUE, "float32")], axis=1)
    weights = attention_model(model).predict(padded, verbose=0)
    assert np.all(weights[0, :4] > 0)  # real zeros are observations
    assert np.all(weights[0, 4:] == 0)
    np.testing.assert_allclose(
        model.predict(padded, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
