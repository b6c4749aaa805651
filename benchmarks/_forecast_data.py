"""Real series for the forecasting benchmark, and the rules that set up each task.

Every series ships inside a PyPI package (statsmodels' datasets, aeon's
wheel). The task of a series follows from its frequency alone, never from its
name: the season length ``m``, the horizon ``H`` (shortened to a sixth of the
series when it is short), the window ``T`` the networks read, and a fixed
hold-out of the last ``H`` observations.
"""

import warnings
from dataclasses import dataclass

import numpy as np

STATSMODELS_MISSING = (
    'This benchmark needs statsmodels and aeon (its peers and data): pip install ".[bench]"'
)
# frequency: (season length m, horizon H), the M4 competition's horizons for yearly and
# quarterly data and a year ahead for monthly data.
FREQUENCIES = {"monthly": (12, 12), "quarterly": (4, 8), "yearly": (1, 6)}


@dataclass
class Series:
    """One benchmark series: the target, optional past covariates, and its task."""

    name: str
    frequency: str
    values: np.ndarray  # (n,) target
    covariates: np.ndarray | None = None  # (n, k) past covariates, known up to the origin
    covariate_names: tuple = ()

    @property
    def season(self):
        return FREQUENCIES[self.frequency][0]

    @property
    def horizon(self):
        return min(FREQUENCIES[self.frequency][1], len(self.values) // 6)

    @property
    def window(self):
        """Two seasons or two horizons, at most half the training part."""
        n_train = len(self.values) - self.horizon
        return min(max(2 * self.season, 2 * self.horizon), (n_train - self.horizon) // 2)

    def split(self):
        """``(train, test)`` of the target: the last ``horizon`` observations are held out."""
        cut = len(self.values) - self.horizon
        return self.values[:cut], self.values[cut:]

    def frame(self):
        """The training part as the forecaster's input: target first, then covariates."""
        cut = len(self.values) - self.horizon
        if self.covariates is None:
            return self.values[:cut]
        return np.column_stack([self.values[:cut], self.covariates[:cut]])

    def describe(self):
        return {
            "n": len(self.values),
            "frequency": self.frequency,
            "season": self.season,
            "horizon": self.horizon,
            "window": self.window,
            "covariates": list(self.covariate_names),
        }


def _statsmodels(name):
    import statsmodels.api as sm

    return getattr(sm.datasets, name).load_pandas().data


def _co2():
    weekly = _statsmodels("co2")["co2"]
    monthly = weekly.resample("MS").mean().interpolate()  # a few weeks are missing
    return Series("co2", "monthly", monthly.to_numpy(np.float64))


def _sunspots():
    return Series("sunspots", "yearly", _statsmodels("sunspots")["SUNACTIVITY"].to_numpy(float))


def _nile():
    return Series("nile", "yearly", _statsmodels("nile")["volume"].to_numpy(float))


def _elnino():
    table = _statsmodels("elnino").drop(columns="YEAR")  # one row per year, a column per month
    return Series("elnino", "monthly", table.to_numpy(float).ravel())


def _macrodata():
    data = _statsmodels("macrodata")
    covariates = ("realdpi", "unemp")
    return Series(
        "macrodata",
        "quarterly",
        data["realcons"].to_numpy(float),
        data[list(covariates)].to_numpy(float),
        covariates,
    )


def _aeon(loader, name, frequency):
    import aeon.datasets

    with warnings.catch_warnings():
        # aeon 1.6 deprecates these loaders (removal in 1.7; the bench extra pins below it).
        warnings.simplefilter("ignore", FutureWarning)
        values = np.asarray(getattr(aeon.datasets, loader)(), dtype=float).ravel()
    return Series(name, frequency, values)


LOADERS = {
    "co2": _co2,
    "sunspots": _sunspots,
    "nile": _nile,
    "elnino": _elnino,
    "macrodata": _macrodata,
    "ShampooSales": lambda: _aeon("load_shampoo_sales", "ShampooSales", "monthly"),
    "Lynx": lambda: _aeon("load_lynx", "Lynx", "yearly"),
    "airline": lambda: _aeon("load_airline", "airline", "monthly"),
}


def load_series(name):
    """The benchmark series called ``name`` (a key of :data:`LOADERS`)."""
    return LOADERS[name]()


# ------------------------------------------------------------------ metrics
def mase(train, test, forecast, season):
    """Mean absolute error scaled by the in-sample seasonal naive's (Hyndman & Koehler, 2006)."""
    scale = np.mean(np.abs(train[season:] - train[:-season]))
    return float(np.mean(np.abs(test - forecast)) / scale)


def smape(test, forecast):
    """Symmetric mean absolute percentage error, in percent (0 to 200)."""
    denominator = np.abs(test) + np.abs(forecast)
    ratio = np.divide(
        np.abs(test - forecast), denominator, out=np.zeros_like(test), where=denominator > 0
    )
    return float(200 * np.mean(ratio))


def geometric_mean(values):
    values = np.asarray(values, dtype=float)
    return float(np.exp(np.mean(np.log(values))))
