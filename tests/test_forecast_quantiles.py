"""Quantile forecasts calibrated on the held-out windows (``calibrate_quantiles``)."""

import io
import json
import zipfile

import numpy as np
import pytest

from attn_sklearn import AttentionLSTMForecaster, frame_supervised, load
from attn_sklearn._forecast_quantiles import calibrated, calibration_shifts
from attn_sklearn.datasets import make_sine_wave

TINY = {"units": 4, "epochs": 1, "quantiles": (0.1, 0.9), "validation_fraction": 0.2}


@pytest.fixture(scope="module")
def sine():
    """Windows of a noisy sine: 1,800 to fit (the last 360 held out by the fit), 300 after."""
    X, y = frame_supervised(make_sine_wave(2130, noise=0.3, random_state=0), 30, horizon=3)
    return X[:1800], y[:1800], X[1800:], y[1800:]


@pytest.mark.parametrize("n_rows", [7, 40, 200])
def test_shifts_put_the_level_share_of_the_held_out_targets_under_each_forecast(n_rows):
    rng = np.random.default_rng(n_rows)
    y = rng.normal(size=(n_rows, 2))
    forecasts = rng.normal(size=(n_rows, 2, 3)) + np.array([-2.0, 0.0, 0.5])  # 0.1, 0.5, 0.8
    shifts = calibration_shifts(forecasts, y, [0.1, 0.5, 0.8])
    moved = forecasts + shifts  # compared with a margin for the rounding of the sum
    under = (y[..., None] <= moved + 1e-12).mean(axis=0)  # (steps, levels)
    strictly_under = (y[..., None] < moved - 1e-12).mean(axis=0)
    assert np.all(shifts[:, 1] == 0)  # the median is the network's
    assert np.all(under[:, 2] >= 0.8)  # an upper level holds at least its share ...
    assert np.all(under[:, 2] <= 0.8 + 2 / n_rows)  # ... and not much more
    assert np.all(strictly_under[:, 0] <= 0.1)  # a lower level at most its share


def test_calibrated_levels_stay_ordered_around_the_median():
    forecasts = np.array([[[1.0, 2.0, 3.0]]])
    crossing = np.array([[5.0, 0.0, -5.0]])  # would put the lower level above the upper
    result = calibrated(forecasts, forecasts[..., 1], crossing, [0.1, 0.5, 0.9])
    np.testing.assert_array_equal(result, [[[2.0, 2.0, 2.0]]])


def test_calibration_shifts_the_band_and_leaves_the_median(sine):
    X, y, X_later, y_later = sine
    raw = AttentionLSTMForecaster(**TINY, calibrate_quantiles=False, random_state=0).fit(X, y)
    fitted = AttentionLSTMForecaster(**TINY, random_state=0).fit(X, y)
    assert raw.quantile_shifts_ is None and fitted.quantile_shifts_.shape == (3, 2)
    np.testing.assert_array_equal(fitted.predict(X_later), raw.predict(X_later))
    band, raw_band = fitted.predict_quantiles(X_later), raw.predict_quantiles(X_later)
    np.testing.assert_allclose(band, raw_band + fitted.quantile_shifts_, atol=1e-9)
    # One epoch of 4 units leaves the network's band far from 80 % (53 % measured); the
    # shifts, measured on the last 360 windows of the fit, bring it to 80 % on the 300 after.
    inside = (band[..., 0] <= y_later) & (y_later <= band[..., 1])
    raw_inside = (raw_band[..., 0] <= y_later) & (y_later <= raw_band[..., 1])
    assert abs(raw_inside.mean() - 0.8) > 0.15
    assert 0.72 <= inside.mean() <= 0.88


def test_nothing_is_shifted_without_a_hold_out_or_quantiles(sine):
    X, y, _, _ = sine
    no_hold_out = AttentionLSTMForecaster(**{**TINY, "validation_fraction": 0.0}).fit(X, y)
    assert no_hold_out.quantile_shifts_ is None
    point = AttentionLSTMForecaster(**{**TINY, "quantiles": None}).fit(X, y)
    assert point.quantile_shifts_ is None


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members, change):
    document = json.loads(members["estimator.json"])
    change(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in {**members, "estimator.json": json.dumps(document).encode()}.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_the_shifts_are_saved_checked_and_absent_from_older_files(sine, tmp_path):
    X, y, X_later, _ = sine
    fitted = AttentionLSTMForecaster(**TINY, random_state=0).fit(X, y)
    members = _members(fitted.save(tmp_path / "now.attn"))
    loaded = load(tmp_path / "now.attn")
    np.testing.assert_array_equal(loaded.quantile_shifts_, fitted.quantile_shifts_)
    np.testing.assert_array_equal(
        loaded.predict_quantiles(X_later), fitted.predict_quantiles(X_later)
    )

    def older(document):  # written before calibration existed
        del document["params"]["calibrate_quantiles"], document["fitted"]["quantile_shifts_"]

    old = load(_write(tmp_path / "old.attn", members, older))
    assert old.calibrate_quantiles is False and old.quantile_shifts_ is None

    def wrong_shape(document):
        document["fitted"]["quantile_shifts_"] = {"__ndarray__": [[0.5]], "dtype": "<f8"}

    def not_asked_for(document):
        document["params"]["calibrate_quantiles"] = False

    for change, message in [
        (wrong_shape, r"fitted\['quantile_shifts_'\].*shape \(3, 2\)"),
        (not_asked_for, r"fitted\['quantile_shifts_'\].*calibrate_quantiles=False"),
    ]:
        with pytest.raises(ValueError, match=message):
            load(_write(tmp_path / f"{change.__name__}.attn", members, change))


def test_a_non_boolean_calibrate_quantiles_is_named(sine):
    X, y, _, _ = sine
    with pytest.raises(ValueError, match="calibrate_quantiles"):
        AttentionLSTMForecaster(**TINY, calibrate_quantiles="yes").fit(X, y)
