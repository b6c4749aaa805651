"""
Retail sales: two weeks ahead with planned promotions and holidays
==================================================================

A shop's daily sales (``attn_sklearn.datasets.make_retail_sales``: weekly and
yearly seasonality, a trend, holidays on fixed dates, planned promotions and
prices, a measured temperature) are forecast 14 days ahead from the last
``--window`` days. ``ForecastFramer`` frames the DataFrame: sales, temperature
(a past covariate) and the planned columns up to each forecast origin, and the
planned columns (``promotion``, ``holiday``, ``price``) for the 14 days
forecast. An encoder–decoder ``AttentionLSTMForecaster`` with an 80 %
prediction interval is fitted on all but the last ``--test-days`` origins and
compared on those with seasonal naive (the same weekday a week earlier), with
the same forecaster without the planned columns, and with a ridge regression
on the same rows. Then it forecasts the real future: the 14 days after the
data, from the plan for them alone.

The sales grow, so the forecaster normalises each window by its own level
(``normalize="window"``; ``"auto"`` misses the trend under the yearly
season). At the defaults (``--random-state 0``) we measured on 2026-12-01 a
14-day MAE over the 180 test origins of 10.9 with the plan, against 26.4 for
the same forecaster without it and 27.6 for seasonal naive; on holidays 20.5
against 98.9 and 103.7 (with ``--normalize auto``: 14.6 with the plan). A
ridge regression on the same framed rows (every past and planned value,
flattened) scores 8.9, and 20.8 on holidays: on this record, whose effects
are simple products, a linear model of three years of windows is the peer
to beat, and the forecaster does not yet; its error grows with the distance
from its training period.

Writes under ``--out-dir`` (default ``outputs/retail_sales``): ``metrics.json``
(MAE overall, on promotion days and on holidays; the interval's coverage),
``next_days.csv`` (the forecast of the 14 days after the data, median and
interval, indexed by date), ``forecast.png`` (those 14 days: forecast, band,
plan) and ``attention_map.png`` (which past days each forecast day attended
to, for the test window that forecasts Christmas).

The printed interval coverage is measured on the test origins: 79 % at this
script's defaults (``--random-state 0``). The forecaster calibrates its band on
the last tenth of its training windows (``calibrate_quantiles``); the network's
own band held 64 %, as the 28-day windows cannot show the yearly season or the
level the test half-year reaches (see "Prediction intervals" in
``docs/getting_started.md``).

Run ``python examples/plot_retail_sales.py --help`` for options; ``--quick``
(300 days, 14-day windows, 7 days ahead, 40 test origins, 2 epochs of a
network of 8 units) runs in seconds.
"""

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: files only

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from attn_sklearn import AttentionLSTMForecaster, ForecastFramer
from attn_sklearn.datasets import make_retail_sales
from attn_sklearn.plotting import plot_horizon_attention

PLANNED = ["promotion", "holiday", "price"]
# --quick: a seconds-long smoke run (options given with it still win).
QUICK = {"days": 300, "window": 14, "horizon": 7, "test_days": 40, "epochs": 2, "units": 8}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().partition("\n")[0])
    parser.add_argument("--days", type=int, default=1096, help="days of sales generated")
    parser.add_argument("--window", type=int, default=28, help="days of history per forecast")
    parser.add_argument("--horizon", type=int, default=14, help="days forecast")
    parser.add_argument("--test-days", type=int, default=180, help="last origins held out")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument(
        "--normalize",
        choices=["auto", "window", "none"],
        default="window",
        help="the forecaster's normalize (sales grow, so each window's own level)",
    )
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=Path("outputs") / "retail_sales")
    parser.add_argument("--quick", action="store_true", help=f"tiny settings, for tests: {QUICK}")
    args = parser.parse_args(argv)
    if args.quick:  # options given explicitly still win over the quick settings
        parser.set_defaults(**QUICK)
        args = parser.parse_args(argv)
    return args


def seasonal_naive(sales, origins, horizon):
    """Each forecast day gets the sales of the same weekday in the last observed week."""
    values = sales.to_numpy()
    last = sales.index.get_indexer(origins)
    return values[last[:, None] - 6 + np.arange(horizon) % 7]


def ridge_on_windows(X, y, train, test):
    """A linear peer: ridge regression on every value of each framed row, flattened."""
    flat = np.hstack([X["past"].reshape(len(X), -1), X["future"].reshape(len(X), -1)])
    ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 3, 13)))
    return ridge.fit(flat[train], y[train]).predict(flat[test])


def plot_future(history, forecast, band, plan, actual, path):
    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    ax.plot(history.index, history, color="black", label="observed sales")
    ax.plot(plan.index, actual, color="black", linestyle="--", label="sales (never seen)")
    ax.plot(plan.index, forecast, marker=".", label="forecast (median)")
    ax.fill_between(plan.index, band[:, 0], band[:, 1], alpha=0.3, label="80 % interval")
    for day in plan.index[plan["promotion"] > 0]:
        ax.axvspan(day - pd.Timedelta("12h"), day + pd.Timedelta("12h"), color="gold", alpha=0.3)
    for day in plan.index[plan["holiday"] > 0]:
        ax.axvline(day, color="tab:red", linewidth=1)
    ax.set_ylabel("sales")
    ax.set_title(f"The {len(plan)} days after the data (gold: planned promotion, red: holiday)")
    ax.legend(fontsize=8, loc="upper left")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    # The last `horizon` generated days play the future: only their plan is used.
    generated = make_retail_sales(args.days + args.horizon, random_state=args.random_state)
    data, future = generated.iloc[: -args.horizon], generated.iloc[-args.horizon :]

    framer = ForecastFramer("sales", window=args.window, horizon=args.horizon, known_future=PLANNED)
    X, y = framer.frame(data)
    X_plain, _ = ForecastFramer("sales", window=args.window, horizon=args.horizon).frame(data)
    origins = framer.origins(data)
    test = np.arange(len(y)) >= len(y) - args.test_days
    # Training windows end (horizon included) before the first test origin.
    train = np.arange(len(y)) < len(y) - args.test_days - args.horizon + 1
    settings = {
        "units": args.units,
        "epochs": args.epochs,
        "normalize": args.normalize,
        "head": "decoder",
        "random_state": args.random_state,
    }
    forecaster = AttentionLSTMForecaster(**settings, quantiles=(0.1, 0.9))
    start = time.perf_counter()
    forecaster.fit(X[train], y[train])
    fit_seconds = time.perf_counter() - start
    without_plan = AttentionLSTMForecaster(**settings).fit(X_plain[train], y[train])

    actual = y[test]
    forecasts = {
        "forecaster with the plan": forecaster.predict(X[test]),
        "forecaster without the plan": without_plan.predict(X_plain[test]),
        "seasonal naive (last week)": seasonal_naive(data["sales"], origins[test], args.horizon),
        "ridge on the framed rows": ridge_on_windows(X, y, train, test),
    }
    band = forecaster.predict_quantiles(X[test])
    planned = X["future"][test]  # (n_test, horizon, [promotion, holiday, price])

    def mae(forecast, days=None):
        errors = np.abs(forecast - actual)
        if days is not None and not days.any():
            return None  # a short run may hold no such day
        return float(errors.mean() if days is None else errors[days].mean())

    results = {
        "days": len(data),
        "train_windows": int(train.sum()),
        "test_windows": int(test.sum()),
        "fit_seconds": fit_seconds,
        "epochs_trained": len(forecaster.history_["loss"]),
        "mae": {name: mae(f) for name, f in forecasts.items()},
        "mae_promotion_days": {name: mae(f, planned[..., 0] > 0) for name, f in forecasts.items()},
        "mae_holidays": {name: mae(f, planned[..., 1] > 0) for name, f in forecasts.items()},
        "interval_80_coverage": float(((band[..., 0] <= actual) & (actual <= band[..., 1])).mean()),
    }

    # The real future: the 14 days after the data, from their plan alone.
    # forecast_frame labels the forecast arrays with the days they forecast.
    X_next = framer.frame_future(data, future[PLANNED])
    median = framer.forecast_frame(forecaster.predict(X_next), data, future)
    band = framer.forecast_frame(
        forecaster.predict_quantiles(X_next), data, future, quantiles=forecaster.quantiles
    )
    next_days = median.join(band.drop(columns="horizon_step"))
    next_days.to_csv(args.out_dir / "next_days.csv")
    results["next_days_mae"] = float((next_days["sales"] - future["sales"]).abs().mean())
    (args.out_dir / "metrics.json").write_text(json.dumps(results, indent=2) + "\n")
    plot_future(
        data["sales"].iloc[-4 * args.horizon :],
        next_days["sales"],
        next_days[["sales_q0.1", "sales_q0.9"]].to_numpy(),
        future[PLANNED],
        future["sales"].to_numpy(),
        args.out_dir / "forecast.png",
    )
    # The test window whose forecast days hold the most holidays (Christmas in the default run).
    shown = int(np.argmax(planned[..., 1].sum(axis=1)))
    ax = plot_horizon_attention(forecaster, X[test], sample=shown)
    first = origins[test][shown] + pd.Timedelta(days=1)
    ax.set_title(
        f"forecast days from {first:%Y-%m-%d}: which of the last {args.window} days each used"
    )
    oldest = first - pd.Timedelta(days=args.window)
    ax.set_xlabel(
        f"day of the window, {oldest:%Y-%m-%d} (0) to {first - pd.Timedelta(days=1):%Y-%m-%d}"
    )
    ax.figure.savefig(args.out_dir / "attention_map.png", dpi=100)
    plt.close(ax.figure)
    for name, value in results["mae"].items():
        print(f"{name:>28}: MAE {value:.2f} over {args.horizon} days")
    print(f"80 % interval coverage: {results['interval_80_coverage']:.1%}")
    return results


if __name__ == "__main__":
    main()
