"""make_retail_sales plants the effects it documents, and they can be read back from its columns."""

import datetime

import numpy as np
import pandas as pd
import pytest

from attn_sklearn.datasets import make_retail_sales

COLUMNS = ["sales", "promotion", "holiday", "price", "temperature"]
EFFECTS = ["trend_level", "weekly", "yearly", "holiday", "promotion", "price", "temperature"]
HOLIDAYS = {(1, 1), (7, 4), (11, 27), (12, 24), (12, 25), (12, 26)}


@pytest.fixture(scope="module")
def data():
    return make_retail_sales(random_state=0, return_effects=True)


def comparable_day_ratio(frame, flag, other):
    """Median of sales on ``flag`` days over sales on comparable days without it.

    Comparable: the same weekday 1 to 4 weeks before or after, the same price and the same
    value of ``other`` (the other calendar flag), so that only ``flag`` differs.
    """
    sales, price = frame["sales"].to_numpy(), frame["price"].to_numpy()
    marked, other = frame[flag].to_numpy(), frame[other].to_numpy()
    ratios = []
    for day in np.flatnonzero(marked == 1):
        near = day + 7 * np.array([-4, -3, -2, -1, 1, 2, 3, 4])
        near = near[(near >= 0) & (near < len(frame))]
        near = near[(marked[near] == 0) & (other[near] == other[day]) & (price[near] == price[day])]
        if near.size:
            ratios.append(sales[day] / sales[near].mean())
    assert len(ratios) >= 5
    return float(np.median(ratios))


def test_frame_is_a_clean_daily_series(data):
    frame, _ = data
    assert frame.shape == (1096, 5)
    assert list(frame.columns) == COLUMNS
    assert all(dtype == np.float64 for dtype in frame.dtypes)
    index = frame.index
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == "date" and index.freqstr == "D"
    assert index[0] == pd.Timestamp("2021-01-01") and index[-1] == pd.Timestamp("2024-01-01")
    assert index.is_monotonic_increasing and index.is_unique
    assert (np.diff(index.asi8) == pd.Timedelta(days=1).value).all()
    assert not frame.isna().any().any()
    assert (frame["sales"] > 0).all()
    assert set(np.unique(frame["promotion"])) == {0.0, 1.0}
    assert set(np.unique(frame["holiday"])) == {0.0, 1.0}


@pytest.mark.parametrize(
    "start", ["2019-06-15", datetime.date(2019, 6, 15), pd.Timestamp("2019-06-15")]
)
def test_start_and_length_are_honoured(start):
    frame = make_retail_sales(120, start=start, random_state=0)
    assert len(frame) == 120 and frame.index[0] == pd.Timestamp("2019-06-15")
    assert frame.index.freqstr == "D"


def test_same_seed_same_data_other_seed_other_data():
    first = make_retail_sales(200, random_state=3)
    pd.testing.assert_frame_equal(first, make_retail_sales(200, random_state=3))
    pd.testing.assert_frame_equal(
        first, make_retail_sales(200, random_state=np.random.RandomState(3))
    )
    other = make_retail_sales(200, random_state=4)
    for column in ("sales", "promotion", "price", "temperature"):
        assert not np.array_equal(first[column], other[column]), column
    # The calendar does not depend on the seed.
    np.testing.assert_array_equal(first["holiday"], other["holiday"])


def test_holidays_fall_on_the_same_calendar_days_every_year(data):
    frame, effects = data
    holidays = frame.index[frame["holiday"] == 1]
    for year in (2021, 2022, 2023):
        days = {(day.month, day.day) for day in holidays if day.year == year}
        assert days == HOLIDAYS, year
    assert list(holidays[holidays.year == 2024]) == [pd.Timestamp("2024-01-01")]
    np.testing.assert_allclose(effects["holiday"], np.where(frame["holiday"] == 1, 1.6, 1.0))
    assert comparable_day_ratio(frame, "holiday", "promotion") > 1.4


def test_promotions_lift_sales_by_about_30_percent(data):
    frame, effects = data
    on = frame["promotion"] == 1
    assert effects.loc[on, "promotion"].mean() > 1.2
    assert (effects.loc[~on, "promotion"] == 1.0).all()
    assert 1.2 < comparable_day_ratio(frame, "promotion", "holiday") < 1.4


def test_promotions_run_for_3_to_7_days_on_about_a_quarter_of_the_days(data):
    frame, _ = data
    promotion = frame["promotion"].to_numpy()
    assert 0.15 < promotion.mean() < 0.35
    edges = np.diff(np.concatenate([[0.0], promotion, [0.0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lengths = (ends - starts)[ends < len(promotion)]  # the last run may be cut by the end
    assert lengths.min() >= 3 and lengths.max() <= 7
    assert 25 <= len(starts) <= 75  # a few a month over 36 months
    assert (make_retail_sales(200, promotion_rate=0.0, random_state=0)["promotion"] == 0).all()


def test_prices_are_piecewise_constant_around_10(data):
    frame, effects = data
    price = frame["price"].to_numpy()
    assert set(np.unique(price)) <= {8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5}
    changes = np.flatnonzero(np.diff(price) != 0) + 1
    stretches = np.diff(np.concatenate([[0], changes]))
    assert len(changes) >= 15
    assert stretches.min() >= 14 and stretches.max() <= 42 and (stretches % 7 == 0).all()
    np.testing.assert_allclose(effects["price"], (price / 10.0) ** -1.5)


def test_components_multiply_to_the_sales_and_match_the_documented_figures(data):
    frame, effects = data
    assert list(effects.columns) == [*EFFECTS, "noise"]
    assert effects.index.equals(frame.index)
    np.testing.assert_allclose(effects.prod(axis=1), frame["sales"], rtol=1e-12)
    weekly = effects["weekly"].groupby(frame.index.dayofweek).unique()
    assert [float(values[0]) for values in weekly] == [0.85, 0.85, 0.9, 0.95, 1.1, 1.3, 1.05]
    t = np.arange(len(frame))
    np.testing.assert_allclose(effects["trend_level"], 100 * (1 + 0.1 * t / 365.25))
    np.testing.assert_allclose(
        effects["temperature"], np.exp(0.005 * (frame["temperature"] - 12.0))
    )
    yearly = effects["yearly"]
    assert yearly.idxmax().month == 12 and yearly.idxmin().month == 6
    assert 0.14 < yearly.max() - 1 < 0.151 and 0.14 < 1 - yearly.min() < 0.151
    assert 0.05 < np.log(effects["noise"]).std() < 0.07


def test_temperature_follows_the_seasons(data):
    frame, _ = data
    monthly = frame["temperature"].groupby(frame.index.month).mean()
    assert monthly[7] - monthly[1] > 12
    assert 2.0 < (frame["temperature"] - monthly.reindex(frame.index.month).to_numpy()).std() < 4


def test_planted_effects_are_recovered_from_the_columns(data):
    """A log-linear fit on the public columns finds the uplifts and the price elasticity."""
    frame, _ = data
    index = frame.index
    phase = 2 * np.pi * index.dayofyear.to_numpy() / 365.25
    weekday = np.eye(7)[index.dayofweek][:, 1:]
    design = np.column_stack(
        [
            np.ones(len(frame)),
            np.arange(len(frame)) / 365.25,
            np.cos(phase),
            np.sin(phase),
            weekday,
            frame["promotion"],
            frame["holiday"],
            np.log(frame["price"]),
            frame["temperature"],
        ]
    )
    coef = np.linalg.lstsq(design, np.log(frame["sales"]), rcond=None)[0]
    promotion, holiday, elasticity = coef[-4], coef[-3], coef[-2]
    assert abs(np.exp(promotion) - 1.3) < 0.03
    assert abs(np.exp(holiday) - 1.6) < 0.1
    assert abs(elasticity + 1.5) < 0.1


def test_trend_and_noise_are_controlled_by_their_arguments():
    frame, effects = make_retail_sales(
        731, level=50.0, trend=-0.2, noise=0.0, return_effects=True, random_state=0
    )
    assert (effects["noise"] == 1.0).all()
    assert effects["trend_level"].iloc[0] == 50.0
    assert effects["trend_level"].iloc[-1] == pytest.approx(50.0 * (1 - 0.2 * 730 / 365.25))
    assert (frame["sales"] > 0).all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_days": 3}, "n_days"),
        ({"n_days": 119}, "n_days"),
        ({"n_days": 365.0}, "n_days"),
        ({"n_days": True}, "n_days"),
        ({"start": "not a date"}, "start"),
        ({"start": 20210101}, "start"),
        ({"start": "2021-01-01 12:00"}, "start"),
        ({"level": 0.0}, "level"),
        ({"level": "100"}, "level"),
        ({"trend": np.nan}, "trend"),
        ({"trend": -0.5}, "trend"),
        ({"promotion_rate": -0.1}, "promotion_rate"),
        ({"promotion_rate": 0.9}, "promotion_rate"),
        ({"noise": -0.01}, "noise"),
        ({"noise": np.inf}, "noise"),
        ({"return_effects": "yes"}, "return_effects"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    (value,) = kwargs.values()
    with pytest.raises(ValueError, match=rf"^{name} must be .*; received {name}=") as error:
        make_retail_sales(**kwargs)
    assert repr(value) in str(error.value)
