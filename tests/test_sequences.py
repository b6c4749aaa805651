"""Tests for SequencePadder, SequenceMasker, SequenceScaler and make_sequence_classification."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMClassifier,
    SequenceMasker,
    SequencePadder,
    SequenceScaler,
)
from attn_sklearn._masking import real_steps
from attn_sklearn.datasets import make_sequence_classification

M = MASK_VALUE


def _ragged():
    return [
        np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]),
        np.array([[4.0, 40.0]]),
        np.array([[5.0, 50.0], [6.0, 60.0]]),
    ]


# --------------------------------------------------------------------------- SequencePadder


def test_padder_post_padding_exact():
    Xp = SequencePadder().fit_transform(_ragged())
    assert Xp.dtype == np.float64
    expected = np.array(
        [
            [[1, 10], [2, 20], [3, 30]],
            [[4, 40], [M, M], [M, M]],
            [[5, 50], [6, 60], [M, M]],
        ]
    )
    assert_array_equal(Xp, expected)
    assert_array_equal(real_steps(Xp), [[1, 1, 1], [1, 0, 0], [1, 1, 0]])


def test_padder_pre_padding_exact():
    Xp = SequencePadder(padding="pre").fit_transform(_ragged())
    expected = np.array(
        [
            [[1, 10], [2, 20], [3, 30]],
            [[M, M], [M, M], [4, 40]],
            [[M, M], [5, 50], [6, 60]],
        ]
    )
    assert_array_equal(Xp, expected)


def test_padder_keeps_floats_and_zero_steps():
    # keras.utils.pad_sequences would truncate to int32 and Masking(0) would drop the zeros.
    X = [np.array([0.25, 0.0, -1.5]), np.array([0.0])]
    Xp = SequencePadder().fit_transform(X)
    assert Xp.shape == (2, 3, 1)
    assert_array_equal(Xp[0, :, 0], [0.25, 0.0, -1.5])
    assert_array_equal(real_steps(Xp), [[1, 1, 1], [1, 0, 0]])


def test_padder_1d_sequences_and_lists():
    padder = SequencePadder().fit([[1, 2, 3], [4, 5]])
    assert padder.n_features_in_ == 1
    assert padder.maxlen_ == 3
    assert_array_equal(padder.transform([[7, 8]])[..., 0], [[7, 8, M]])


def test_padder_accepts_3d_array_and_tuple():
    X = np.arange(12.0).reshape(2, 3, 2)
    assert_array_equal(SequencePadder().fit_transform(X), X)
    assert_array_equal(SequencePadder().fit_transform(tuple(X)), X)


def test_padder_does_not_modify_input():
    X = _ragged()
    copies = [x.copy() for x in X]
    SequencePadder(maxlen=2).fit_transform(X)
    for x, c in zip(X, copies, strict=True):
        assert_array_equal(x, c)


def test_padder_keeps_nan():
    Xp = SequencePadder().fit_transform([np.array([1.0, np.nan]), np.array([2.0])])
    assert np.isnan(Xp[0, 1, 0])
    assert Xp[1, 1, 0] == M


def test_padder_maxlen_given_and_learned():
    assert SequencePadder().fit(_ragged()).maxlen_ == 3
    padder = SequencePadder(maxlen=5).fit(_ragged())
    assert padder.maxlen_ == 5
    Xp = padder.transform(_ragged())
    assert Xp.shape == (3, 5, 2)
    assert_array_equal(real_steps(Xp).sum(axis=1), [3, 1, 2])


@pytest.mark.parametrize(
    "truncating, padding, expected",
    [
        ("pre", "post", [[2, 3], [4, M], [5, 6]]),
        ("post", "post", [[1, 2], [4, M], [5, 6]]),
        ("pre", "pre", [[2, 3], [M, 4], [5, 6]]),
    ],
)
def test_padder_truncation(truncating, padding, expected):
    padder = SequencePadder(
        maxlen=2, truncating=truncating, padding=padding, on_overflow="truncate"
    )
    Xp = padder.fit_transform(_ragged())
    assert_array_equal(Xp[..., 0], expected)


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_padder_keeps_every_real_step_of_a_longer_sequence_by_default(padding):
    padder = SequencePadder(padding=padding).fit([[1.0, 2.0], [3.0]])
    assert padder.maxlen_ == 2
    Xp = padder.transform([[9.0], [1.0, 2.0, 3.0, 4.0]])[..., 0]
    expected = [[9.0, M, M, M], [1.0, 2.0, 3.0, 4.0]]
    assert_array_equal(Xp, expected if padding == "post" else [[M, M, M, 9.0], expected[1]])
    assert padder.transform([[5.0]]).shape == (1, 2, 1)  # shorter calls keep maxlen_
    explicit = SequencePadder(maxlen=3).fit([[1.0]])
    assert explicit.transform([[1.0, 2.0, 3.0, 4.0, 5.0]]).shape == (1, 5, 1)


def test_a_longer_test_sequence_changes_no_other_prediction():
    rng = np.random.default_rng(0)
    train = [rng.normal(size=(int(rng.integers(3, 7)), 2)) for _ in range(40)]
    labels = np.array([int(seq[:, 0].sum() > 0) for seq in train])
    clf = make_pipeline(
        SequencePadder(),
        AttentionLSTMClassifier(units=4, epochs=2, validation_fraction=0.0, random_state=0),
    ).fit(train, labels)
    longer = rng.normal(size=(15, 2))  # longer than any training sequence
    alone = clf.predict_proba(train[:5])
    together = clf.predict_proba([*train[:5], longer])
    assert_array_equal(together[:5], alone)
    truncated = clf.set_params(sequencepadder__on_overflow="truncate")
    assert not np.allclose(truncated.predict_proba([longer]), together[5:])


def test_padder_on_overflow_raise():
    padder = SequencePadder(on_overflow="raise").fit([[1.0, 2.0]])
    assert_array_equal(padder.transform([[3.0]])[..., 0], [[3.0, M]])
    with pytest.raises(ValueError, match=r"Sequence 1 has 3 steps, more than maxlen_=2"):
        padder.transform([[1.0], [1.0, 2.0, 3.0]])


def test_padder_long_dataframe():
    df = pd.DataFrame(
        {
            "id": ["b", "a", "b", "a", "b"],
            "t": [2, 5, 0, 1, 1],
            "x": [3.0, 20.0, 1.0, 10.0, 2.0],
            "z": [30.0, 200.0, 10.0, 100.0, 20.0],
        }
    )
    padder = SequencePadder(id_column="id", time_column="t").fit(df)
    assert padder.n_features_in_ == 2
    assert padder.maxlen_ == 3
    assert list(padder.feature_names_in_) == ["x", "z"]
    Xp = padder.transform(df)
    # "b" first (first appearance), each sequence sorted by t.
    expected = np.array([[[1, 10], [2, 20], [3, 30]], [[10, 100], [20, 200], [M, M]]])
    assert_array_equal(Xp, expected)
    # Without time_column the row order is kept.
    Xr = SequencePadder(id_column="id").fit_transform(df.drop(columns="t"))
    assert_array_equal(Xr[0, :, 0], [3, 1, 2])
    # Columns in another order at transform are matched by name.
    assert_array_equal(padder.transform(df[["z", "t", "x", "id"]]), expected)


def test_padder_dataframe_errors():
    df = pd.DataFrame({"id": [0, 0, 1], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="id_column must name"):
        SequencePadder().fit(df)
    with pytest.raises(ValueError, match="id_column='seq' is not a column"):
        SequencePadder(id_column="seq").fit(df)
    with pytest.raises(ValueError, match=r"non-numeric columns: \['s'\]"):
        SequencePadder(id_column="id").fit(df.assign(s=["a", "b", "c"]))
    with pytest.raises(ValueError, match="X is empty"):
        SequencePadder(id_column="id").fit(df.iloc[:0])
    with pytest.raises(ValueError, match="time_column='t' contains missing values"):
        SequencePadder(id_column="id", time_column="t").fit(df.assign(t=[0.0, np.nan, 1.0]))
    padder = SequencePadder(id_column="id").fit(df)
    with pytest.raises(ValueError, match=r"missing \['x'\], unexpected \['w'\]"):
        padder.transform(df.rename(columns={"x": "w"}))
    with pytest.raises(ValueError, match=r"Sequence 1 \(id=1\) contains inf"):
        padder.transform(df.assign(x=[1.0, 2.0, np.inf]))


@pytest.mark.parametrize(
    "X, error, match",
    [
        ([], ValueError, "X is empty"),
        ([[1.0, 2.0], []], ValueError, r"X\[1\] is empty \(0 time steps\)"),
        (
            [np.ones((2, 3)), np.ones((2, 3)), np.ones((4, 2))],
            ValueError,
            r"X\[2\] has 2 features, but X\[0\] has 3",
        ),
        ([np.ones((2, 2, 2))], ValueError, r"X\[0\] must be 1-D .* shape \(2, 2, 2\)"),
        ([np.array(["a", "b"])], ValueError, r"X\[0\] is non-numeric"),
        ([np.array([1.0, "a"], dtype=object)], ValueError, r"X\[0\] is non-numeric"),
        ([[1.0], [2.0, np.inf]], ValueError, r"X\[1\] contains inf"),
        ([[1.0], [MASK_VALUE, 2.0]], ValueError, r"X\[1\] contains MASK_VALUE"),
        (np.ones((3, 4)), ValueError, r"received an array of shape \(3, 4\)"),
        ("abc", TypeError, "received str"),
    ],
)
def test_padder_input_errors(X, error, match):
    with pytest.raises(error, match=match):
        SequencePadder().fit(X)


def test_padder_feature_mismatch_at_transform():
    padder = SequencePadder().fit(_ragged())
    with pytest.raises(ValueError, match="1 features per time step, but SequencePadder was fitted"):
        padder.transform([[1.0, 2.0]])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"maxlen": 0}, "maxlen"),
        ({"maxlen": 2.5}, "maxlen"),
        ({"padding": "left"}, "padding"),
        ({"truncating": "middle"}, "truncating"),
        ({"on_overflow": "ignore"}, "on_overflow"),
    ],
)
def test_padder_bad_params(params, match):
    with pytest.raises(ValueError, match=match):
        SequencePadder(**params).fit(_ragged())


def test_transform_before_fit():
    for est in (SequencePadder(), SequenceMasker(), SequenceScaler()):
        with pytest.raises(NotFittedError):
            est.transform(np.ones((1, 2, 1)))


# --------------------------------------------------------------------------- SequenceMasker


def test_masker_nan_step_becomes_padding_zero_step_stays_real():
    X = np.array([[[1.0, 2.0], [np.nan, 3.0], [0.0, 0.0], [M, M]]])
    X_orig = X.copy()
    Xm = SequenceMasker().fit_transform(X)
    assert_array_equal(real_steps(Xm), [[True, False, True, False]])
    assert_array_equal(Xm[0, 1], [M, M])
    assert_array_equal(Xm[0, 2], [0.0, 0.0])
    assert_array_equal(Xm[0, 0], [1.0, 2.0])
    assert_array_equal(X, X_orig)  # input untouched (NaN compares equal here)
    assert Xm is not X


def test_masker_missing_all():
    X = np.array([[[np.nan, np.nan], [1.0, 2.0]]])
    Xm = SequenceMasker(missing="all").fit_transform(X)
    assert_array_equal(real_steps(Xm), [[False, True]])
    X_partial = np.array([[[np.nan, np.nan], [1.0, 2.0], [np.nan, 4.0]]])
    with pytest.raises(ValueError, match=r"X\[0, 2\] has NaN in some but not all features"):
        SequenceMasker(missing="all").fit_transform(X_partial)


def test_masker_2d_is_univariate():
    Xm = SequenceMasker().fit_transform(np.array([[1.0, np.nan, 0.0]]))
    assert Xm.shape == (1, 3, 1)
    assert_array_equal(real_steps(Xm), [[True, False, True]])


def test_masker_errors():
    masker = SequenceMasker().fit(np.ones((2, 3, 2)))
    with pytest.raises(ValueError, match="3 features per time step, but SequenceMasker was fitted"):
        masker.transform(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match=r"X\[0, 1\] mixes the padding marker"):
        masker.transform(np.array([[[1.0, 1.0], [M, 1.0]]]))
    with pytest.raises(ValueError, match=r"different lengths.*Pad them with SequencePadder"):
        masker.transform([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        masker.transform(np.ones(4))
    with pytest.raises(ValueError, match="missing"):
        SequenceMasker(missing="some").fit(np.ones((1, 2, 1)))


# --------------------------------------------------------------------------- SequenceScaler


def test_scaler_statistics_from_real_steps_only():
    rng = np.random.RandomState(0)
    X = [rng.normal(5.0, 3.0, size=(n, 2)) for n in (4, 9, 2)]
    Xp = SequencePadder().fit_transform(X)
    scaler = SequenceScaler().fit(Xp)
    real = np.concatenate(X)
    assert_allclose(scaler.mean_, real.mean(axis=0))
    assert_allclose(scaler.scale_, real.std(axis=0))
    Xs = scaler.transform(Xp)
    mask = real_steps(Xp)
    assert_array_equal(real_steps(Xs), mask)
    assert np.all(Xs[~mask] == M)
    assert_allclose(Xs[mask].mean(axis=0), 0.0, atol=1e-12)
    assert_allclose(Xs[mask].std(axis=0), 1.0)
    # Post padding keeps sequence-then-time order, the order of np.concatenate(X).
    assert_allclose(Xs[mask], (real - real.mean(0)) / real.std(0))


def test_scaler_inverse_round_trip():
    Xp = SequencePadder(padding="pre").fit_transform(_ragged())
    Xp_orig, scaler = Xp.copy(), SequenceScaler().fit(Xp)
    Xs = scaler.transform(Xp)
    Xs_orig = Xs.copy()
    back = scaler.inverse_transform(Xs)
    assert_array_equal(Xp, Xp_orig)  # inputs untouched
    assert_array_equal(Xs, Xs_orig)
    assert_allclose(back, Xp)
    assert np.all(back[~real_steps(Xp)] == M)


@pytest.mark.parametrize("with_mean, with_std", [(False, True), (True, False), (False, False)])
def test_scaler_options(with_mean, with_std):
    Xp = SequencePadder().fit_transform(_ragged())
    scaler = SequenceScaler(with_mean=with_mean, with_std=with_std).fit(Xp)
    real = Xp[real_steps(Xp)]
    mean = real.mean(0) if with_mean else 0.0
    scale = real.std(0) if with_std else 1.0
    Xs = scaler.transform(Xp)
    assert_allclose(Xs[real_steps(Xp)], (real - mean) / scale)
    assert_allclose(scaler.inverse_transform(Xs), Xp)


def test_scaler_zero_variance_feature():
    X = np.array([[[1.0, 7.0], [3.0, 7.0], [M, M]], [[5.0, 7.0], [M, M], [M, M]]])
    scaler = SequenceScaler().fit(X)
    assert_allclose(scaler.scale_, [np.std([1.0, 3.0, 5.0]), 1.0])
    Xs = scaler.transform(X)
    assert_array_equal(Xs[real_steps(X)][:, 1], 0.0)


def test_scaler_2d_is_univariate():
    Xs = SequenceScaler().fit_transform(np.array([[1.0, 3.0], [5.0, M]]))
    assert Xs.shape == (2, 2, 1)
    assert Xs[1, 1, 0] == M


def test_scaler_errors():
    with pytest.raises(ValueError, match="SequenceMasker first"):
        SequenceScaler().fit(np.array([[[1.0], [np.nan]]]))
    with pytest.raises(ValueError, match="no real"):
        SequenceScaler().fit(np.full((2, 3, 1), M))
    scaler = SequenceScaler().fit(np.ones((2, 3, 2)))
    with pytest.raises(ValueError, match="SequenceMasker first"):
        scaler.transform(np.array([[[1.0, np.nan]]]))
    with pytest.raises(ValueError, match="1 features per time step, but SequenceScaler was"):
        scaler.inverse_transform(np.ones((2, 3, 1)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        scaler.transform(np.array([[[1.0, np.inf]]]))


# --------------------------------------------------------------------------- together


def test_pipeline_on_ragged_list():
    X = [
        np.array([[1.0, 2.0], [np.nan, 1.0], [3.0, 4.0]]),
        np.array([[0.0, 0.0]]),
        np.array([[5.0, 6.0], [7.0, 8.0]]),
    ]
    pipe = make_pipeline(SequencePadder(), SequenceMasker(), SequenceScaler())
    Xt = pipe.fit_transform(X)
    assert Xt.shape == (3, 3, 2)
    assert_array_equal(real_steps(Xt), [[1, 0, 1], [1, 0, 0], [1, 1, 0]])
    real = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0], [5.0, 6.0], [7.0, 8.0]])
    assert_allclose(Xt[real_steps(Xt)], (real - real.mean(0)) / real.std(0))
    assert not np.isnan(Xt).any()


@pytest.mark.parametrize(
    "est",
    [
        SequencePadder(maxlen=4, padding="pre", id_column="id", time_column="t"),
        SequenceMasker(missing="all"),
        SequenceScaler(with_mean=False),
    ],
)
def test_clone_and_get_params(est):
    cloned = clone(est)
    assert cloned.get_params() == est.get_params()
    assert cloned is not est


@pytest.mark.parametrize("Est", [SequenceMasker, SequenceScaler])
def test_input_length_rules(Est):
    # 3-D: any number of time steps at transform; 2-D: scikit-learn's rule, same columns.
    est = Est().fit(np.ones((2, 3, 1)) + np.arange(3)[:, None])
    assert est.transform(np.ones((4, 7, 1))).shape == (4, 7, 1)
    assert est.transform(np.ones((4, 7))).shape == (4, 7, 1)
    est = Est().fit(np.arange(6.0).reshape(2, 3))
    assert est.n_features_in_ == 3 and est.n_step_features_in_ == 1
    with pytest.raises(ValueError, match=r"X has 4 features, but .* is expecting 3 features"):
        est.transform(np.ones((2, 4)))


@parametrize_with_checks([SequenceMasker(), SequenceScaler()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_tags():
    assert SequencePadder().__sklearn_tags__().input_tags.three_d_array
    assert SequencePadder().__sklearn_tags__().input_tags.allow_nan
    assert SequenceMasker().__sklearn_tags__().input_tags.allow_nan
    assert not SequenceScaler().__sklearn_tags__().input_tags.allow_nan


# --------------------------------------------------------------------------- dataset


def test_make_sequence_classification_shapes_and_determinism():
    X, y, steps = make_sequence_classification(random_state=0)
    assert len(X) == len(y) == len(steps) == 400
    assert all(x.ndim == 2 and x.shape[1] == 3 and x.dtype == np.float64 for x in X)
    lengths = np.array([len(x) for x in X])
    assert lengths.min() >= 20 and lengths.max() <= 60
    assert lengths.max() >= 3 * lengths.min()
    assert set(np.unique(y)) == set(range(8))
    assert np.bincount(y).max() - np.bincount(y).min() <= 1
    for s, n in zip(steps, lengths, strict=True):
        assert s.shape == (3,) and np.all(np.diff(s) > 0) and s.min() >= 0 and s.max() < n
    X2, y2, steps2 = make_sequence_classification(random_state=0)
    assert_array_equal(y, y2)
    for a, b in zip(X + steps, X2 + steps2, strict=True):
        assert_array_equal(a, b)
    _, y3, _ = make_sequence_classification(random_state=1)
    assert not np.array_equal(y, y3)


def test_make_sequence_classification_information_only_at_planted_steps():
    X, y, steps = make_sequence_classification(800, random_state=0)
    planted = np.array([x[s].mean(axis=0) for x, s in zip(X, steps, strict=True)])
    rest = np.array([np.delete(x, s, axis=0).mean(axis=0) for x, s in zip(X, steps, strict=True)])
    planted_by_class = np.array([planted[y == c].mean(axis=0) for c in range(8)])
    rest_by_class = np.array([rest[y == c].mean(axis=0) for c in range(8)])
    # Class patterns have norm 3: class means of planted steps are far apart ...
    dist = np.linalg.norm(planted_by_class[:, None] - planted_by_class[None], axis=-1)
    assert dist[~np.eye(8, dtype=bool)].min() > 1.5
    # ... and the other steps are pure noise with the same mean for every class.
    assert np.abs(rest_by_class).max() < 0.1
    # Lengths carry no class information.
    lengths = np.array([len(x) for x in X])
    assert np.ptp([lengths[y == c].mean() for c in range(8)]) < 6


def test_make_sequence_classification_univariate_and_patterns_fixed():
    X, y, steps = make_sequence_classification(
        30, n_classes=3, n_features=1, noise=0.0, random_state=0
    )
    # One non-zero level per class, distinct across classes.
    levels = [
        np.unique(np.concatenate([x[s] for x, s, c in zip(X, steps, y, strict=True) if c == k]))
        for k in range(3)
    ]
    assert all(len(v) == 1 and v[0] != 0 for v in levels)
    assert len({float(v[0]) for v in levels}) == 3
    # Non-planted steps are exactly the (zero) background.
    assert all(np.count_nonzero(x) == len(s) for x, s in zip(X, steps, strict=True))
    # The class patterns do not depend on random_state.
    X2, y2, steps2 = make_sequence_classification(
        30, n_classes=3, n_features=1, noise=0.0, random_state=5
    )
    i, j = int(np.flatnonzero(y == 0)[0]), int(np.flatnonzero(y2 == 0)[0])
    assert_array_equal(X[i][steps[i]], X2[j][steps2[j]])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_informative_steps": 21}, "n_informative_steps must be <= min_length"),
        ({"min_length": 30, "max_length": 20}, "max_length must be >= min_length"),
        ({"n_samples": 5}, "n_samples must be >= n_classes"),
        ({"n_classes": 1}, "n_classes must be an integer >= 2"),
        ({"n_features": 0}, "n_features must be an integer >= 1"),
        ({"noise": -1.0}, "noise must be a finite number >= 0"),
        ({"min_length": 2.5}, "min_length must be an integer"),
    ],
)
def test_make_sequence_classification_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_sequence_classification(**kwargs)
