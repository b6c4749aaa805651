import inspect
import pickle
import re

import keras
import numpy as np
import pytest

from attn_sklearn import MASK_VALUE
from attn_sklearn._architectures import NetworkSpec, build_attention_lstm
from attn_sklearn._multimodal_network import build_multimodal_attention_lstm
from attn_sklearn._network_parts import attention_model
from attn_sklearn.layers import (
    AttentionPooling,
    HorizonAttention,
    ModalityFusion,
    ModalityPadding,
    SequenceSelfAttention,
    StepPatches,
    WindowNormalization,
    masked_softmax,
)

ATTENTION_LAYERS = [
    AttentionPooling(score_mode="additive", units=3),
    AttentionPooling(score_mode="multiplicative"),
    AttentionPooling(score_mode="linear"),
    SequenceSelfAttention(num_heads=2, key_dim=3, attention_width=3, causal=True),
    SequenceSelfAttention(score_mode="additive", attention_width=2),
]
ATTENTION_IDS = ["additive", "multiplicative", "linear", "self-multiplicative", "self-additive"]


def _fresh(layer, **changes):
    return layer.__class__.from_config({**layer.get_config(), **changes})


def _padded(seed=0):
    """A batch, the same batch with 4 more steps of junk, and the mask of the latter."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    junk = rng.normal(size=(2, 4, 4)).astype("float32") * 100
    mask = np.concatenate([np.ones((2, 5), bool), np.zeros((2, 4), bool)], axis=1)
    return x, np.concatenate([x, junk], axis=1), mask


def _weights(layer):
    return [np.asarray(w) for w in layer.weights]


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


@pytest.mark.parametrize("layer", ATTENTION_LAYERS, ids=ATTENTION_IDS)
def test_attention_ignores_padding_exactly(layer):
    layer = _fresh(layer)
    x, padded, mask = _padded()
    out, scores = layer(x, return_attention_scores=True)
    out_p, scores_p = layer(padded, mask=mask, return_attention_scores=True)
    out_p, scores_p = np.asarray(out_p), np.asarray(scores_p)
    if isinstance(layer, SequenceSelfAttention):  # compare the real (query) steps
        out_p, scores_p = out_p[:, :5], scores_p[..., :5, :]
    np.testing.assert_allclose(out_p, np.asarray(out), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scores_p[..., :5], np.asarray(scores), rtol=1e-5, atol=1e-7)
    assert np.all(scores_p[..., 5:] == 0.0)  # no weight at all on padded (key) steps


def _normalised_entropy(weights):
    """Entropy over the last axis divided by its maximum, log(number of steps)."""
    weights = np.asarray(weights, np.float64)
    plogp = np.where(weights > 0, weights * np.log(np.where(weights > 0, weights, 1)), 0)
    return -plogp.sum(axis=-1) / np.log(weights.shape[-1])


def test_entropy_penalty_adds_its_share_of_the_normalised_entropy_to_the_loss():
    x, padded, mask = _padded()
    pooling = AttentionPooling(entropy_penalty=0.5)
    _, weights = pooling(x, return_attention_scores=True)
    expected = 0.5 * _normalised_entropy(weights).mean()
    np.testing.assert_allclose([float(loss) for loss in pooling.losses], [expected], rtol=1e-5)
    # Padded steps neither hold weight nor count towards the maximum entropy.
    pooling(padded, mask=mask)
    np.testing.assert_allclose([float(loss) for loss in pooling.losses], [expected], rtol=1e-5)
    queries = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    horizon = HorizonAttention(entropy_penalty=2.0)
    _, weights = horizon([queries, x], return_attention_scores=True)
    expected = 2.0 * _normalised_entropy(weights).mean()  # over samples and forecast steps
    np.testing.assert_allclose([float(loss) for loss in horizon.losses], [expected], rtol=1e-5)
    unpenalised = AttentionPooling()
    unpenalised(x)
    assert unpenalised.losses == []


def test_layers_reject_bad_arguments_in_keras_style():
    expected = (
        "Expected score_mode to be one of {'additive', 'multiplicative', 'linear'}. "
        "Received: score_mode='dot'"
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        AttentionPooling(score_mode="dot")
    with pytest.raises(ValueError, match=r"Received: score_mode='linear'"):
        SequenceSelfAttention(score_mode="linear")
    with pytest.raises(ValueError, match=r"units to be a positive integer or None\. .*units=0"):
        AttentionPooling(units=0)
    for name, value in [("num_heads", 0), ("num_heads", None), ("key_dim", 2.5)]:
        with pytest.raises(ValueError, match=rf"Received: {name}={value!r}"):
            SequenceSelfAttention(**{name: value})
    with pytest.raises(ValueError, match="Received: attention_width=True"):
        SequenceSelfAttention(attention_width=True)
    with pytest.raises(ValueError, match="Could not interpret initializer"):
        AttentionPooling(kernel_initializer="no_such_initializer")
    for value in (-0.1, float("inf"), "0.5", True):
        with pytest.raises(ValueError, match=r"finite number >= 0\. Received: entropy_penalty="):
            AttentionPooling(entropy_penalty=value)
    with pytest.raises(ValueError, match="Received: entropy_penalty=-1"):
        HorizonAttention(entropy_penalty=-1)


@pytest.mark.parametrize("layer", ATTENTION_LAYERS, ids=ATTENTION_IDS)
@pytest.mark.parametrize("n_steps", [6, None])
def test_attention_compute_output_shape_matches_outputs(layer, n_steps):
    layer = _fresh(layer)
    x = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
    out, scores = layer(x, return_attention_scores=True)
    shape = (3, n_steps, 4)
    expected = (tuple(out.shape), tuple(scores.shape))
    if n_steps is None:
        expected = tuple(tuple(None if d == 6 else d for d in s) for s in expected)
    assert layer.compute_output_shape(shape) == expected[0]
    assert layer.compute_output_shape(shape, return_attention_scores=True) == expected
    # Keras' symbolic calls (functional models) use the same shapes.
    symbolic = layer(keras.Input(batch_shape=shape), return_attention_scores=True)
    assert tuple(tuple(t.shape) for t in symbolic) == expected
    assert tuple(layer(keras.Input(batch_shape=shape)).shape) == expected[0]


def test_modality_layers_compute_output_shape_matches_outputs():
    images = np.ones((2, 3, 4, 4, 2), "float32")
    images[0, 2] = MASK_VALUE
    table = np.ones((2, 3, 5), "float32")
    padding = ModalityPadding()
    (values, real), (values_t, real_t) = padding(images), padding(table)
    assert padding.compute_output_shape(images.shape) == (images.shape, (2, 3))
    assert (tuple(values.shape), tuple(real.shape)) == (images.shape, (2, 3))
    encoded = np.asarray(values).reshape(2, 3, -1)
    fusion = ModalityFusion()
    fused = fusion([encoded, np.asarray(values_t), real, real_t])
    shapes = [encoded.shape, table.shape, (2, 3), (2, 3)]
    assert fusion.compute_output_shape(shapes) == tuple(fused.shape) == (2, 3, 37)
    flags = [keras.Input((None,)), keras.Input((None,))]
    symbolic = fusion([keras.Input((None, 32)), keras.Input((None, 5)), *flags])
    assert tuple(symbolic.shape) == (None, None, 37)


@pytest.mark.parametrize(
    "layer",
    [
        AttentionPooling(
            score_mode="linear",
            units=7,
            kernel_initializer=keras.initializers.HeNormal(seed=3),
            bias_initializer=keras.initializers.Constant(0.5),
            name="pool",
            dtype="float64",
        ),
        SequenceSelfAttention(
            num_heads=3,
            key_dim=2,
            score_mode="additive",
            attention_width=4,
            causal=True,
            kernel_initializer=keras.initializers.GlorotUniform(seed=11),
            bias_initializer="ones",
            name="self",
        ),
        ModalityPadding(name="padding"),
        ModalityFusion(name="fusion"),
        WindowNormalization(per_window=[True, False], name="window"),
        StepPatches(3, name="patches"),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_get_config_lists_every_argument_and_round_trips(layer):
    config = layer.get_config()
    base = set(inspect.signature(keras.layers.Layer.__init__).parameters)
    arguments = set(inspect.signature(type(layer).__init__).parameters) - base
    assert arguments <= set(config)
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    for name in arguments:
        value = getattr(clone, name)
        if isinstance(value, keras.initializers.Initializer):
            assert keras.initializers.serialize(value) == config[name]
        else:
            assert value == config[name] == getattr(layer, name)


def test_step_patches_group_steps_from_the_first_real_one_whatever_the_padding():
    m = MASK_VALUE
    x = np.arange(1.0, 11.0, dtype="float32").reshape(1, 5, 2)  # 5 real steps of 2 values
    patches = np.asarray(StepPatches(2)(x))
    # The last patch holds one real step: the missing one counts as zeros.
    np.testing.assert_array_equal(patches, [[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 0, 0]]])
    for padding in [(3, 0), (0, 3), (2, 1)]:
        padded = np.pad(x, [(0, 0), padding, (0, 0)], constant_values=m)
        out = np.asarray(StepPatches(2)(padded))
        np.testing.assert_array_equal(out[:, :3], patches)  # same patches, same place
        assert np.all(out[:, 3:] == m)  # patches of padding alone stay padding
    assert StepPatches(2).compute_output_shape((None, 5, 2)) == (None, 3, 4)
    assert tuple(StepPatches(2)(keras.Input((None, 2))).shape) == (None, None, 4)
    np.testing.assert_array_equal(StepPatches(1)(x), x)
    with pytest.raises(ValueError, match=r"patch_size to be a positive integer\. Received: patch_"):
        StepPatches(0)


def test_window_normalization_passes_the_features_not_chosen_through_unchanged():
    x = np.array([[[MASK_VALUE] * 3, [10.0, 1.0, 5.0], [14.0, 0.0, 7.0]]], "float32")
    normalized, stats = WindowNormalization(per_window=[True, False, True])(x)
    normalized, stats = np.asarray(normalized)[0], np.asarray(stats)[0]
    np.testing.assert_allclose(normalized[1:], [[-1.0, 1.0, -1.0], [1.0, 0.0, 1.0]], atol=1e-4)
    assert np.all(normalized[0] == MASK_VALUE)  # padding keeps the marker
    np.testing.assert_allclose(stats, [[12.0, 0.0, 6.0], [2.0, 1.0, 1.0]], atol=1e-4)
    everything, _ = WindowNormalization()(x)
    np.testing.assert_allclose(np.asarray(everything)[0, 1:, 1], [1.0, -1.0], atol=1e-4)


@pytest.mark.parametrize("per_window", [[], [1, 0], "yes", [True, None]])
def test_window_normalization_names_a_bad_per_window(per_window):
    with pytest.raises(ValueError, match=r"per_window to be None or a non-empty list of bools"):
        WindowNormalization(per_window=per_window)


def test_window_normalization_names_flags_that_do_not_match_the_features():
    with pytest.raises(ValueError, match=r"per_window has 2 flags, but the windows have 3"):
        WindowNormalization(per_window=[True, False])(np.ones((1, 4, 3), "float32"))


class _OneWeight(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],))

    def call(self, inputs):
        return inputs * self.w


def _new_or_changed_attributes(layer, shape):
    before = dict(vars(layer))
    layer.build(shape)
    return {k for k, v in vars(layer).items() if k not in before or before[k] is not v}


@pytest.mark.parametrize("layer", ATTENTION_LAYERS, ids=ATTENTION_IDS)
def test_build_sets_weights_only_and_seeded_builds_are_identical(layer):
    seeded = _fresh(layer, kernel_initializer=keras.initializers.GlorotUniform(seed=42))
    config, initializer = seeded.get_config(), seeded.kernel_initializer
    bookkeeping = _new_or_changed_attributes(_OneWeight(), (2, 5, 4)) - {"w"}
    changed = _new_or_changed_attributes(seeded, (2, 5, 4))
    weights = {k for k, v in vars(seeded).items() if isinstance(v, keras.Variable)}
    assert changed - bookkeeping == weights == {w.name for w in seeded.weights}
    assert seeded.get_config() == config and seeded.kernel_initializer is initializer
    # Building again from the same config, or from the config of the built layer,
    # draws bit-identical weights; different weights draw different numbers.
    for other_config in (config, seeded.get_config()):
        twin = type(seeded).from_config(other_config)
        twin.build((2, 5, 4))
        for ours, theirs in zip(_weights(seeded), _weights(twin), strict=True):
            np.testing.assert_array_equal(ours, theirs)
    kernels = [w.ravel() for w in _weights(seeded) if np.any(w)]
    assert len({k[:3].tobytes() for k in kernels}) == len(kernels)


def test_seeded_kernels_use_fixed_per_weight_seed_offsets():
    # Weight k (k = 1, 2, ... in creation order) draws from GlorotUniform(seed + k),
    # as it did before the layers took initializer arguments: seeded networks keep
    # their initial weights.
    layer = SequenceSelfAttention(
        num_heads=2, score_mode="additive", kernel_initializer=keras.initializers.GlorotUniform(7)
    )
    layer.build((None, None, 4))
    kernels = [layer.w_query, layer.w_key, layer.w_value, layer.w_output, layer.v_score]
    for k, weight in enumerate(kernels, start=1):
        expected = keras.initializers.GlorotUniform(seed=7 + k)(weight.shape)
        np.testing.assert_array_equal(np.asarray(weight), np.asarray(expected))
    serialized = {"class_name": "GlorotUniform", "config": {"seed": 3}}
    pooling = AttentionPooling(kernel_initializer=serialized)
    pooling.build((None, None, 4))
    for k, weight in enumerate([pooling.w_hidden, pooling.v], start=1):
        expected = keras.initializers.GlorotUniform(seed=3 + k)(weight.shape)
        np.testing.assert_array_equal(np.asarray(weight), np.asarray(expected))


def test_unseeded_weights_of_one_shape_still_differ():
    layer = SequenceSelfAttention(num_heads=2)
    layer.build((None, None, 4))
    assert not np.array_equal(np.asarray(layer.w_query), np.asarray(layer.w_key))


def test_configs_and_calls_with_the_former_argument_names_still_load():
    # What models saved before the Keras-style names hold in their configs.
    old = AttentionPooling.from_config({"name": "attention", "score": "linear", "seed": 5})
    assert old.score_mode == "linear"
    old.build((None, None, 3))
    expected = keras.initializers.GlorotUniform(seed=6)((3, 1))
    np.testing.assert_array_equal(np.asarray(old.v), np.asarray(expected))
    old_self = SequenceSelfAttention.from_config({"n_heads": 2, "score": "additive", "seed": None})
    assert (old_self.num_heads, old_self.score_mode) == (2, "additive")
    _, scores = old_self(np.ones((1, 3, 4), "float32"), return_attention=True)
    assert tuple(scores.shape) == (1, 2, 3, 3)


def _network(**spec):
    return build_attention_lstm(
        n_features=2,
        n_outputs=1,
        spec=NetworkSpec(units=4, **spec),
        output_activation="linear",
        loss="mse",
        learning_rate=1e-3,
        seed=0,
    )


def test_model_with_pooling_saves_and_loads_in_safe_mode(tmp_path):
    model = _network(attention="multihead", n_heads=2, causal=True)
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


def test_multimodal_model_saves_loads_and_pickles(tmp_path):
    model = build_multimodal_attention_lstm(
        modalities={"images": (4, 4, 1), "table": (3,)},
        encoders={"images": "conv", "table": "flatten"},
        conv_filters=(2,),
        n_outputs=2,
        spec=NetworkSpec(units=3, attention="self"),
        output_activation="softmax",
        loss="sparse_categorical_crossentropy",
        learning_rate=1e-3,
        seed=0,
    )
    rng = np.random.default_rng(0)
    x = {"images": rng.normal(size=(2, 5, 4, 4, 1)), "table": rng.normal(size=(2, 5, 3))}
    x = {k: v.astype("float32") for k, v in x.items()}
    x["table"][0, 3:] = MASK_VALUE
    expected = model.predict(x, verbose=0)
    model.save(tmp_path / "model.keras")
    for loaded in (
        keras.saving.load_model(tmp_path / "model.keras", safe_mode=True),
        pickle.loads(pickle.dumps(model)),
    ):
        np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6)
        assert isinstance(loaded.get_layer("modality_fusion"), ModalityFusion)


@pytest.mark.parametrize("attention", ["additive", "multiplicative", "linear", "self", "multihead"])
def test_clone_and_pickle_keep_predictions(attention):
    model = _network(attention=attention, self_attention_score="additive", n_heads=2)
    x = np.random.default_rng(1).normal(size=(3, 6, 2)).astype("float32")
    x[0, 4:] = MASK_VALUE
    expected = model.predict(x, verbose=0)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    for name in ("attention", "self_attention")[: 2 if attention in ("self", "multihead") else 1]:
        config, original = clone.get_layer(name).get_config(), model.get_layer(name).get_config()
        assert config["kernel_initializer"] == original["kernel_initializer"]
        assert config["kernel_initializer"]["config"]["seed"] is not None  # serialised as seeded
    np.testing.assert_array_equal(clone.predict(x, verbose=0), expected)
    unpickled = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(unpickled.predict(x, verbose=0), expected)


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
