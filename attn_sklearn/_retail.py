"""Daily retail sales with planted, known effects of promotions, holidays and prices."""

import datetime
import numbers

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ._validation import check_int

_MIN_DAYS = 120
# Monday to Sunday; the mean is exactly 1.
_WEEKLY = np.array([0.85, 0.85, 0.90, 0.95, 1.10, 1.30, 1.05])
_YEARLY_AMPLITUDE = 0.15  # seasonality peaks in early December
_YEARLY_PEAK_DAY = 340
_HOLIDAYS = ((1, 1), (7, 4), (11, 27), (12, 24), (12, 25), (12, 26))  # (month, day)
_HOLIDAY_UPLIFT = 0.6
_PROMOTION_UPLIFT = 0.3
_PROMOTION_DAYS = (3, 7)  # shortest and longest run
_BASE_PRICE = 10.0
_PRICE_FACTORS = np.round(np.arange(0.85, 1.151, 0.05), 2)
_PRICE_WEEKS = (2, 6)  # shortest and longest stretch of one price
_ELASTICITY = -1.5
_TEMPERATURE_MEAN, _TEMPERATURE_AMPLITUDE = 12.0, 9.0  # degrees C, warmest mid-July
_TEMPERATURE_PEAK_DAY = 196
_TEMPERATURE_AR, _TEMPERATURE_SHOCK = 0.7, 2.0
_TEMPERATURE_EFFECT = 0.005  # relative change of sales per degree C
_DAYS_PER_YEAR = 365.25


def _check_real(value, name, *, low, high, low_open=False, expected=None):
    """``value`` as a float within ``[low, high]`` (``(low, high]``), else a ValueError."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and value <= high
    if not ok:
        if expected is None:
            expected = f"in {'(' if low_open else '['}{low:g}, {high:g}]"
        raise ValueError(f"{name} must be a finite number {expected}; received {name}={value!r}.")
    return float(value)


def _check_start(start):
    stamp = pd.NaT
    try:
        if isinstance(start, str | datetime.date | np.datetime64):
            stamp = pd.Timestamp(start).as_unit("ns")  # the same index unit for any input
    except (TypeError, ValueError):
        pass
    if stamp is pd.NaT or stamp != stamp.normalize():
        raise ValueError(
            "start must be a calendar date from 1678 to 2261 (a string such as '2021-01-01', a "
            f"datetime.date or a pandas.Timestamp at midnight); received start={start!r}."
        )
    return stamp


def _promotion_days(n_days, rate, rng):
    """0/1 per day: runs of 3 to 7 days, about ``rate`` of all days, never back to back."""
    promotion = np.zeros(n_days)
    if rate == 0:
        return promotion
    mean_run = sum(_PROMOTION_DAYS) / 2
    mean_gap = mean_run * (1 - rate) / rate  # so that runs cover ``rate`` of the days
    day = int(rng.randint(0, round(mean_gap) + 1))
    while day < n_days:
        run = int(rng.randint(_PROMOTION_DAYS[0], _PROMOTION_DAYS[1] + 1))
        promotion[day : day + run] = 1.0
        day += run + 1 + int(rng.poisson(max(mean_gap - 1, 0.0)))
    return promotion


def _planned_prices(n_days, rng):
    prices, day, factor = np.empty(n_days), 0, 0.0
    while day < n_days:
        weeks = int(rng.randint(_PRICE_WEEKS[0], _PRICE_WEEKS[1] + 1))
        factor = rng.choice(_PRICE_FACTORS[_PRICE_FACTORS != factor])  # a change, every time
        prices[day : day + 7 * weeks] = round(_BASE_PRICE * factor, 2)
        day += 7 * weeks
    return prices


def _temperature(day_of_year, rng):
    shocks = _TEMPERATURE_SHOCK * rng.standard_normal(day_of_year.size)
    weather = np.empty_like(shocks)
    weather[0] = shocks[0] / np.sqrt(1 - _TEMPERATURE_AR**2)  # start in the stationary state
    for t in range(1, shocks.size):
        weather[t] = _TEMPERATURE_AR * weather[t - 1] + shocks[t]
    phase = 2 * np.pi * (day_of_year - _TEMPERATURE_PEAK_DAY) / _DAYS_PER_YEAR
    return _TEMPERATURE_MEAN + _TEMPERATURE_AMPLITUDE * np.cos(phase) + weather


def make_retail_sales(
    n_days=1096,
    *,
    start="2021-01-01",
    level=100.0,
    trend=0.1,
    promotion_rate=0.25,
    noise=0.06,
    return_effects=False,
    random_state=None,
):
    """Generate daily retail sales of one product with planted, known effects.

    A forecasting benchmark with *known-future* covariates: promotions, holidays
    and prices are planned ahead, so a model may use their values over the
    forecast horizon; the temperature is only measured (a past covariate).
    Sales are the product of the components listed in Notes.

    Parameters
    ----------
    n_days : int, default=1096
        Number of days, at least 120 (the default covers three years).
    start : str, datetime.date or pandas.Timestamp, default="2021-01-01"
        The first day.
    level : float, default=100.0
        Mean daily sales on the first day, before the other effects (> 0).
    trend : float, default=0.1
        Linear growth of the level per year, relative to ``level``: 0.1 adds
        10 % of the starting level every year. Negative values shrink it, but
        the level must stay positive over ``n_days``.
    promotion_rate : float, default=0.25
        Share of the days on promotion, in [0, 0.5]; 0.25 gives about one
        promotion every 20 days.
    noise : float, default=0.06
        Standard deviation of the log of the multiplicative noise, in [0, 1]:
        0.06 gives sales about 6 % off their expected value.
    return_effects : bool, default=False
        Whether to return the components of the sales too.
    random_state : int, RandomState instance or None, default=None
        Seed for the promotions, the prices, the temperature and the noise.

    Returns
    -------
    frame : pandas.DataFrame
        Indexed by a daily :class:`pandas.DatetimeIndex` named ``"date"``
        (frequency ``"D"``), with the float columns ``"sales"`` (the target,
        positive), ``"promotion"`` (1.0 on promotion days, else 0.0),
        ``"holiday"`` (1.0 on holidays, else 0.0), ``"price"`` (the planned
        price) and ``"temperature"`` (degrees Celsius), in this order.
    effects : pandas.DataFrame
        Only with ``return_effects=True``: the multiplicative components, same
        index, columns ``"trend_level"``, ``"weekly"``, ``"yearly"``,
        ``"holiday"``, ``"promotion"``, ``"price"``, ``"temperature"`` and
        ``"noise"``. Their product along each row is ``frame["sales"]``.

    Raises
    ------
    ValueError
        If an argument is out of range or of the wrong type; the message names it.

    Notes
    -----
    The planted effects, each a factor of the sales:

    * **trend_level**: ``level * (1 + trend * t / 365.25)``, ``t`` in days since ``start``;
    * **weekly**: Monday to Sunday 0.85, 0.85, 0.90, 0.95, 1.10, 1.30, 1.05 (mean 1);
    * **yearly**: ``1 + 0.15 * cos(2 pi (d - 340) / 365.25)``, ``d`` the day of the
      year, so +15 % in early December and -15 % in early June;
    * **holiday**: 1.6 (+60 %) on 1 January, 4 July, 27 November and 24-26 December
      of every year, the days where ``holiday`` is 1; no ramp before them;
    * **promotion**: 1.3 (+30 %) on promotion days; promotions run for 3 to 7
      consecutive days, start at random and cover about ``promotion_rate`` of the days;
    * **price**: ``(price / 10) ** -1.5`` (elasticity -1.5); the price holds for 2 to 6
      weeks, then changes to 10 times another of 0.85, 0.90, ..., 1.15, drawn at random;
    * **temperature**: ``exp(0.005 * (temperature - 12))``, +0.5 % per degree C;
      the temperature is ``12 + 9 cos(2 pi (d - 196) / 365.25)`` (warmest in
      mid-July) plus AR(1) weather noise (coefficient 0.7, standard deviation
      about 2.8 degrees C);
    * **noise**: ``exp(noise * e - noise ** 2 / 2)``, ``e`` standard normal (mean 1).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.datasets import make_retail_sales
    >>> frame = make_retail_sales(random_state=0)
    >>> frame.shape
    (1096, 5)
    >>> list(frame.columns)
    ['sales', 'promotion', 'holiday', 'price', 'temperature']
    >>> frame, effects = make_retail_sales(365, return_effects=True, random_state=0)
    >>> bool(np.allclose(effects.prod(axis=1), frame["sales"]))
    True
    """
    n_days = check_int(n_days, "n_days", minimum=_MIN_DAYS)
    start = _check_start(start)
    level = _check_real(level, "level", low=0.0, high=np.inf, low_open=True, expected="> 0")
    lowest_trend = -_DAYS_PER_YEAR / (n_days - 1)
    keep_positive = f"> {lowest_trend:.4g} (the level must stay positive over n_days={n_days})"
    trend = _check_real(
        trend, "trend", low=lowest_trend, high=np.inf, low_open=True, expected=keep_positive
    )
    promotion_rate = _check_real(promotion_rate, "promotion_rate", low=0.0, high=0.5)
    noise = _check_real(noise, "noise", low=0.0, high=1.0)
    if not isinstance(return_effects, bool | np.bool_):
        raise ValueError(
            f"return_effects must be True or False; received return_effects={return_effects!r}."
        )
    try:
        rng = check_random_state(random_state)
    except ValueError:
        raise ValueError(
            "random_state must be None, an integer or a numpy.random.RandomState; received "
            f"random_state={random_state!r}."
        ) from None
    try:
        index = pd.date_range(start, periods=n_days, freq="D", name="date")
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        raise ValueError(
            f"n_days must keep the dates within pandas' range from start={start.date()}; "
            f"received n_days={n_days}."
        ) from None

    promotion = _promotion_days(n_days, promotion_rate, rng)
    price = _planned_prices(n_days, rng)
    day_of_year = index.dayofyear.to_numpy(dtype=float)
    temperature = _temperature(day_of_year, rng)
    holidays = [100 * month + day for month, day in _HOLIDAYS]
    holiday = np.isin(100 * index.month + index.day, holidays).astype(float)
    t = np.arange(n_days, dtype=float)
    yearly_phase = 2 * np.pi * (day_of_year - _YEARLY_PEAK_DAY) / _DAYS_PER_YEAR
    effects = pd.DataFrame(
        {
            "trend_level": level * (1 + trend * t / _DAYS_PER_YEAR),
            "weekly": _WEEKLY[index.dayofweek],
            "yearly": 1 + _YEARLY_AMPLITUDE * np.cos(yearly_phase),
            "holiday": 1 + _HOLIDAY_UPLIFT * holiday,
            "promotion": 1 + _PROMOTION_UPLIFT * promotion,
            "price": (price / _BASE_PRICE) ** _ELASTICITY,
            "temperature": np.exp(_TEMPERATURE_EFFECT * (temperature - _TEMPERATURE_MEAN)),
            "noise": np.exp(noise * rng.standard_normal(n_days) - noise**2 / 2),
        },
        index=index,
    )
    frame = pd.DataFrame(
        {
            "sales": effects.prod(axis=1).to_numpy(),
            "promotion": promotion,
            "holiday": holiday,
            "price": price,
            "temperature": temperature,
        },
        index=index,
    )
    return (frame, effects) if return_effects else frame
