"""Tests for MultimodalAttentionClassifier, pack_modalities and make_multimodal_sequences.

Fits dominate the cost, so fitted models are shared through a module-scoped
fixture and every test fits as little as it can: tiny data, 4 units, 2 epochs.
"""

import importlib.util
import pickle
from pathlib import Path

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedShuffleSplit,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import make_pipeline

import attn_sklearn
from attn_sklearn import MASK_VALUE, MultimodalAttentionClassifier, pack_modalities
from attn_sklearn.datasets import make_multimodal_sequences

FAST = {"units": 4, "epochs": 2, "batch_size": 16, "validation_fraction": 0.0, "random_state": 0}
N, T = 40, 6
SHAPES = {"extra": (2, 2), "images": (4, 4, 1)}


def _data(n_samples=N, random_state=0):
    X, y, planted = make_multimodal_sequences(
        n_samples,
        n_timesteps=T,
        image_shape=(4, 4, 1),
        hours=2,
        w_features=2,
        random_state=random_state,
    )
    return X, np.where(y == 1, "yes", "no"), planted


def _pad(X, n_steps, where="post"):
    """Add ``n_steps`` steps of all-modality padding before or after every sequence."""
    out = {}
    for name, values in X.items():
        pad = np.full((values.shape[0], n_steps, *values.shape[2:]), MASK_VALUE)
        out[name] = np.concatenate([values, pad] if where == "post" else [pad, values], axis=1)
    return out


@pytest.fixture(scope="module")
def data():
    return _data()


@pytest.fixture(scope="module")
def models(data):
    """Fitted classifiers, fitted on first use: ``flatten`` on a dict, ``conv`` on a
    structured array, ``single`` on one plain 2-D array (univariate sequences)."""
    X, y, _ = data
    configs = {
        "flatten": (lambda: X, {"attention": "self"}),
        "conv": (
            lambda: pack_modalities(**X),
            {"encoder": "conv", "n_layers": 1, "attention": "self"},
        ),
        "single": (lambda: X["extra"][:, :, 0, 0], {"attention": "additive", "n_layers": 1}),
    }
    cache = {}

    def get(name):
        if name not in cache:
            make_X, params = configs[name]
            X_fit = make_X()
            cache[name] = (MultimodalAttentionClassifier(**FAST, **params).fit(X_fit, y), X_fit)
        return cache[name]

    return get


# ------------------------------------------------------------------ inputs
def test_is_a_classifier_with_its_own_defaults():
    clf = MultimodalAttentionClassifier()
    assert is_classifier(clf)
    params = clf.get_params()
    assert (params["n_layers"], params["attention"], params["units"]) == (2, "additive", 64)
    assert params["bidirectional"] and params["score_from"] == "auto"
    assert params["encoder"] == "flatten" and params["conv_filters"] == (8, 16)
    assert clone(clf).get_params() == params
    doc = MultimodalAttentionClassifier.__doc__
    assert "n_layers : int, default=2" in doc and '"none"}, default="additive"' in doc
    assert clf.__sklearn_tags__().input_tags.three_d_array


def test_dict_input(models, data):
    clf, X = models("flatten")
    _, y, _ = data
    assert clf.modalities_ == SHAPES
    assert clf.encoders_ == {"extra": "flatten", "images": "flatten"}
    assert (clf.n_features_in_, clf.n_timesteps_in_, clf.n_step_features_in_) == (T, T, 4 + 16)
    assert {t.name for t in clf.model_.inputs} == {"extra", "images"}  # named by modality
    proba = clf.predict_proba(X)
    assert proba.shape == (N, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(clf.predict(X)) <= {"no", "yes"}
    assert 0.0 <= clf.score(X, y) <= 1.0
    # The same data as a structured array, in any field order, predicts the same.
    packed = pack_modalities(images=X["images"], extra=X["extra"])
    np.testing.assert_array_equal(clf.predict_proba(packed), proba)


def test_structured_input_and_conv_encoder(models):
    clf, X = models("conv")
    assert X.dtype.names == ("images", "extra") and X.shape == (N,)
    assert clf.encoders_ == {"extra": "flatten", "images": "conv"}
    assert any(layer.name == "conv0_images" for layer in clf.model_.layers)
    np.testing.assert_array_equal(
        clf.predict_proba({name: X[name] for name in X.dtype.names}), clf.predict_proba(X)
    )
    # The conv encoder's pooling stays float32 in the float64 inference copy (TensorFlow
    # has no float64 3-D pooling); rows still do not affect each other.
    order = np.random.default_rng(0).permutation(N)
    np.testing.assert_array_equal(clf.predict_proba(X[order]), clf.predict_proba(X)[order])
    np.testing.assert_array_equal(clf.explain(X[order]), clf.explain(X)[order])


def test_single_plain_array_is_modality_x(models):
    clf, X = models("single")
    assert clf.modalities_ == {"x": (1,)} and clf.n_features_in_ == T
    assert clf.predict_proba(X).shape == (N, 2)
    np.testing.assert_array_equal(clf.predict_proba({"x": X}), clf.predict_proba(X))
    # 2-D input has a fixed number of steps, as for every scikit-learn estimator ...
    with pytest.raises(ValueError, match="X has 4 features, but MultimodalAttentionClassifier"):
        clf.predict(X[:, :4])
    # ... 3-D input (one value per step) any number.
    assert clf.predict_proba(X[:, :4, np.newaxis]).shape == (N, 2)


def test_pack_modalities():
    images, extra = np.zeros((5, 3, 4, 4, 1)), np.ones((5, 3, 2), dtype=np.float32)
    packed = pack_modalities(images=images, extra=extra)
    assert packed.dtype.names == ("images", "extra")
    assert packed["extra"].dtype == np.float32
    np.testing.assert_array_equal(packed[1:3]["images"], images[1:3])
    with pytest.raises(ValueError, match="at least one modality"):
        pack_modalities()
    with pytest.raises(ValueError, match="Modality 'extra' has 4 samples, but modality 'images'"):
        pack_modalities(images=images, extra=extra[:4])
    with pytest.raises(ValueError, match="Modality 'extra' has 2 time steps"):
        pack_modalities(images=images, extra=extra[:, :2])
    with pytest.raises(ValueError, match=r"'extra' must have shape.*\(5,\)"):
        pack_modalities(images=images, extra=np.zeros(5))
    with pytest.raises(TypeError, match="'extra' must be numeric"):
        pack_modalities(images=images, extra=np.full((5, 3), "a"))


def test_train_test_split_on_structured_array(models, data):
    clf, packed = models("conv")
    _, y, _ = data
    X_train, X_test, y_train, y_test = train_test_split(
        packed, y, test_size=0.25, stratify=y, random_state=0
    )
    assert X_train.dtype == packed.dtype and len(X_train) == len(y_train) == 30
    assert len(X_test) == len(y_test) == 10
    assert clf.predict(X_test).shape == (10,)


def test_cross_val_score_and_grid_search_on_structured_array(data):
    X, y, _ = data
    packed = pack_modalities(**X)
    params = {**FAST, "epochs": 1, "n_layers": 1, "bidirectional": False, "attention": "additive"}
    pipe = make_pipeline(MultimodalAttentionClassifier(**params))
    scores = cross_val_score(pipe, packed, y, cv=2)  # stratified: the pipeline is a classifier
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
    # Two candidates on one stratified split keep the number of fits down.
    one_split = StratifiedShuffleSplit(n_splits=1, test_size=0.5, random_state=0)
    search = GridSearchCV(
        MultimodalAttentionClassifier(**params), {"units": [2, 3]}, cv=one_split, refit=False
    )
    search.fit(packed, y)
    assert search.best_params_["units"] in (2, 3)


# ------------------------------------------------------------------ masking
@pytest.mark.parametrize("name", ["flatten", "conv"])
@pytest.mark.parametrize("where", ["post", "pre"])
def test_all_modality_padding_is_invisible(models, data, name, where):
    clf, _ = models(name)
    X, _, _ = data
    padded = _pad(X, 3, where)
    np.testing.assert_allclose(clf.predict_proba(padded), clf.predict_proba(X), atol=1e-6)
    weights, weights_padded = clf.explain(X), clf.explain(padded)
    real = slice(0, T) if where == "post" else slice(3, None)
    pads = slice(T, None) if where == "post" else slice(0, 3)
    assert np.all(weights_padded[:, pads] == 0)
    np.testing.assert_allclose(weights_padded[:, real], weights, atol=1e-6)
    full = clf.explain(padded, full=True)
    assert np.all(full[:, :, :, pads] == 0)  # no query attends to padding


def test_padding_one_modality_feeds_zeros_and_keeps_the_step(models, data):
    clf, _ = models("flatten")
    X, _, _ = data
    X_pad = {name: values.copy() for name, values in X.items()}
    X_zero = {name: values.copy() for name, values in X.items()}
    X_pad["extra"][:, 2] = MASK_VALUE  # images still real at step 2
    X_zero["extra"][:, 2] = 0.0
    # The flatten encoder is linear in the input: a padded modality must equal zeros there,
    # so the marker never reaches the network, and the step is not masked.
    np.testing.assert_allclose(clf.predict_proba(X_pad), clf.predict_proba(X_zero), atol=1e-6)
    assert np.all(clf.explain(X_pad)[:, 2] > 0)
    # The same step padded in every modality is masked.
    X_pad["images"][:, 2] = MASK_VALUE
    assert np.all(clf.explain(X_pad)[:, 2] == 0)


def test_conv_encoder_never_sees_the_marker(models, data):
    clf, _ = models("conv")
    X, _, _ = data
    X_pad = {name: values.copy() for name, values in X.items()}
    X_pad["images"][:, 1] = MASK_VALUE  # extra still real at step 1
    assert np.all(np.isfinite(clf.predict_proba(X_pad)))
    assert np.all(clf.explain(X_pad)[:, 1] > 0)
    # The fused step holds the extra features and exact zeros for the padded images.
    fused = keras.Model(clf.model_.inputs, clf.model_.get_layer("modality_fusion").output)
    features = np.asarray(
        fused.predict_on_batch({k: v.astype("float32") for k, v in X_pad.items()})
    )
    assert features.shape == (N, T, 4 + 16)  # extra flattened, then 16 conv features
    np.testing.assert_array_equal(features[:, 1, 4:], 0.0)
    np.testing.assert_allclose(features[:, 1, :4], X["extra"][:, 1].reshape(N, 4), rtol=1e-6)
    assert np.all(np.any(features[:, 0, 4:] != 0, axis=-1))  # real images are encoded


# ------------------------------------------------------------------ explain
def test_explain_shapes_and_normalisation(models, data):
    clf, X = models("flatten")
    weights = clf.explain(X)
    assert weights.shape == (N, T) and np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)
    assert clf.explain(X, full=True).shape == (N, 1, T, T)
    ragged = _pad({name: values[:2, :4] for name, values in X.items()}, 2)
    frame = clf.explain(ragged, as_frame=True)
    assert len(frame) == 2 * 4  # real steps only
    np.testing.assert_allclose(frame.groupby("sample")["weight"].sum(), 1.0, rtol=1e-5)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda X: {"images": X["images"]}, r"missing modality 'extra'.*\['extra', 'images'\]"),
        (lambda X: {**X, "audio": X["extra"]}, "has modality 'audio', which was not seen in fit"),
        (lambda X: X["images"], "missing modality 'extra'"),
        (
            lambda X: {"images": X["images"][:5], "extra": X["extra"][:4]},
            "Modality 'images' has 5 samples, but modality 'extra' has 4",
        ),
        (
            lambda X: {"images": X["images"][:, :5], "extra": X["extra"]},
            "Modality 'images' has 5 time steps, but modality 'extra' has 6",
        ),
        (
            lambda X: {"images": X["images"][..., :3, :], "extra": X["extra"]},
            r"'images' has per-step shape \(4, 3, 1\).*fitted with per-step shape \(4, 4, 1\)",
        ),
        (
            lambda X: {"images": X["images"], "extra": X["extra"].astype(str)},
            "numeric|could not convert",
        ),
        (lambda X: {}, "empty dict"),
    ],
)
def test_bad_input_at_predict_gets_a_clear_error(models, data, change, match):
    clf, _ = models("flatten")
    X, _, _ = data
    with pytest.raises(ValueError, match=match):
        clf.predict(change(X))


def test_nan_in_a_real_step_is_an_error_but_not_in_padding(models, data):
    clf, _ = models("flatten")
    X, _, _ = data
    bad = {name: values.copy() for name, values in X.items()}
    bad["images"][0, 1, 2, 3, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity.*X\['images'\]\[0, 1\]"):
        clf.predict(bad)
    bad["images"][0, 1] = MASK_VALUE
    bad["images"][0, 1, 0, 0, 0] = 1.0
    with pytest.raises(ValueError, match=r"X\['images'\]\[0, 1\] mixes the padding marker"):
        clf.predict(bad)
    empty = _pad({name: values[:1, :0] for name, values in X.items()}, 2)
    with pytest.raises(ValueError, match=r"X\[0\] has no real time steps"):
        clf.predict(empty)


def test_errors_at_fit(data):
    X, y, _ = data
    clf = MultimodalAttentionClassifier(**FAST)
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(X, np.zeros(N))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        clf.fit(X, y[:-1])
    with pytest.raises(TypeError, match="Modality names must be non-empty strings"):
        clf.fit({1: X["images"]}, y)
    with pytest.raises(ValueError, match="Modality name 'output' is also the name of a layer"):
        clf.fit({"output": X["extra"], "images": X["images"]}, y)
    with pytest.raises(ValueError, match="encoder names modality 'audio'"):
        clf.set_params(encoder={"audio": "conv"}).fit(X, y)
    with pytest.raises(ValueError, match=r"\"conv\" needs image steps.*'extra'"):
        clf.set_params(encoder={"extra": "conv"}).fit(X, y)
    with pytest.raises(ValueError, match="'encoder' parameter"):
        clf.set_params(encoder="cnn").fit(X, y)
    with pytest.raises(ValueError, match="conv_filters must be"):
        clf.set_params(encoder="conv", conv_filters=(8, 0)).fit(X, y)


# ------------------------------------------------------------------ persistence
def test_pickle_round_trip(models, data):
    clf, X = models("conv")
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(restored.explain(X), clf.explain(X))


def test_save_and_load(models, tmp_path):
    clf, X = models("conv")
    path = clf.save(tmp_path / "multimodal.attn")
    restored = attn_sklearn.load(path)
    assert type(restored) is MultimodalAttentionClassifier
    params = restored.get_params()
    assert {**params, "conv_filters": tuple(params["conv_filters"])} == clf.get_params()
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(restored.explain(X), clf.explain(X))
    with pytest.raises(ValueError, match="per-step shape"):
        restored.predict({"images": X["images"][..., :2, :], "extra": X["extra"]})


# ------------------------------------------------------------------ data set and example
def test_make_multimodal_sequences():
    X, y, planted = make_multimodal_sequences(30, min_length=5, n_timesteps=8, random_state=1)
    again, y_again, _ = make_multimodal_sequences(30, min_length=5, n_timesteps=8, random_state=1)
    np.testing.assert_array_equal(X["images"], again["images"])
    np.testing.assert_array_equal(y, y_again)
    assert X["images"].shape == (30, 8, 8, 8, 1) and X["extra"].shape == (30, 8, 4, 3)
    assert planted.shape == (30, 2) and np.all(np.diff(planted, axis=1) > 0)
    images_real = ~np.all(X["images"].reshape(30, 8, -1) == MASK_VALUE, axis=-1)
    extra_real = ~np.all(X["extra"].reshape(30, 8, -1) == MASK_VALUE, axis=-1)
    np.testing.assert_array_equal(images_real, extra_real)  # padded in both modalities
    lengths = images_real.sum(axis=1)
    assert lengths.min() >= 5 and np.all(planted < lengths[:, None])
    np.testing.assert_array_equal(images_real, np.arange(8) < lengths[:, None])  # trailing
    _, y3, _ = make_multimodal_sequences(31, n_classes=3, random_state=0)
    assert np.bincount(y3).tolist() == [11, 10, 10]
    with pytest.raises(ValueError, match="n_planted_steps must be <= min_length"):
        make_multimodal_sequences(10, min_length=1)
    with pytest.raises(ValueError, match="image_shape"):
        make_multimodal_sequences(10, image_shape=(8, 8))


def test_each_modality_alone_is_independent_of_the_label():
    """The label needs both modalities: neither code alone predicts it."""
    X, y, planted = make_multimodal_sequences(400, noise=0.0, random_state=0)
    rows = np.arange(400)
    step = planted[:, 0]
    extra_code = X["extra"][rows, step].reshape(400, -1) @ X["extra"][0, planted[0, 0]].ravel() > 0
    frames = X["images"][rows, step, :, :, 0]
    horizontal = frames.mean(axis=2).var(axis=1) > frames.mean(axis=1).var(axis=1)
    for code in (extra_code, horizontal):
        assert abs(np.mean(y[code]) - np.mean(y[~code])) < 0.15
    combined = extra_code ^ horizontal
    assert abs(np.mean(y[combined]) - np.mean(y[~combined])) == 1.0


def test_image_sequences_example_quick_run(tmp_path):
    path = Path(__file__).resolve().parents[1] / "examples" / "plot_image_sequences.py"
    spec = importlib.util.spec_from_file_location("plot_image_sequences", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    results = example.main(["--quick", "--out-dir", str(tmp_path)])
    for name in ("metrics.json", "confusion_matrix.csv", "confusion_matrices.png", "attention.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert set(results["models"]) == {"both", "images_only", "extra_only"}
    assert len(results["cross_validation"]["accuracy"]) == 2
    assert results["original_reported"]["accuracy"] == 0.76
