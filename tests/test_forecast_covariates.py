"""Past and known-future covariates: ForecastFramer, and the forecaster that reads them."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from attn_sklearn import AttentionLSTMForecaster, ForecastFramer, load
from attn_sklearn.plotting import plot_attention, plot_horizon_attention

plt = pytest.importorskip("matplotlib.pyplot")

SMALL = {"units": 8, "epochs": 3, "batch_size": 16, "random_state": 0}
WINDOW, HORIZON = 14, 5


def _shop(n=240, seed=0, promo_lift=4.0):
    """Daily sales with a weekly cycle, a promotion lift and a temperature effect."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    promo = (rng.random(n) < 0.2).astype(float)
    temperature = 10 + 8 * np.sin(2 * np.pi * t / 365) + rng.normal(0, 1, n)
    sales = (
        20
        + 0.02 * t
        + 3 * np.sin(2 * np.pi * t / 7)
        + promo_lift * promo
        + 0.1 * temperature
        + rng.normal(0, 0.5, n)
    )
    index = pd.date_range("2023-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"sales": sales, "temperature": temperature, "promo": promo}, index=index)


FRAMER = ForecastFramer("sales", window=WINDOW, horizon=HORIZON, known_future=["promo"])


@pytest.fixture(scope="module")
def fitted():
    data = _shop()
    X, y = FRAMER.frame(data)
    return AttentionLSTMForecaster(**SMALL).fit(X, y), data


# ---------------------------------------------------------------- the framer
def test_frame_aligns_past_future_and_target_on_each_origin():
    data = _shop(60)
    X, y = FRAMER.frame(data)
    assert X.dtype.names == ("past", "future")
    assert X["past"].shape == (60 - WINDOW - HORIZON + 1, WINDOW, 3)
    i = 7  # origin: row i + WINDOW - 1
    rows = data.iloc[i : i + WINDOW]
    # Target first, then the past covariate, then the known-future column's past values.
    expected = rows[["sales", "temperature", "promo"]].to_numpy(np.float32)
    np.testing.assert_array_equal(X["past"][i], expected)
    ahead = data.iloc[i + WINDOW : i + WINDOW + HORIZON]
    np.testing.assert_array_equal(X["future"][i, :, 0], ahead["promo"].to_numpy(np.float32))
    np.testing.assert_array_equal(y[i], ahead["sales"].to_numpy())
    origins = FRAMER.origins(data)
    assert len(origins) == len(y) and origins[i] == rows.index[-1]


def test_frame_without_known_future_columns_gives_plain_windows_and_stride():
    data = _shop(60)
    X, y = ForecastFramer("sales", window=10, horizon=1, stride=3).frame(data)
    assert X.dtype == np.float32 and X.shape == (17, 10, 3) and y.shape == (17,)
    np.testing.assert_array_equal(y[1], data["sales"].iloc[13])
    selected = ForecastFramer("sales", window=10, past_covariates=[]).frame(data)[0]
    assert selected.shape[2] == 1


def test_frame_future_forecasts_the_steps_after_the_data():
    data = _shop(60)
    plan = pd.DataFrame(
        {"promo": [1.0, 0, 0, 1, 0], "sales": np.nan},
        index=pd.date_range(data.index[-1] + pd.Timedelta("1D"), periods=HORIZON, freq="D"),
    )
    X = FRAMER.frame_future(data, plan)
    assert X.shape == (1,)
    np.testing.assert_array_equal(X["past"][0, :, 0], data["sales"].iloc[-WINDOW:].astype("f4"))
    np.testing.assert_array_equal(X["future"][0, :, 0], [1, 0, 0, 1, 0])


def _reordered(data):
    return data.iloc[::-1]


def _duplicated(data):
    return pd.concat([data.iloc[:3], data.iloc[2:]])


@pytest.mark.parametrize(
    ("framer", "change", "message"),
    [
        (FRAMER, _reordered, "must be in time order"),
        (FRAMER, _duplicated, "twice"),
        (ForecastFramer("units", window=3), None, "target must be a column of data"),
        (ForecastFramer("sales", window=3, known_future=["holiday"]), None, "'holiday'"),
        (ForecastFramer("sales", window=3, known_future="promo"), None, "list of column names"),
        (ForecastFramer("sales", window=3, known_future=["sales"]), None, "must not hold"),
        (ForecastFramer("sales", window=0), None, "window must be an integer >= 1"),
        (ForecastFramer("sales", window=300), None, "at least window \\+ horizon"),
        (FRAMER, lambda d: d.assign(sales=d["sales"].where(d.index != d.index[9])), "2023-01-10"),
        (FRAMER, lambda d: d.assign(promo="yes"), "non-numeric"),
        (FRAMER, lambda d: d["sales"], "must be a pandas DataFrame"),
    ],
)
def test_bad_data_or_settings_are_named(framer, change, message):
    data = _shop(60)
    before = data.copy()
    with pytest.raises((ValueError, TypeError), match=message):
        framer.frame(change(data) if change else data)
    pd.testing.assert_frame_equal(data, before)  # the input is never modified


@pytest.mark.parametrize(
    ("future", "message"),
    [
        (None, "future must be a DataFrame"),
        (pd.DataFrame({"promo": [0.0] * 3}), "horizon = 5 steps"),
        (pd.DataFrame({"price": [0.0] * 5}), "missing the known-future column 'promo'"),
        (pd.DataFrame({"promo": [0.0] * 5}, index=pd.date_range("2023-01-02", periods=5)), "after"),
        (pd.DataFrame({"promo": [0.0, 1, np.nan, 0, 0]}, index=range(5)), "missing or infinite"),
    ],
)
def test_bad_known_future_values_at_predict_are_named(future, message):
    data = _shop(30).reset_index(drop=True) if "infinite" in message else _shop(30)
    if "infinite" in message:
        future.index = range(30, 35)
    with pytest.raises((ValueError, TypeError), match=message):
        FRAMER.frame_future(data, future)


# ------------------------------------------------------- forecasts as frames
def test_forecast_frame_labels_each_backtest_step_with_its_origin_and_date():
    data = _shop(40)
    y = FRAMER.frame(data)[1]
    forecasts = y + 0.5  # any (n, horizon) forecast
    frame = FRAMER.forecast_frame(forecasts, data)
    assert frame.index.names == ["origin", "date"]
    assert list(frame.columns) == ["horizon_step", "sales"] and len(frame) == y.size
    row = frame.iloc[3 * HORIZON + 2]  # origin 3, third step
    assert row.name == (FRAMER.origins(data)[3], data.index[3 + WINDOW + 2])
    assert row["horizon_step"] == 3 and row["sales"] == forecasts[3, 2]
    # The time level holds the actual target's dates: join recovers y.
    np.testing.assert_array_equal(
        data["sales"].reindex(frame.index.get_level_values("date")), y.ravel()
    )
    # Stride, one step ahead (1-D forecasts) and an unnamed position index.
    plain = data.reset_index(drop=True)
    framer = ForecastFramer("sales", window=5, horizon=1, stride=4)
    _, y1 = framer.frame(plain)
    frame = framer.forecast_frame(y1, plain)
    assert frame.index.names == ["origin", "time"]
    assert list(frame.index.get_level_values("time")[:3]) == [5, 9, 13]
    assert list(frame.index.get_level_values("origin")[:3]) == [4, 8, 12]


def test_forecast_frame_after_the_data_is_indexed_by_the_plan_or_given_dates():
    data = _shop(40)
    plan = pd.DataFrame(
        {"promo": [1.0, 0, 0, 1, 0]},
        index=pd.date_range(data.index[-1] + pd.Timedelta("1D"), periods=HORIZON, name="date"),
    )
    forecast = np.arange(HORIZON, dtype=float)[None]
    frame = FRAMER.forecast_frame(forecast, data, plan)
    pd.testing.assert_index_equal(frame.index, plan.index)
    np.testing.assert_array_equal(frame["sales"], forecast[0])
    np.testing.assert_array_equal(frame["horizon_step"], np.arange(1, HORIZON + 1))
    by_dates = FRAMER.forecast_frame(forecast, data, pd.DatetimeIndex(plan.index, name=None))
    assert by_dates.index.name == "date"  # the time label keeps data's index name
    quantiles = np.stack([forecast - 1, forecast + 1], axis=-1)
    frame = FRAMER.forecast_frame(quantiles, data, plan, quantiles=(0.1, 0.9))
    assert list(frame.columns) == ["horizon_step", "sales_q0.1", "sales_q0.9"]
    np.testing.assert_array_equal(frame["sales_q0.9"], forecast[0] + 1)


@pytest.mark.parametrize(
    ("forecasts", "future", "quantiles", "message"),
    [
        (np.zeros((3, HORIZON)), None, None, r"one row per origin of frame\(data\), 22"),
        (np.zeros((22, 2)), None, None, r"shape \(n, horizon\) with horizon = 5"),
        (np.zeros((22, HORIZON, 2)), None, None, "pass quantiles=model.quantiles"),
        (np.zeros((22, HORIZON, 2)), None, (0.1,), "2 quantiles per step"),
        (np.zeros((22, HORIZON, 1)), None, (1.5,), "strictly between 0 and 1"),
        (np.zeros((22, HORIZON, 3)), None, "0.5", "sequence of levels"),
        ("high", None, None, "numeric array"),
        (np.zeros((2, HORIZON)), "dates", None, "one row frame_future gives"),
        (np.zeros((1, HORIZON)), [1, 2, 3, 4, 5], None, "a pandas Index"),
        (np.zeros((1, HORIZON)), "short", None, "horizon = 5 steps"),
        (np.zeros((1, HORIZON)), "past", None, "after data's last row"),
    ],
)
def test_forecast_frame_refuses_forecasts_that_do_not_fit_by_name(
    forecasts, future, quantiles, message
):
    data = _shop(40)
    after = pd.date_range(data.index[-1] + pd.Timedelta("1D"), periods=HORIZON)
    named = {"dates": after, "short": after[:3], "past": data.index[:HORIZON]}
    future = named[future] if isinstance(future, str) else future
    with pytest.raises((ValueError, TypeError), match=message):
        FRAMER.forecast_frame(forecasts, data, future, quantiles=quantiles)


# ------------------------------------------------------------- the forecaster
def test_forecaster_reads_both_inputs_and_explains_the_window(fitted):
    forecaster, data = fitted
    X, _ = FRAMER.frame(data)
    assert forecaster.n_future_features_in_ == 1 and forecaster.n_step_features_in_ == 3
    forecast = forecaster.predict(X[:4])
    assert forecast.shape == (4, HORIZON) and np.all(np.isfinite(forecast))
    assert forecaster.explain(X[:4]).shape == (4, WINDOW)
    frame = forecaster.explain(X[:2], as_frame=True)
    assert len(frame) == 2 * WINDOW


def test_no_look_ahead_only_the_horizon_of_known_future_columns_reaches_a_forecast(fitted):
    forecaster, data = fitted
    X, _ = FRAMER.frame(data)
    i = 50
    origin = FRAMER.origins(data)[i]
    base = forecaster.predict(X[[i]])
    after = data.index > origin
    changed = data.copy()
    changed.loc[after, ["sales", "temperature"]] += 100.0  # the target and a past covariate
    changed.loc[data.index > origin + pd.Timedelta(days=HORIZON), "promo"] = 1 - data["promo"]
    np.testing.assert_array_equal(forecaster.predict(FRAMER.frame(changed)[0][[i]]), base)
    # The known-future column inside the horizon does reach the forecast, as does the past.
    inside = data.copy()
    inside.loc[origin + pd.Timedelta(days=1), "promo"] += 1.0
    assert not np.allclose(forecaster.predict(FRAMER.frame(inside)[0][[i]]), base)
    past = data.copy()
    past.loc[origin, "temperature"] += 5.0
    assert not np.allclose(forecaster.predict(FRAMER.frame(past)[0][[i]]), base)


def test_save_and_load_keep_the_known_future_input(fitted, tmp_path):
    forecaster, data = fitted
    X, _ = FRAMER.frame(data)
    loaded = load(forecaster.save(tmp_path / "forecaster.zip"))
    assert loaded.n_future_features_in_ == 1
    np.testing.assert_array_equal(loaded.predict(X[:8]), forecaster.predict(X[:8]))


def test_input_that_does_not_match_the_fit_is_refused_by_name(fitted):
    forecaster, data = fitted
    X, _ = FRAMER.frame(data)
    with pytest.raises(ValueError, match="fitted with 1 known-future covariate"):
        forecaster.predict(X["past"])
    short = ForecastFramer("sales", window=WINDOW, horizon=3, known_future=["promo"])
    with pytest.raises(ValueError, match="covers 3 step\\(s\\), but the forecaster forecasts 5"):
        forecaster.predict(short.frame(data)[0])
    two = ForecastFramer(
        "sales", window=WINDOW, horizon=HORIZON, known_future=["promo", "temperature"]
    )
    with pytest.raises(ValueError, match="has 2 known-future covariate\\(s\\)"):
        forecaster.predict(two.frame(data)[0])
    bad = X[:3].copy()
    bad["future"][1, 2, 0] = np.nan
    with pytest.raises(ValueError, match="finite values at every step"):
        forecaster.predict(bad)
    with pytest.raises(ValueError, match="exactly the fields"):
        forecaster.predict({"past": X["past"]})
    plain = AttentionLSTMForecaster(**SMALL).fit(
        *ForecastFramer("sales", window=WINDOW).frame(data)
    )
    with pytest.raises(ValueError, match="without known-future covariates"):
        plain.predict(X[:2])


def test_fit_refuses_known_future_values_for_another_horizon():
    X, y = FRAMER.frame(_shop(60))
    with pytest.raises(ValueError, match="covers 5 step\\(s\\), but the forecaster forecasts 2"):
        AttentionLSTMForecaster(**SMALL).fit(X, y[:, :2])


@pytest.mark.parametrize("head", ["dense", "decoder"])
def test_both_heads_give_quantiles_with_known_future_inputs(head):
    X, y = FRAMER.frame(_shop(120))
    forecaster = AttentionLSTMForecaster(**SMALL, head=head, quantiles=(0.1, 0.9)).fit(X, y)
    quantiles = forecaster.predict_quantiles(X[:6])
    assert quantiles.shape == (6, HORIZON, 2)
    assert np.all(quantiles[..., 0] <= quantiles[..., 1])
    if head == "decoder":
        assert forecaster.explain(X[:6], full=True).shape == (6, HORIZON, WINDOW)
        ax = plot_horizon_attention(forecaster, X[:6], sample=-1)
        assert ax.images[0].get_array().shape == (HORIZON, WINDOW)
    ax = plot_attention(forecaster, X[:6])
    assert ax.images[0].get_array().shape == (6, WINDOW)
    plt.close("all")


def test_a_pipeline_is_searched_with_time_series_split_on_the_structured_input():
    X, y = FRAMER.frame(_shop(150))
    search = GridSearchCV(
        make_pipeline(AttentionLSTMForecaster(units=4, epochs=2, random_state=0)),
        {"attentionlstmforecaster__head": ["dense", "decoder"]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert search.best_params_["attentionlstmforecaster__head"] in ("dense", "decoder")
    assert search.predict(X[-3:]).shape == (3, HORIZON)


@pytest.mark.slow
@pytest.mark.parametrize("head", ["dense", "decoder"])
def test_known_future_promotions_make_the_forecast_better_and_move_it(head):
    data = _shop(500, promo_lift=4.0)
    settings = {"units": 16, "epochs": 40, "head": head, "random_state": 0}
    X, y = FRAMER.frame(data)
    plain_X, _ = ForecastFramer("sales", window=WINDOW, horizon=HORIZON).frame(data)
    n_train = 380
    with_promo = AttentionLSTMForecaster(**settings).fit(X[:n_train], y[:n_train])
    without = AttentionLSTMForecaster(**settings).fit(plain_X[:n_train], y[:n_train])
    error = np.abs(with_promo.predict(X[n_train:]) - y[n_train:]).mean()
    error_without = np.abs(without.predict(plain_X[n_train:]) - y[n_train:]).mean()
    assert error < 0.75 * error_without
    # Forecasting the real future: a planned promotion lifts the forecast of its day.
    days = pd.date_range(data.index[-1] + pd.Timedelta("1D"), periods=HORIZON, freq="D")
    none = pd.DataFrame({"promo": 0.0}, index=days)
    one = none.assign(promo=[0.0, 0, 1, 0, 0])
    lift = with_promo.predict(FRAMER.frame_future(data, one)) - with_promo.predict(
        FRAMER.frame_future(data, none)
    )
    assert lift[0, 2] > 2.0 and lift[0, 2] == lift[0].max()


def test_columns_in_any_units_forecast_alike_as_the_network_standardises_them():
    # A DataFrame's columns arrive in their own units (a price in cents, a temperature in
    # kelvin); the forecaster standardises them with training statistics, so the units
    # of a covariate do not change what it learns.
    data = _shop(120)
    other_units = data.assign(
        temperature=1000 * data["temperature"] + 273.15, promo=50 * data["promo"]
    )
    forecasts = []
    for frame in (data, other_units):
        X, y = FRAMER.frame(frame)
        forecaster = AttentionLSTMForecaster(**SMALL, normalize="none").fit(X, y)
        forecasts.append(forecaster.predict(X[-10:]))
        assert forecaster.model_.get_layer("window_scaling") is not None
    np.testing.assert_allclose(forecasts[1], forecasts[0], rtol=1e-3, atol=1e-3)
