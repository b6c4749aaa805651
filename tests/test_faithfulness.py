"""The deletion test: hiding the most-, least- and randomly-attended steps."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMClassifier,
    AttentionLSTMForecaster,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
    SequencePadder,
    SlidingWindowTransformer,
    pack_modalities,
)
from attn_sklearn.datasets import make_multimodal_sequences, make_sequence_classification
from attn_sklearn.inspection import deletion_curve
from attn_sklearn.plotting import plot_deletion_curve

matplotlib.use("Agg")
SMALL = dict(units=4, epochs=2, random_state=0)


@pytest.fixture(scope="module")
def fitted():
    X = np.random.default_rng(0).normal(size=(80, 7))
    y = X[:, 2] + 0.5 * X[:, 5]
    return AttentionLSTMRegressor(**SMALL).fit(X, y), X, y


def _hide(X, steps_per_row):
    hidden = X.copy()
    for row, steps in enumerate(steps_per_row):
        hidden[row, steps] = MASK_VALUE
    return hidden


def test_scores_match_hiding_the_steps_by_hand(fitted):
    reg, X, y = fitted
    original = X.copy()
    result = deletion_curve(reg, X, y, k=[3, 1], random_state=0)
    np.testing.assert_array_equal(result.k, [1, 3])
    weights = reg.explain(X)
    assert result.baseline == reg.score(X, y)
    ranked = np.argsort(-weights, axis=1, kind="stable")
    assert result.most_attended[0] == reg.score(_hide(X, ranked[:, :1]), y)
    assert result.most_attended[1] == reg.score(_hide(X, ranked[:, :3]), y)
    least = np.argsort(weights, axis=1, kind="stable")
    assert result.least_attended[1] == reg.score(_hide(X, least[:, :3]), y)
    np.testing.assert_array_equal(X, original)  # the caller's X is never modified


def test_random_steps_are_seeded_and_averaged(fitted):
    reg, X, y = fitted
    first = deletion_curve(reg, X, y, k=[1, 2], n_repeats=3, random_state=1)
    again = deletion_curve(reg, X, y, k=[1, 2], n_repeats=3, random_state=1)
    np.testing.assert_array_equal(first.random_mean, again.random_mean)
    assert np.all(first.random_std > 0)
    single = deletion_curve(reg, X, y, k=[1], n_repeats=1, random_state=1)
    assert single.random_std[0] == 0


def test_padding_is_never_hidden_and_a_row_keeps_one_real_step():
    rng = np.random.default_rng(0)
    sequences = [rng.normal(size=(n, 2)) for n in (1, 2, 3, 4, 5, 6) * 5]
    labels = np.array([int(seq[0, 0] > 0) for seq in sequences])
    clf = make_pipeline(SequencePadder(), AttentionLSTMClassifier(**SMALL)).fit(sequences, labels)
    padded = clf[:-1].transform(sequences)
    seen = []

    def recording_scorer(estimator, X, y):
        seen.append(np.array(X))
        return estimator.score(X, y)

    deletion_curve(clf, sequences, labels, k=[10], n_repeats=1, scoring=recording_scorer)
    was_real = padded[..., 0] != MASK_VALUE
    unchanged = [X for X in seen if np.array_equal(X, padded)]
    assert len(unchanged) == 1  # the baseline; every other call hid steps
    for X in seen:
        now_real = X[..., 0] != MASK_VALUE
        assert not np.any(now_real & ~was_real)  # padding stays padding
        if not np.array_equal(X, padded):  # k=10 leaves each row exactly one real step
            assert np.all(now_real.sum(axis=1) == 1)


def test_a_windowing_pipeline_with_pandas_and_the_multimodal_classifier():
    index = pd.date_range("2024-01-01", periods=150, freq="D")
    frame = pd.DataFrame({"sales": np.sin(np.arange(150) / 4.0)}, index=index)
    pipe = make_pipeline(SlidingWindowTransformer(window=6), AttentionLSTMRegressor(**SMALL))
    X, y = frame.iloc[:-1], frame["sales"].to_numpy()[1:]
    pipe.fit(X, y)
    result = deletion_curve(pipe, X, y, k=2, n_repeats=2, random_state=0)
    assert result.baseline == pytest.approx(pipe.score(X, y))
    assert result.most_attended.shape == (1,)

    modalities, labels, _ = make_multimodal_sequences(
        60, n_timesteps=5, image_shape=(4, 4, 1), hours=2, w_features=2, random_state=0
    )
    packed = pack_modalities(**modalities)
    clf = MultimodalAttentionClassifier(**SMALL).fit(packed, labels)
    before = packed.copy()
    result = deletion_curve(clf, packed, labels, k=[1, 4], n_repeats=2, random_state=0)
    assert np.all((0 <= result.most_attended) & (result.most_attended <= 1))
    assert packed.tobytes() == before.tobytes()
    result = deletion_curve(clf, modalities, labels, k=1, n_repeats=1, random_state=0)
    assert result.k.tolist() == [1]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"k": 0}, "k must be a positive int"),
        ({"k": [1, "2"]}, "k must be a positive int"),
        ({"k": []}, "k must be a positive int"),
        ({"n_repeats": 0}, "n_repeats must be a positive int"),
    ],
)
def test_bad_arguments_are_named(fitted, kwargs, match):
    reg, X, y = fitted
    with pytest.raises(ValueError, match=match):
        deletion_curve(reg, X, y, **kwargs)


def test_y_of_another_length_and_a_network_without_attention(fitted):
    reg, X, y = fitted
    with pytest.raises(ValueError, match=r"y must have one target per row of X \(80 rows\)"):
        deletion_curve(reg, X, y[:-1])
    plain = AttentionLSTMRegressor(**SMALL, attention="none").fit(X, y)
    with pytest.raises(ValueError, match="attention='none'"):
        deletion_curve(plain, X, y)


def test_plot_draws_the_three_curves_and_the_baseline(fitted):
    reg, X, y = fitted
    ax = plot_deletion_curve(deletion_curve(reg, X, y, k=[1, 2, 3], random_state=0))
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == [
        "nothing hidden",
        "most-attended hidden",
        "random steps hidden",
        "least-attended hidden",
    ]
    assert ax.get_xlabel() == "steps hidden per sequence" and ax.get_ylabel() == "score"
    with pytest.raises(ValueError, match="deletion_curve returned"):
        plot_deletion_curve({"k": [1]})


# ------------------------------------------------------------------ planted tasks
def _planted_hits(clf, X, y, planted):
    """Per row, whether its most-attended step is a planted one; and the two k=1 score drops."""
    top = np.argmax(clf.explain(X), axis=1)
    hits = np.array([step in steps for step, steps in zip(top, planted, strict=True)])
    result = deletion_curve(clf, X, y, k=1, n_repeats=5, random_state=0)
    return hits, result.baseline - result.most_attended[0], result.baseline - result.random_mean[0]


def _one_deciding_step(seed, n_classes=4, n_features=3):
    """600 sequences of 30 steps whose class is planted at one step (2-D if univariate)."""
    X, y, steps = make_sequence_classification(
        600,
        n_classes=n_classes,
        n_features=n_features,
        min_length=30,
        max_length=30,
        n_informative_steps=1,
        noise=0.5,
        random_state=seed,
    )
    X = np.stack(X)
    return (X[:, :, 0] if n_features == 1 else X), y, steps


def _assert_every_class_points_at_its_step(clf, X, y, planted):
    """Fit on 400 rows; on the other 200, per class, the top step is planted for >= 80 %."""
    clf.fit(X[:400], y[:400])
    hits, drop_most, drop_random = _planted_hits(clf, X[400:], y[400:], planted[400:])
    assert min(hits[y[400:] == label].mean() for label in np.unique(y)) >= 0.8
    assert drop_most >= 3 * max(drop_random, 0.01)


def _assert_points_at_the_planted_step(estimator, X, y, planted):
    """Fit on 400 rows; on the other 200 the top step is planted for >= 80 % of rows."""
    estimator.fit(X[:400], y[:400])
    hits, drop_most, drop_random = _planted_hits(estimator, X[400:], y[400:], planted[400:])
    assert hits.mean() >= 0.8
    assert drop_most >= 3 * max(drop_random, 0.01)


@pytest.mark.slow
def test_default_attention_finds_the_one_deciding_step_of_every_class():
    # Seed 2 is the hard one (seeds 0 and 1 passed without the penalty too): without the
    # default deletion_penalty, one class of four was told by the others' absence and the
    # top-attended step was the deciding one for 74 % of rows.
    X, y, steps = _one_deciding_step(2)
    _assert_every_class_points_at_its_step(AttentionLSTMClassifier(random_state=2), X, y, steps)


@pytest.mark.slow
def test_univariate_input_scores_find_the_spike_of_each_class():
    # One value per step, class 0 a +3 spike and class 1 a -3 spike. With state scores
    # (the univariate default) seed 0's top step was the spike for 45.5 % of rows; with
    # input scores but no square or no deletion penalty, one class was told by the
    # other's absence and got flat weights.
    X, y, steps = _one_deciding_step(0, n_classes=2, n_features=1)
    clf = AttentionLSTMClassifier(score_from="inputs", random_state=0)
    _assert_every_class_points_at_its_step(clf, X, y, steps)


@pytest.mark.slow
def test_default_forecaster_attention_finds_the_marked_step():
    # A past covariate marks one step of each 30-step window; the target's value there
    # comes next. Measured on the same task (2026-12-02, seeds 0, 1, 2): the top step was
    # the marked one for 100 / 99.5 / 100 % of windows.
    rng = np.random.default_rng(0)
    X = np.stack([rng.normal(size=(600, 30)), rng.normal(scale=0.5, size=(600, 30))], axis=-1)
    marked = rng.integers(0, 30, size=600)
    X[np.arange(600), marked, 1] += 3.0
    y = X[np.arange(600), marked, 0] + rng.normal(scale=0.1, size=600)
    forecaster = AttentionLSTMForecaster(random_state=0)
    _assert_points_at_the_planted_step(forecaster, X, y, marked[:, None])


@pytest.mark.slow
def test_default_univariate_forecaster_finds_the_spike_that_comes_next():
    # Univariate windows of noise 0.5 with one spike of 2.5 to 4 either way, whose value
    # comes next. With state scores (score_from="states", the univariate default until
    # 2026-12-02) the top step of seed 2 was the spike for 29.5 % of windows; with input
    # scores, 100 % on seeds 0-2.
    rng = np.random.default_rng(2)
    X = rng.normal(scale=0.5, size=(600, 30))
    spikes = rng.integers(0, 30, size=600)
    X[np.arange(600), spikes] = rng.choice([-1.0, 1.0], 600) * rng.uniform(2.5, 4.0, 600)
    y = X[np.arange(600), spikes] + rng.normal(scale=0.1, size=600)
    forecaster = AttentionLSTMForecaster(random_state=2)
    _assert_points_at_the_planted_step(forecaster, X, y, spikes[:, None])


@pytest.mark.slow
def test_one_vs_rest_attention_finds_every_classs_own_deciding_step():
    # Seed 2 of the 4-class task: a softmax told one class by the others' absence.
    X, y, steps = _one_deciding_step(2)
    clf = AttentionLSTMClassifier(one_vs_rest=True, random_state=2)
    _assert_every_class_points_at_its_step(clf, X, y, steps)


def test_entropy_penalty_concentrates_the_weights():
    X, y, _ = make_sequence_classification(
        80, n_classes=2, min_length=10, max_length=10, random_state=0
    )
    X = np.stack(X)
    spread = []
    for penalty in (0.0, 1.0):
        clf = AttentionLSTMClassifier(units=8, epochs=15, entropy_penalty=penalty, random_state=0)
        weights = np.clip(clf.fit(X, y).explain(X), 1e-12, 1)
        spread.append(np.mean(-(weights * np.log(weights)).sum(axis=1) / np.log(10)))
    assert spread[1] < spread[0] - 0.1


@pytest.mark.slow
def test_default_multimodal_attention_finds_the_deciding_step():
    # Seed 2 is the hard one: without the default entropy_penalty=0.4, the top-attended
    # step was the deciding one for 54 % of sequences (seed 0: 100 % either way).
    modalities, y, planted = make_multimodal_sequences(
        600, n_timesteps=8, n_planted_steps=1, random_state=2
    )
    clf = MultimodalAttentionClassifier(random_state=2)
    _assert_points_at_the_planted_step(clf, pack_modalities(**modalities), y, planted)
