"""Forecasting real series: AttentionLSTMForecaster against seasonal naive, ETS and SARIMA.

Eight real series that ship inside PyPI packages (statsmodels' ``co2``,
``sunspots``, ``nile``, ``elnino`` and ``macrodata``; aeon's ``ShampooSales``,
``Lynx`` and ``PBS``), each with a fixed hold-out of its last ``H``
observations (see ``_forecast_data.py`` for the rules). Every method forecasts
the ``H`` held-out steps from the training part alone, in one run:

* seasonal naive: the last season repeated (the last value for yearly data);
* ETS: statsmodels' ``ETSModel``, additive errors, the trend (none, additive,
  damped) and additive seasonality chosen by AICc, as automatic ETS does;
* SARIMA: statsmodels' ``SARIMAX``, ``(p, 1, q)`` with ``p <= 2, q <= 1`` and
  a seasonal ``(0, 1, 1)`` part for seasonal data, chosen by AIC;
* ``AttentionLSTMForecaster`` with default settings (several seeds), fitted on
  ``frame_supervised`` windows of the training part (``macrodata`` also gives
  it the past covariates ``realdpi`` and ``unemp``), forecasting all ``H``
  steps at once from the last window;
* ``AttentionLSTMRegressor`` with default settings, the same way: the
  package's forecaster before level normalisation and the linear path.

Reported: MASE (scaled by the in-sample seasonal naive) and sMAPE per series,
and their geometric / arithmetic means over the series.
"""

import sys
import warnings

import numpy as np
from _common import (
    add_parameter_option,
    base_parser,
    fill_sizes,
    fmt,
    print_table,
    timed,
    write_json,
)
from _forecast_data import (
    LOADERS,
    STATSMODELS_MISSING,
    geometric_mean,
    load_series,
    mase,
    smape,
)

METHODS = {
    "seasonal_naive": "seasonal naive",
    "ets": "ETS (AICc)",
    "sarima": "SARIMA (AIC)",
    "attn_forecaster": "AttentionLSTMForecaster",
    "attn_decoder": "AttentionLSTMForecaster(head='decoder')",
    "attn_regressor": "AttentionLSTMRegressor",
}
PEERS = ("seasonal_naive", "ets", "sarima")
NETWORKS = ("attn_forecaster", "attn_decoder", "attn_regressor")
FULL = {
    "series": list(LOADERS),
    "seeds": [0, 1, 2],
    "epochs": None,
    "units": None,
    "networks": list(NETWORKS),
}
QUICK = {**FULL, "series": ["nile", "ShampooSales"], "seeds": [0], "epochs": 2, "units": 8}


def parse_args(argv=None):
    parser = base_parser(__doc__)
    parser.add_argument("--series", nargs="+", choices=list(LOADERS), help="series to run")
    parser.add_argument("--seeds", nargs="+", type=int, help="random_state values of ours")
    parser.add_argument("--epochs", type=int, help="epochs of ours (default: the estimator's)")
    parser.add_argument("--units", type=int, help="units of ours (default: the estimator's)")
    parser.add_argument(
        "--networks", nargs="+", choices=NETWORKS, help="our methods to run (peers always run)"
    )
    add_parameter_option(parser)
    return fill_sizes(parser.parse_args(argv), QUICK, FULL)


# ------------------------------------------------------------------ peers
def seasonal_naive(train, horizon, season):
    last_season = train[-season:]
    return np.resize(last_season, horizon)  # repeats the season to the horizon


def ets(train, horizon, season):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "add" if season > 1 and len(train) >= 2 * season + 2 else None
    candidates = [(None, False), ("add", False), ("add", True)]
    best = None
    for trend, damped in candidates:
        model = ETSModel(
            train,
            error="add",
            trend=trend,
            damped_trend=damped,
            seasonal=seasonal,
            seasonal_periods=season if seasonal else None,
        )
        fitted = model.fit(disp=False)
        if best is None or fitted.aicc < best.aicc:
            best = fitted
    return np.asarray(best.forecast(horizon))


def sarima(train, horizon, season):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    seasonal_order = (0, 1, 1, season) if season > 1 else (0, 0, 0, 0)
    best = None
    for p in (0, 1, 2):
        for q in (0, 1):
            model = SARIMAX(train, order=(p, 1, q), seasonal_order=seasonal_order, trend="n")
            fitted = model.fit(disp=False)
            if best is None or fitted.aic < best.aic:
                best = fitted
    return np.asarray(best.forecast(horizon))


# ------------------------------------------------------------------ ours
def network_forecast(method, series, seed, args):
    from attn_sklearn import AttentionLSTMForecaster, AttentionLSTMRegressor, frame_supervised

    cls = AttentionLSTMRegressor if method == "attn_regressor" else AttentionLSTMForecaster
    params = {**dict(args.params), "random_state": seed}
    if method == "attn_decoder":
        params["head"] = "decoder"
    for name in ("epochs", "units"):
        if getattr(args, name) is not None:
            params[name] = getattr(args, name)
    history = series.split()[0] if method == "attn_regressor" else series.frame()
    target = 0 if history.ndim == 2 else None
    X, y = frame_supervised(history, series.window, horizon=series.horizon, target=target)
    estimator = cls(**params)
    _, fit_seconds = timed(estimator.fit, X, y)
    last_window = np.asarray(history[-series.window :])[None]
    forecast, predict_seconds = timed(estimator.predict, last_window)
    extra = {
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "epochs_trained": len(estimator.history_["loss"]),
        "n_windows": len(X),
    }
    return np.asarray(forecast, dtype=float).ravel(), extra


def run_series(series, args):
    train, test = series.split()
    season, horizon = series.season, series.horizon
    methods = {}
    for method, forecast_fn in (
        ("seasonal_naive", seasonal_naive),
        ("ets", ets),
        ("sarima", sarima),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels' convergence chatter
            forecast, seconds = timed(forecast_fn, train, horizon, season)
        methods[method] = _scores(train, test, forecast, season) | {"fit_seconds": seconds}
    for method in args.networks:
        runs = []
        for seed in args.seeds:
            forecast, extra = network_forecast(method, series, seed, args)
            runs.append({"seed": seed, **_scores(train, test, forecast, season), **extra})
        methods[method] = _summarise(runs)
    return {"data": series.describe(), "methods": methods}


def _scores(train, test, forecast, season):
    return {
        "mase": mase(train, test, forecast, season),
        "smape": smape(test, forecast),
        "forecast": forecast.tolist(),
    }


def _summarise(runs):
    summary = {"runs": runs}
    for key in ("mase", "smape", "fit_seconds"):
        values = [run[key] for run in runs]
        summary[key] = float(np.mean(values))
        summary[f"{key}_std"] = float(np.std(values)) if len(values) > 1 else None
    return summary


# ------------------------------------------------------------------ report
def summary_rows(results):
    """Per method: geometric-mean MASE, mean sMAPE, series where it beats seasonal naive."""
    datasets = results["series"]
    rows = []
    for method, label in results["methods"].items():
        mases = [entry["methods"][method]["mase"] for entry in datasets.values()]
        smapes = [entry["methods"][method]["smape"] for entry in datasets.values()]
        wins = sum(
            entry["methods"][method]["mase"] < entry["methods"]["seasonal_naive"]["mase"]
            for entry in datasets.values()
        )
        rows.append((label, geometric_mean(mases), float(np.mean(smapes)), wins))
    return rows


def report(results):
    datasets = results["series"]
    methods = results["methods"]
    headers = ["series", "n", "m", "H", "T", *methods.values()]
    titles = {"mase": "MASE (lower is better)", "smape": "sMAPE % (lower is better)"}
    for metric, title in titles.items():
        rows = []
        for name, entry in datasets.items():
            data = entry["data"]
            cells = []
            for method in methods:
                result = entry["methods"][method]
                cell = fmt(result[metric], ".3f")
                if result.get(f"{metric}_std") is not None:
                    cell += f" ± {fmt(result[f'{metric}_std'], '.3f')}"
                cells.append(cell)
            rows.append([name, data["n"], data["season"], data["horizon"], data["window"], *cells])
        print_table(headers, rows, title=title)
    rows = [
        [label, fmt(gm, ".3f"), fmt(sm, ".2f"), f"{wins}/{len(datasets)}"]
        for label, gm, sm, wins in summary_rows(results)
    ]
    print_table(
        ["method", "geometric-mean MASE", "mean sMAPE %", "beats seasonal naive"],
        rows,
        title="Over all series",
        notes=[f"networks: mean over random_state {results['settings']['seeds']}"],
    )


def main(argv=None):
    args = parse_args(argv)
    try:
        import aeon  # noqa: F401
        import statsmodels  # noqa: F401
    except ImportError:
        print(STATSMODELS_MISSING, file=sys.stderr)
        raise SystemExit(1) from None
    results = {
        "settings": {
            "series": args.series,
            "seeds": args.seeds,
            "epochs": args.epochs,
            "units": args.units,
            "networks": args.networks,
            "params": dict(args.params),
            "quick": args.quick,
        },
        "methods": {key: METHODS[key] for key in (*PEERS, *args.networks)},
        "series": {},
    }
    for name in args.series:
        results["series"][name] = run_series(load_series(name), args)
    for row in summary_rows(results):
        results.setdefault("summary", {})[row[0]] = {
            "geometric_mean_mase": row[1],
            "mean_smape": row[2],
            "series_beating_seasonal_naive": row[3],
        }
    report(results)
    write_json("bench_forecasting", results, args.out_dir)
    return results


if __name__ == "__main__":
    main()
