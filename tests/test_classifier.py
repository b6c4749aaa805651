"""Tests for AttentionLSTMClassifier.

Every fit costs a few seconds of Keras graph building, so fitted models are
shared through module-scoped fixtures and each test fits as little as it can.
"""

import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    check_cv,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMClassifier,
    SequenceMasker,
    SequencePadder,
    SequenceScaler,
)
from attn_sklearn.datasets import make_sequence_classification

# Tiny networks, few epochs: these tests check behaviour, not accuracy. No validation
# split where none is being tested: it saves a graph trace per fit.
FAST = {"units": 4, "epochs": 2, "batch_size": 16, "validation_fraction": 0.0, "random_state": 0}
N_STEPS = 8


def _labelled_sequences(labels, n_samples=48, n_features=2, seed=0):
    """3-D sequences whose class shifts feature 0 at step 3; balanced, shuffled ``labels``."""
    rng = np.random.default_rng(seed)
    codes = rng.permutation(np.arange(n_samples) % len(labels))
    X = rng.normal(size=(n_samples, N_STEPS, n_features))
    X[:, 3, 0] += 2.0 * (codes - codes.mean())
    return X, np.asarray(labels)[codes]


def _fitted(labels, **params):
    X, y = _labelled_sequences(labels)
    X_before, y_before = X.copy(), y.copy()
    clf = AttentionLSTMClassifier(**{**FAST, **params}).fit(X, y)
    # fit never modifies its inputs (the prediction tests check predict and friends).
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    return clf, X, y


@pytest.fixture(scope="module")
def models():
    """One fitted classifier per configuration, as ``(clf, X, y)``, fitted on first use."""
    configs = {
        # multiclass, string labels, additive attention
        "additive": (["emu", "cat", "dog"], {}),
        # binary, numeric labels (10 > 2: sorted as numbers, not strings), linear attention,
        # class weights given as a dict
        "linear": ([10, 2], {"attention": "linear", "class_weight": {10: 1.0, 2: 3.0}}),
        # binary, string labels, a deeper bidirectional network
        "bidirectional": (["yes", "no"], {"n_layers": 2, "bidirectional": True}),
        # multiclass, one sigmoid output per class
        "one_vs_rest": (["emu", "cat", "dog"], {"one_vs_rest": True}),
    }
    cache = {}

    def get(name):
        if name not in cache:
            labels, params = configs[name]
            cache[name] = _fitted(labels, **params)
        return cache[name]

    return get


CONFIGS = ["additive", "linear", "bidirectional", "one_vs_rest"]


# ------------------------------------------------------------------ the classifier API


def test_is_a_classifier_with_stratified_cv():
    clf = AttentionLSTMClassifier()
    assert is_classifier(clf)
    y = np.array(["a", "b"] * 10)
    assert isinstance(check_cv(5, y, classifier=is_classifier(clf)), StratifiedKFold)
    tags = clf.__sklearn_tags__()
    assert tags.input_tags.three_d_array and not tags.input_tags.allow_nan


@pytest.mark.parametrize("name", CONFIGS)
def test_labels_probabilities_and_score(models, name):
    clf, X, y = models(name)
    X_before, y_before = X.copy(), y.copy()
    classes = np.unique(y)
    np.testing.assert_array_equal(clf.classes_, classes)
    assert clf.classes_.dtype.kind == y.dtype.kind
    pred = clf.predict(X)
    assert pred.shape == (len(X),)
    assert pred.dtype.kind == y.dtype.kind  # labels of the input type, not indices
    assert set(pred) <= set(classes)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(classes))
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(clf.classes_[np.argmax(proba, axis=1)], pred)
    assert clf.score(X, y) == pytest.approx(accuracy_score(y, pred))
    assert len(clf.history_["loss"]) == clf.epochs
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert (clf.n_timesteps_in_, clf.n_step_features_in_) == (N_STEPS, 2)


def test_one_vs_rest_has_a_sigmoid_per_class_and_probabilities_from_their_odds(models):
    clf, X, _ = models("one_vs_rest")
    outputs = clf.model_.predict(X.astype("float32"), verbose=0).astype(np.float64)
    assert outputs.shape == (len(X), 3)
    assert clf.model_.get_layer("output").activation.__name__ == "sigmoid"
    odds = outputs / (1 - outputs)
    np.testing.assert_allclose(clf.predict_proba(X), odds / odds.sum(axis=1, keepdims=True), 1e-5)
    # Trained on one-hot targets: the loss of the first epoch is the mean of 3 binary ones.
    assert clf.history_["loss"][0] < np.log(3)
    # Two classes get two outputs, one per class, not one sigmoid for both.
    X2, y2 = _labelled_sequences(["yes", "no"])
    binary = AttentionLSTMClassifier(**FAST, one_vs_rest=True).fit(X2, y2)
    assert binary.model_.output_shape == (None, 2)
    assert binary.predict_proba(X2).shape == (len(X2), 2)
    assert set(binary.predict(X2)) <= {"yes", "no"}


def test_numeric_labels_are_sorted_as_numbers(models):
    clf, X, _ = models("linear")
    assert clf.classes_.tolist() == [2, 10]
    assert clf.predict(X).dtype.kind == "i"


def test_cross_val_score_on_univariate_sequences():
    X, y = _labelled_sequences([0, 1], n_samples=36, n_features=1)
    scores = cross_val_score(AttentionLSTMClassifier(**{**FAST, "epochs": 1}), X[:, :, 0], y, cv=3)
    assert scores.shape == (3,)
    assert np.all((scores >= 0) & (scores <= 1))


def test_other_sequence_lengths_than_in_fit(models):
    clf, _, _ = models("additive")
    for n_steps in (5, 11):
        X_other = np.random.default_rng(n_steps).normal(size=(4, n_steps, 2))
        assert clf.predict(X_other).shape == (4,)
        assert clf.predict_proba(X_other).shape == (4, 3)
        weights = clf.explain(X_other)
        assert weights.shape == (4, n_steps)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)


# ------------------------------------------------------------------------ masking


@pytest.mark.parametrize("name", CONFIGS)
def test_padding_is_invisible_to_predictions_and_attention(models, name):
    """A sequence gets the same output however much padding it carries, before or after it."""
    clf, X, _ = models(name)
    X = X[:8].copy()
    X[0, 1] = 0.0  # a real all-zero step
    X[5, 2] = 0.0
    short, long = 4, N_STEPS
    seqs = [x[:short] if i % 2 else x for i, x in enumerate(X)]
    odd = np.arange(len(X)) % 2 == 1
    # References without any padding, one batch per length.
    ref_proba = np.empty((len(X), len(clf.classes_)))
    ref_proba[odd], ref_proba[~odd] = clf.predict_proba(X[odd, :short]), clf.predict_proba(X[~odd])
    ref_weights = np.zeros((len(X), long))
    ref_weights[odd, :short], ref_weights[~odd] = clf.explain(X[odd, :short]), clf.explain(X[~odd])
    assert np.all(ref_weights[0, 1] > 0) and np.all(ref_weights[5, 2] > 0)

    maxlen = 13  # 9 padded steps on short sequences, 5 on long ones
    for padding in ("post", "pre"):
        padded = SequencePadder(maxlen=maxlen, padding=padding).fit_transform(seqs)
        lengths = np.where(odd, short, long)
        steps = np.arange(maxlen)
        if padding == "post":
            real = steps < lengths[:, None]
        else:
            real = steps >= (maxlen - lengths)[:, None]
        assert np.all((padded[..., 0] == MASK_VALUE) == ~real)

        proba = clf.predict_proba(padded)
        np.testing.assert_allclose(proba, ref_proba, rtol=1e-4, atol=1e-5, err_msg=padding)
        weights = clf.explain(padded)
        assert np.all(weights[~real] == 0), padding  # exactly zero, not merely small
        got = weights[real]
        expected = ref_weights[:, :long][np.arange(long) < lengths[:, None]]
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5, err_msg=padding)
        # The real zero steps are observations, not padding.
        offset = maxlen - lengths if padding == "pre" else np.zeros_like(lengths)
        assert weights[0, offset[0] + 1] > 0 and weights[5, offset[5] + 2] > 0


def test_padding_by_concatenating_the_marker(models):
    clf, X, _ = models("linear")
    X = X[:6]
    marker = np.full((len(X), 3, X.shape[2]), MASK_VALUE)
    expected = clf.predict_proba(X)
    for padded, real in [
        (np.concatenate([X, marker], axis=1), slice(0, N_STEPS)),
        (np.concatenate([marker, X], axis=1), slice(3, None)),
    ]:
        np.testing.assert_allclose(clf.predict_proba(padded), expected, rtol=1e-4, atol=1e-5)
        weights = clf.explain(padded)
        assert np.count_nonzero(weights) == X.shape[0] * N_STEPS
        np.testing.assert_allclose(weights[:, real].sum(axis=1), 1.0, rtol=1e-5)


# ------------------------------------------------------------------ no attention


def test_attention_none_predicts_but_cannot_explain():
    clf, X, _ = _fitted(["a", "b", "c"], attention="none")
    assert clf.predict(X).shape == (len(X),)
    assert clf.predict_proba(X[:, :5]).shape == (len(X), 3)
    with pytest.raises(ValueError, match="attention='none'"):
        clf.explain(X)


# ------------------------------------------------------------ pooled batch norm


@pytest.fixture(scope="module")
def univariate():
    """A classifier fitted on 2-D (univariate) sequences, and those sequences as 3-D."""
    X, y = _labelled_sequences(["a", "b"], n_features=1)
    return AttentionLSTMClassifier(**FAST).fit(X[:, :, 0], y), X.astype(np.float32)


def _layer_names(clf):
    return [layer.name for layer in clf.model_.layers]


def test_auto_batch_norm_normalises_the_pooling_of_univariate_sequences_only(models, univariate):
    clf = univariate[0]
    assert clf.batch_norm_ is True
    assert _layer_names(clf)[-2:] == ["pooled_batch_norm", "output"]
    several = models("additive")[0]  # two values per step
    assert several.batch_norm_ is False
    assert "pooled_batch_norm" not in _layer_names(several)
    forced = _fitted(["a", "b"], batch_norm=True)[0]
    assert _layer_names(forced)[-2:] == ["pooled_batch_norm", "output"]


def test_the_normalisation_keeps_the_training_rows_exact_statistics(univariate):
    # Not Keras' running averages: the mean and variance of the final network's pooled
    # vectors over the rows it trained on (all of them here: FAST holds out none).
    clf, X = univariate
    layer = clf.model_.get_layer("pooled_batch_norm")
    pooled = keras.Model(clf.model_.input, layer.input)(X, training=False)
    pooled = np.asarray(pooled, dtype=np.float64)
    np.testing.assert_allclose(layer.moving_mean.numpy(), pooled.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), pooled.var(axis=0), rtol=1e-4)


def test_batch_norm_leaves_the_chance_plateau_of_long_univariate_sequences():
    # Zero-mean series whose class is the order of a +2/-2 wave somewhere in 200 steps:
    # averaged over the steps, an untrained LSTM's states barely tell the classes apart.
    rng = np.random.default_rng(0)
    y = np.arange(96) % 2
    X = rng.normal(scale=0.5, size=(96, 200))
    wave = np.r_[np.full(10, 2.0), np.full(10, -2.0)]
    for row, start in enumerate(rng.integers(0, 180, size=96)):
        X[row, start : start + 20] += wave if y[row] else -wave
    losses = {}
    for batch_norm in (True, False):
        params = dict(units=8, epochs=10, patience=None, batch_norm=batch_norm, patch_size=1)
        params["random_state"] = 0
        losses[batch_norm] = AttentionLSTMClassifier(**params).fit(X, y).history_["loss"][-1]
    assert losses[True] < 0.3 < 0.55 < losses[False]  # ln 2 = 0.69


@pytest.fixture(scope="module")
def univariate_inputs():
    """A classifier scoring the inputs of 2-D (univariate) sequences, and those as 3-D."""
    X, y = _labelled_sequences(["a", "b"], n_features=1)
    clf = AttentionLSTMClassifier(**FAST, score_from="inputs").fit(X[:, :, 0], y)
    return clf, X.astype(np.float32)


def test_univariate_input_scores_see_each_value_and_its_square(models, univariate_inputs):
    clf = univariate_inputs[0]
    assert (clf.score_from_, clf.deletion_penalty_) == ("inputs", 1.0)
    assert clf.model_.get_layer("step_encoding").input.shape[-1] == 2  # x and x**2
    assert "step_square" not in _layer_names(models("additive")[0])  # two values per step


def test_padding_leaves_univariate_input_scores_and_predictions_alone(univariate_inputs):
    # Masking zeroes a padded step, so its square is 0 too: nothing overflows.
    clf, X = univariate_inputs
    padded = np.concatenate([X, np.full((len(X), 5, 1), MASK_VALUE, np.float32)], axis=1)
    np.testing.assert_allclose(clf.predict_proba(padded), clf.predict_proba(X), atol=1e-6)
    weights = clf.explain(padded)
    assert np.all(np.isfinite(weights)) and np.all(weights[:, -5:] == 0)
    np.testing.assert_allclose(weights[:, :-5], clf.explain(X), atol=1e-6)


def test_auto_patience_waits_longer_for_the_normalised_pooling(models, univariate):
    # 48 rows at batch 16 are 3 gradient steps an epoch: "auto" would wait 117 epochs,
    # capped at 45 with the normalised pooling and at 15 without, as other estimators.
    assert univariate[0].patience == "auto" and univariate[0].patience_ == 45
    assert models("additive")[0].patience_ == 15


# ------------------------------------------------------------------ patches


@pytest.fixture(scope="module")
def patched():
    """A classifier fitted with 3 steps per patch, and its 3-D sequences."""
    X, y = _labelled_sequences(["a", "b"])
    return AttentionLSTMClassifier(**FAST, patch_size=3).fit(X, y), X


def test_patch_size_groups_steps_before_the_lstm(univariate):
    assert univariate[0].patch_size == 1  # the default: every step is a step of the network
    assert "step_patches" not in _layer_names(univariate[0])
    X = np.random.default_rng(0).normal(size=(32, 200))
    clf = AttentionLSTMClassifier(**FAST, patch_size=3).fit(X, np.arange(32) % 2)
    assert _layer_names(clf)[:3] == ["sequence", "step_patches", "padding_mask"]
    assert clf.model_.get_layer("step_patches").output.shape[-1] == 3  # 3 steps of 1 value
    assert clf.score_from_ == "inputs"  # "auto": a patch has several values
    assert clf.explain(X[:4]).shape == (4, 200)


def test_explain_shares_each_patch_weight_among_its_real_steps(patched):
    clf, X = patched
    weights = clf.explain(X)  # 8 steps: patches of steps 0-2, 3-5 and 6-7
    assert weights.shape == (len(X), N_STEPS)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    for group in (slice(0, 3), slice(3, 6), slice(6, 8)):
        np.testing.assert_allclose(
            weights[:, group], weights[:, group][:, :1].repeat(group.stop - group.start, axis=1)
        )
    assert not np.allclose(weights[:, 0], weights[:, 3])


def test_patches_start_at_the_first_real_step_whatever_the_padding(patched):
    clf, X = patched
    X = X[:6]
    expected, weights = clf.predict_proba(X), clf.explain(X)
    for before in (1, 2, 4):
        marker = np.full((len(X), before, X.shape[2]), MASK_VALUE)
        padded = np.concatenate([marker, X, marker[:, :1]], axis=1)
        np.testing.assert_allclose(clf.predict_proba(padded), expected, rtol=1e-4, atol=1e-6)
        shifted = clf.explain(padded)
        np.testing.assert_allclose(shifted[:, before : before + N_STEPS], weights, atol=1e-6)
        assert np.all(shifted[:, :before] == 0) and np.all(shifted[:, -1] == 0)


# ---------------------------------------------------------------- class weights


@pytest.fixture(scope="module")
def imbalanced():
    """72 'common' then 8 'rare' sequences (sorted by class); 'rare' shifts step 2."""
    rng = np.random.default_rng(3)
    y = np.array(["common"] * 72 + ["rare"] * 8)
    X = rng.normal(size=(len(y), 6, 1))
    X[y == "rare", 2, 0] += 2.0
    return X, y


@pytest.fixture(scope="module")
def weighted_pair(imbalanced):
    X, y = imbalanced
    # A larger step size so that two epochs show the effect of the weights.
    params = {**FAST, "learning_rate": 1e-2, "validation_fraction": 0.2}
    plain = AttentionLSTMClassifier(**params).fit(X, y)
    balanced = AttentionLSTMClassifier(**params, class_weight="balanced").fit(X, y)
    return plain, balanced


def test_balanced_class_weight_favours_the_minority_class(imbalanced, weighted_pair):
    X, _ = imbalanced
    plain, balanced = weighted_pair
    n_rare_plain = np.sum(plain.predict(X) == "rare")
    n_rare_balanced = np.sum(balanced.predict(X) == "rare")
    assert n_rare_balanced > n_rare_plain


def test_early_stopping_split_is_stratified_on_sorted_data(imbalanced, weighted_pair):
    _, y = imbalanced
    _, clf = weighted_pair
    assert "val_loss" in clf.history_
    y_encoded = clf.target_encoder_.transform(y)
    train, val = clf._validation_split(y_encoded)
    assert len(val) == 16 and len(train) == 64
    held_out = clf.classes_[y_encoded[val].ravel().astype(int)]
    assert set(held_out) == {"common", "rare"}
    # Stratified: the 1:9 class ratio is kept in the held-out part.
    assert np.sum(held_out == "rare") == 2


@pytest.mark.parametrize(
    ("n_per_class", "validation_fraction", "expected"),
    [(12, "auto", 0.0), (20, "auto", 0.1), (12, 0.1, 0.1), (20, 0.0, 0.0)],
)
def test_auto_validation_fraction_holds_out_two_rows_per_class_or_none(
    n_per_class, validation_fraction, expected
):
    # 3 classes: 10 % of 36 rows is 3 rows (one per class), too few to rank epochs;
    # 10 % of 60 is 6, two per class. A given fraction is used as given.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3 * n_per_class, 5, 2))
    y = np.repeat(["a", "b", "c"], n_per_class)
    params = {**FAST, "epochs": 1, "validation_fraction": validation_fraction}
    clf = AttentionLSTMClassifier(**params).fit(X, y)
    assert clf.validation_fraction_ == expected
    assert ("val_loss" in clf.history_) == (expected > 0)
    assert AttentionLSTMClassifier().validation_fraction == "auto"


def test_clone_and_pickle_round_trips(models):
    clf, X, y = models("linear")
    expected = clf.predict_proba(X)
    twin = clone(clf)
    assert twin.get_params() == clf.get_params()
    np.testing.assert_array_equal(twin.fit(X, y).predict_proba(X), expected)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), expected)
    np.testing.assert_array_equal(restored.classes_, clf.classes_)
    np.testing.assert_array_equal(restored.explain(X), clf.explain(X))


def test_a_rows_outputs_do_not_depend_on_the_other_rows(models):
    # Inference runs in fixed-size batches, so reordering or subsetting the rows
    # gives bit-identical outputs (see also tests/test_inference.py).
    clf, X, _ = models("additive")
    proba, weights = clf.predict_proba(X), clf.explain(X)
    assert proba.dtype == weights.dtype == np.float64
    order = np.random.default_rng(0).permutation(len(X))
    np.testing.assert_array_equal(clf.predict_proba(X[order]), proba[order])
    np.testing.assert_array_equal(clf.explain(X[order]), weights[order])
    np.testing.assert_array_equal(clf.predict_proba(X[5:18]), proba[5:18])
    # ...and within the rounding of float32 of what the trained network computes.
    np.testing.assert_allclose(clf.model_.predict(X, verbose=0), proba, rtol=1e-4, atol=1e-6)


def test_predictions_follow_further_training(models):
    clf, X, y = models("additive")
    clf = pickle.loads(pickle.dumps(clf))  # a private copy: the fixture is shared
    before = clf.predict_proba(X)
    clf.partial_fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), clf.model_.predict(X, verbose=0), rtol=1e-4)
    assert not np.allclose(clf.predict_proba(X), before)


# --------------------------------------------------------------------- bad input


def _seqs(n=6):
    return np.random.default_rng(0).normal(size=(n, 4, 2))


def _with_nan():
    X = _seqs()
    X[2, 1, 0] = np.nan
    return X


@pytest.mark.parametrize(
    ("X", "y", "params", "match"),
    [
        (_seqs(), np.array(["a"] * 6), {}, "at least 2 classes"),
        (_seqs(), np.linspace(0.0, 1.0, 6), {}, "Unknown label type"),
        (_seqs(), np.linspace(0.0, 1.0, 6), {"class_weight": "balanced"}, "Unknown label type"),
        (_seqs(), np.eye(6, 2, dtype=int), {}, "1d array"),  # multilabel indicator
        (np.zeros((0, 4, 2)), np.array([]), {}, "0 sample"),
        (_with_nan(), np.array([0, 1] * 3), {}, r"NaN or infinity.*X\[2, 1\]"),
        (_seqs(), np.array([0, 1] * 2), {}, "inconsistent numbers of samples"),
        (_seqs(), np.array([0, 1] * 3), {"class_weight": "bogus"}, "'class_weight' parameter"),
        (_seqs(), np.array([0, 1] * 3), {"class_weight": {0: 1.0, 7: 2.0}}, "not in class_weight"),
        (_seqs(), np.array([0, 1] * 3), {"class_weight": {0: 1.0, 1: -2.0}}, "finite numbers >= 0"),
        (_seqs(), np.array([0, 1] * 3), {"class_weight": {0: np.nan}}, "finite numbers >= 0"),
        (_seqs(), np.array([0, 1] * 3), {"validation_fraction": "half"}, "'validation_fraction"),
        (_seqs(), np.array([0, 1] * 3), {"one_vs_rest": "auto"}, "'one_vs_rest' parameter"),
        (_seqs(), np.array([0, 1] * 3), {"entropy_penalty": -1.0}, "'entropy_penalty' param"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, params, match):
    X_before, y_before = X.copy(), y.copy()
    with pytest.raises(ValueError, match=match):
        AttentionLSTMClassifier(**{**FAST, **params}).fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_other_features_per_step_at_predict_are_rejected(models):
    clf, X, _ = models("additive")
    X_before = X.copy()
    for method in (clf.predict, clf.predict_proba, clf.explain):
        with pytest.raises(ValueError, match=r"3 features per time step.*fitted with 2"):
            method(np.zeros((2, N_STEPS, 3)))
    X_nan = X[:3].copy()
    X_nan[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinity.*X\[1, 2\]"):
        clf.predict_proba(X_nan)
    np.testing.assert_array_equal(X, X_before)


# ------------------------------------------------------------------------ pipelines


def test_ragged_sequences_in_a_tuned_pipeline():
    seqs, y, _ = make_sequence_classification(
        40, n_classes=2, n_features=2, min_length=5, max_length=12, random_state=0
    )
    seqs[3][2, 1] = np.nan  # a missing observation: SequenceMasker turns the step into padding
    before = [s.copy() for s in seqs]
    pipe = make_pipeline(
        SequencePadder(),
        SequenceMasker(),
        SequenceScaler(),
        AttentionLSTMClassifier(**{**FAST, "epochs": 1}),
    )
    search = GridSearchCV(pipe, {"attentionlstmclassifier__units": [3, 4]}, cv=2)
    search.fit(seqs, y)
    assert search.best_params_["attentionlstmclassifier__units"] in (3, 4)
    model = search.best_estimator_
    pred = model.predict(seqs)
    assert pred.shape == (40,) and set(pred) <= {0, 1}
    proba = model.predict_proba(seqs)
    assert proba.shape == (40, 2)
    np.testing.assert_array_equal(model.classes_[np.argmax(proba, axis=1)], pred)
    assert model[-1].explain(model[:-1].transform(seqs))[3, 2] == 0  # the masked step
    for s, b in zip(seqs, before, strict=True):
        np.testing.assert_array_equal(s, b)
