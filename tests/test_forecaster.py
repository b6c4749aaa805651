"""AttentionLSTMForecaster: forecasts that follow the window's level, and its errors."""

import re
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from attn_sklearn import (
    MASK_VALUE,
    AttentionLSTMForecaster,
    AttentionLSTMRegressor,
    frame_supervised,
    load,
)

SMALL = {"units": 8, "epochs": 3, "batch_size": 16, "random_state": 0}


def _seasonal_trend(n, *, slope=0.05, noise=0.1, seed=0):
    t = np.arange(n, dtype=float)
    rng = np.random.default_rng(seed)
    return slope * t + np.sin(2 * np.pi * t / 12) + noise * rng.normal(size=n)


@pytest.fixture(scope="module")
def fitted():
    X, y = frame_supervised(_seasonal_trend(200), window=24, horizon=6)
    return AttentionLSTMForecaster(**SMALL, normalize="window").fit(X, y), X


@pytest.mark.parametrize("normalize", ["window", "none"])
@pytest.mark.parametrize("skip", ["linear", "none"])
def test_every_combination_fits_and_forecasts_each_horizon_step(normalize, skip):
    X, y = frame_supervised(_seasonal_trend(120), window=12, horizon=3)
    forecaster = AttentionLSTMForecaster(**SMALL, normalize=normalize, skip=skip).fit(X, y)
    forecast = forecaster.predict(X[:5])
    assert forecast.shape == (5, 3) and np.all(np.isfinite(forecast))
    assert forecaster.n_outputs_ == 3
    assert forecaster.explain(X[:5]).shape == (5, 12)


def test_window_normalisation_makes_forecasts_follow_level_and_scale(fitted):
    # Shifting and scaling a window shifts and scales its forecast alike: the
    # network sees each window relative to its own level and spread.
    forecaster, X = fitted
    base = forecaster.predict(X[:20])
    moved = forecaster.predict(3.0 * X[:20] + 500.0)
    np.testing.assert_allclose(moved, 3.0 * base + 500.0, rtol=1e-4, atol=1e-3)


def test_auto_normalises_trending_windows_only():
    trending = frame_supervised(_seasonal_trend(200), window=24, horizon=2)
    level = frame_supervised(_seasonal_trend(200, slope=0.0), window=24, horizon=2)
    choices = {}
    for name, (X, y) in {"trending": trending, "level": level}.items():
        forecaster = AttentionLSTMForecaster(**SMALL).fit(X, y)
        choices[name] = forecaster.normalize_
    assert choices == {"trending": "window", "level": "none"}


def test_window_normalisation_keeps_a_flag_on_the_training_data_scale(tmp_path):
    # Target and a covariate trend, a 0/1 flag does not: the flag is standardised
    # with the training data's statistics, so a 1 reaches the network as the same
    # number in every window (per-window statistics would rescale it in each).
    rng = np.random.default_rng(0)
    flag = (rng.random(200) < 0.3).astype(float)
    trending = 0.2 * np.arange(200) + rng.normal(size=200)
    series = np.column_stack([_seasonal_trend(200) + flag, flag, trending])
    X, y = frame_supervised(series, window=12, horizon=2, target=0)
    forecaster = AttentionLSTMForecaster(**SMALL, normalize="window").fit(X, y)
    assert forecaster.per_window_features_ == (0, 2)
    layer = forecaster.model_.get_layer("window_normalization")
    normalized = np.asarray(keras.Model(forecaster.model_.inputs, layer.output[0])([X]))
    assert np.unique(normalized[..., 1].round(4)).size == 2  # one number for 0, one for 1
    np.testing.assert_allclose(normalized[..., [0, 2]].mean(axis=1), 0.0, atol=1e-4)
    loaded = load(forecaster.save(tmp_path / "flags.attn"))
    assert loaded.per_window_features_ == (0, 2)
    np.testing.assert_array_equal(loaded.predict(X[:20]), forecaster.predict(X[:20]))
    univariate = AttentionLSTMForecaster(**SMALL, normalize="none").fit(X[..., :1], y)
    assert univariate.per_window_features_ == ()


def test_without_normalisation_forecasts_do_not_follow_the_level():
    X, y = frame_supervised(_seasonal_trend(200), window=24, horizon=6)
    forecaster = AttentionLSTMForecaster(**SMALL, normalize="none").fit(X, y)
    base, moved = forecaster.predict(X[:20]), forecaster.predict(X[:20] + 500.0)
    assert not np.allclose(moved, base + 500.0, atol=1.0)


def test_forecasts_a_trend_beyond_the_training_range_better_than_the_regressor():
    # Every test window lies above every training value: the level has to be extrapolated.
    series = _seasonal_trend(360, slope=0.1)
    X, y = frame_supervised(series, window=24, horizon=12)
    train, test = slice(0, 250), slice(300, None)
    assert X[test].min() > series[:274].max()
    params = {"units": 16, "epochs": 30, "random_state": 0}
    errors = {}
    for cls in (AttentionLSTMForecaster, AttentionLSTMRegressor):
        estimator = cls(**params).fit(X[train], y[train])
        errors[cls.__name__] = np.mean(np.abs(estimator.predict(X[test]) - y[test]))
    # Repeating the last season, shifted by nothing: what the forecaster must beat.
    seasonal_naive = np.mean(np.abs(X[test][:, -12:] - y[test]))
    assert errors["AttentionLSTMForecaster"] < seasonal_naive
    assert errors["AttentionLSTMForecaster"] < 0.5 * errors["AttentionLSTMRegressor"]


def test_multivariate_windows_forecast_the_target_feature():
    series = _seasonal_trend(150)
    covariate = np.cos(np.arange(150) / 5.0)
    frame = np.column_stack([covariate, series])
    X, y = frame_supervised(frame, window=12, horizon=2, target=1)
    forecaster = AttentionLSTMForecaster(**SMALL, target_feature=1, normalize="window")
    forecaster.fit(X, y)
    moved = X[:10].copy()
    moved[:, :, 1] += 100.0  # only the target's level moves
    np.testing.assert_allclose(
        forecaster.predict(moved), forecaster.predict(X[:10]) + 100.0, rtol=1e-4, atol=1e-3
    )


def test_leading_padding_is_ignored_by_both_paths(fitted):
    forecaster, X = fitted
    padded = X[:4].copy()
    padded[:, :10] = MASK_VALUE  # the first rows of SlidingWindowTransformer look like this
    forecast = forecaster.predict(padded)
    weights = forecaster.explain(padded)
    assert np.all(np.isfinite(forecast))
    assert np.all(weights[:, :10] == 0)
    # What the padding hides cannot matter: other values there give the same forecast.
    other = padded.copy()
    other[:, :10] = MASK_VALUE
    np.testing.assert_array_equal(forecaster.predict(other), forecast)


def test_longer_windows_use_their_last_steps_and_shorter_ones_are_refused(fitted):
    forecaster, X = fitted
    longer = np.concatenate([X[:3, :6], X[:3]], axis=1)[:, :, None]
    assert forecaster.predict(longer).shape == (3, 6)
    with pytest.raises(ValueError, match="reads the last 24"):
        forecaster.predict(X[:3, :20, None])


def test_target_feature_outside_the_windows_is_refused():
    X, y = frame_supervised(_seasonal_trend(60), window=12)
    with pytest.raises(ValueError, match=r"target_feature must be a feature .* target_feature=2"):
        AttentionLSTMForecaster(**SMALL, target_feature=2).fit(X, y)


@pytest.mark.parametrize(
    ("param", "value"), [("normalize", "revin"), ("skip", "seasonal"), ("target_feature", -1)]
)
def test_invalid_parameters_are_named(param, value):
    X, y = frame_supervised(_seasonal_trend(60), window=12)
    with pytest.raises(ValueError, match=param):
        AttentionLSTMForecaster(**SMALL, **{param: value}).fit(X, y)


def test_save_and_load_give_the_same_forecasts(fitted, tmp_path):
    forecaster, X = fitted
    loaded = load(forecaster.save(tmp_path / "forecaster.attn"))
    assert isinstance(loaded, AttentionLSTMForecaster)
    assert loaded.normalize_ == forecaster.normalize_ == "window"
    assert loaded.get_params() == forecaster.get_params()
    np.testing.assert_array_equal(loaded.predict(X[:7]), forecaster.predict(X[:7]))


def test_grid_search_over_the_new_parameters_with_time_series_split():
    X, y = frame_supervised(_seasonal_trend(120), window=12, horizon=2)
    search = GridSearchCV(
        AttentionLSTMForecaster(units=4, epochs=2, random_state=0),
        # Two candidates that differ in both new parameters: each fit costs a network.
        [
            {"normalize": ["window"], "head": ["dense"]},
            {"normalize": ["none"], "head": ["decoder"]},
        ],
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert list(search.cv_results_["param_normalize"]) == ["window", "none"]
    assert list(search.cv_results_["param_head"]) == ["dense", "decoder"]
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.predict(X[:2]).shape == (2, 2)


# ------------------------------------------------------------------ quantiles
def _noisy_seasons(n, sigma, seed=0):
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * t / 25) + 0.5 * np.sin(2 * np.pi * t / 7) + sigma * rng.normal(size=n)


def test_quantile_forecasts_are_ordered_and_the_median_is_the_point_forecast(tmp_path):
    X, y = frame_supervised(_noisy_seasons(300, 0.3), window=20, horizon=2)
    forecaster = AttentionLSTMForecaster(**SMALL, quantiles=(0.1, 0.9)).fit(X, y)
    bands = forecaster.predict_quantiles(X[:30])
    assert bands.shape == (30, 2, 2)
    assert np.all(bands[:, :, 0] <= bands[:, :, 1])
    median = forecaster.predict(X[:30])  # the median is learned although not listed
    assert median.shape == (30, 2)
    assert np.all((bands[:, :, 0] <= median) & (median <= bands[:, :, 1]))
    loaded = load(forecaster.save(tmp_path / "quantiles.attn"))
    np.testing.assert_array_equal(loaded.predict_quantiles(X[:30]), bands)


def test_one_step_quantiles_keep_a_one_dimensional_point_forecast():
    X, y = frame_supervised(_noisy_seasons(200, 0.3), window=20)
    forecaster = AttentionLSTMForecaster(**SMALL, quantiles=[0.25, 0.5, 0.75]).fit(X, y)
    assert forecaster.predict(X[:4]).shape == (4,)
    assert forecaster.predict_quantiles(X[:4]).shape == (4, 1, 3)


@pytest.mark.parametrize(
    ("quantiles", "message"),
    [
        ((0.0, 0.5), "strictly between 0 and 1"),
        ((0.5, 1.2), "strictly between 0 and 1"),
        ((0.9, 0.1), "sorted in increasing order"),
        ((0.1, 0.1, 0.9), "without repeats"),
        (("low", "high"), "sequence of numbers"),
        ((), "one or more levels"),
    ],
)
def test_bad_quantiles_are_refused_before_fitting(quantiles, message):
    X, y = frame_supervised(_noisy_seasons(100, 0.3), window=10)
    with pytest.raises(ValueError, match=rf"quantiles must .*{message}.*received quantiles="):
        AttentionLSTMForecaster(**SMALL, quantiles=quantiles).fit(X, y)


def test_predict_quantiles_without_quantiles_says_how_to_get_them(fitted):
    forecaster, X = fitted
    with pytest.raises(AttributeError, match=r"quantiles=\(0.1, 0.5, 0.9\)"):
        forecaster.predict_quantiles(X[:2])


@pytest.mark.slow
def test_an_80_percent_interval_covers_about_80_percent_of_held_out_points():
    # Gaussian noise of known spread on a seasonal signal: the 0.1 and 0.9 quantiles
    # of the next values should hold 80 % of them.
    X, y = frame_supervised(_noisy_seasons(1500, 0.3), window=30, horizon=3)
    forecaster = AttentionLSTMForecaster(quantiles=(0.1, 0.5, 0.9), random_state=0)
    forecaster.fit(X[:1000], y[:1000])
    bands = forecaster.predict_quantiles(X[1000:])
    inside = (bands[:, :, 0] <= y[1000:]) & (y[1000:] <= bands[:, :, 2])
    assert 0.75 <= inside.mean() <= 0.85


GUIDE = Path(__file__).resolve().parents[1] / "docs" / "getting_started.md"


def _forecasting_snippets():
    text = GUIDE.read_text()
    section = text[text.index("### Several steps ahead") : text.index("## 4. Inside a Pipeline")]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


@pytest.mark.slow
@pytest.mark.parametrize("code", _forecasting_snippets(), ids=["covariates", "quantiles", "mapie"])
def test_the_guide_forecasting_snippets_run_as_written(code, tmp_path):
    if "mapie" in code:
        pytest.importorskip("mapie")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "%" in result.stdout


# ------------------------------------------------------------------ encoder–decoder
@pytest.mark.parametrize("attention", ["additive", "multiplicative"])
def test_the_decoder_maps_each_forecast_step_onto_the_window(attention, tmp_path):
    X, y = frame_supervised(_seasonal_trend(150), window=12, horizon=4)
    forecaster = AttentionLSTMForecaster(**SMALL, head="decoder", attention=attention)
    forecaster.fit(X, y)
    padded = X[:5].copy()
    padded[:, :3] = MASK_VALUE
    assert forecaster.predict(padded).shape == (5, 4)
    attention_map = forecaster.explain(padded, full=True)
    assert attention_map.shape == (5, 4, 12)
    np.testing.assert_allclose(attention_map.sum(axis=-1), 1.0, rtol=1e-5)
    assert np.all(attention_map[:, :, :3] == 0)
    # The plain form averages the map over the forecast steps.
    np.testing.assert_allclose(forecaster.explain(padded), attention_map.mean(axis=1))
    frame = forecaster.explain(padded, full=True, as_frame=True)
    assert list(frame.columns) == ["sample", "horizon_step", "step", "weight"]
    assert len(frame) == 5 * 4 * 9  # real steps only
    loaded = load(forecaster.save(tmp_path / "decoder.attn"))
    np.testing.assert_array_equal(loaded.explain(padded, full=True), attention_map)


def test_the_decoder_gives_quantiles_too():
    X, y = frame_supervised(_noisy_seasons(200, 0.3), window=12, horizon=3)
    forecaster = AttentionLSTMForecaster(**SMALL, head="decoder", quantiles=(0.1, 0.9))
    bands = forecaster.fit(X, y).predict_quantiles(X[:6])
    assert bands.shape == (6, 3, 2) and np.all(bands[..., 0] <= bands[..., 1])


@pytest.mark.parametrize("attention", ["linear", "self", "multihead", "none"])
def test_the_decoder_refuses_attention_it_cannot_use(attention):
    X, y = frame_supervised(_seasonal_trend(60), window=12, horizon=2)
    with pytest.raises(ValueError, match=rf"head='decoder' .* attention='{attention}'"):
        AttentionLSTMForecaster(**SMALL, head="decoder", attention=attention).fit(X, y)


def test_full_explanations_of_the_dense_head_say_what_has_them(fitted):
    forecaster, X = fitted
    with pytest.raises(ValueError, match="head='decoder'"):
        forecaster.explain(X[:2], full=True)


def test_the_horizon_map_is_plotted_with_padding_apart(fitted):
    pytest.importorskip("matplotlib").use("Agg")
    from attn_sklearn.plotting import plot_horizon_attention

    X, y = frame_supervised(_seasonal_trend(150), window=12, horizon=4)
    forecaster = AttentionLSTMForecaster(**SMALL, head="decoder").fit(X, y)
    padded = X[:3].copy()
    padded[:, :2] = MASK_VALUE
    ax = plot_horizon_attention(forecaster, padded, sample=1)
    image = ax.get_images()[0].get_array()
    assert image.shape == (4, 12)  # a row per forecast step, a column per window step
    assert image.mask[:, :2].all() and not image.mask[:, 2:].any()
    np.testing.assert_allclose(image.data, forecaster.explain(padded, full=True)[1])
    dense, X_dense = fitted
    with pytest.raises(ValueError, match="head='decoder'"):
        plot_horizon_attention(dense, X_dense[:2])


def test_a_pipeline_forecasts_the_step_after_the_data_from_a_full_window():
    from sklearn.pipeline import make_pipeline

    from attn_sklearn import SlidingWindowTransformer

    series = _seasonal_trend(160)
    X, y = series[:-1], series[1:]  # row i predicts observation i + 1
    pipe = make_pipeline(
        SlidingWindowTransformer(window=12, history="fit"), AttentionLSTMForecaster(**SMALL)
    ).fit(X[:-1], y[:-1])
    # The last row follows the fitted ones: its window reaches back into them.
    after = pipe.predict(X[-1:])
    pipe.set_params(slidingwindowtransformer__history="none")
    np.testing.assert_array_equal(after, pipe.predict(X)[-1:])
    with pytest.warns(UserWarning, match="more padding than real steps"):
        alone = pipe.predict(X[-1:])  # one real step and eleven of padding
    assert not np.allclose(alone, after)
