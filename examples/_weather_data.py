"""A generated weather record written in the exact format of the Jena climate CSV.

Used by ``plot_weather_forecast.py`` when no real file is given, so that the
example runs the same code path (the real loader on a real-format file). The
physics is rough but coherent: temperature with yearly and daily cycles and
persistent weather anomalies, humidity and vapour pressures derived from it,
pressure as a slow random walk, gusty wind with the file's ``-9999`` sentinel
now and then.
"""

import numpy as np
import pandas as pd

HEADER = (
    '"Date Time","p (mbar)","T (degC)","Tpot (K)","Tdew (degC)","rh (%)","VPmax (mbar)",'
    '"VPact (mbar)","VPdef (mbar)","sh (g/kg)","H2OC (mmol/mol)","rho (g/m**3)","wv (m/s)",'
    '"max. wv (m/s)","wd (deg)"'
)
STEPS_PER_DAY = 144  # one row every 10 minutes


def _ar1(rng, n, persistence, scale):
    """An AR(1) series: weather anomalies that last (``persistence`` per step)."""
    shocks = rng.normal(0.0, scale, n)
    out = np.empty(n)
    out[0] = shocks[0]
    for i in range(1, n):
        out[i] = persistence * out[i - 1] + shocks[i]
    return out


def write_weather_csv(path, *, days=365, start="01.01.2009 00:10:00", random_state=0):
    """Write ``days`` of 10-minute weather rows to ``path`` in the Jena CSV format."""
    rng = np.random.default_rng(random_state)
    n = days * STEPS_PER_DAY
    times = pd.date_range(
        pd.to_datetime(start, format="%d.%m.%Y %H:%M:%S"), periods=n, freq="10min"
    )
    day = np.arange(n) / STEPS_PER_DAY
    anomaly = _ar1(rng, n, 0.999, 0.08)  # multi-day warm and cold spells
    temperature = (
        9.0
        - 9.0 * np.cos(2 * np.pi * (day - 15) / 365.25)
        - 4.0 * np.cos(2 * np.pi * (day % 1 - 0.1))
        + anomaly
        + rng.normal(0, 0.15, n)
    )
    pressure = 990.0 + np.cumsum(rng.normal(0, 0.03, n)) * 0.5 + _ar1(rng, n, 0.995, 0.05)
    pressure = np.clip(pressure, 950, 1030)
    dew_gap = np.clip(
        4.0 + 2.5 * np.cos(2 * np.pi * (day % 1 - 0.6)) + _ar1(rng, n, 0.99, 0.1), 0.2, None
    )
    dew_point = temperature - dew_gap
    vp_max = 6.1078 * np.exp(17.27 * temperature / (temperature + 237.3))
    vp_act = 6.1078 * np.exp(17.27 * dew_point / (dew_point + 237.3))
    humidity = np.clip(100 * vp_act / vp_max, 5, 100)
    specific = 622 * vp_act / (pressure - 0.378 * vp_act)
    wind = np.abs(_ar1(rng, n, 0.98, 0.3)) + rng.gamma(1.5, 0.6, n)
    gust = wind * rng.uniform(1.3, 2.2, n)
    direction = (180 + np.cumsum(rng.normal(0, 4, n))) % 360
    frame = pd.DataFrame(
        {
            "p (mbar)": pressure,
            "T (degC)": temperature,
            "Tpot (K)": temperature + 273.15 + 0.1 * (1000 - pressure) / 10,
            "Tdew (degC)": dew_point,
            "rh (%)": humidity,
            "VPmax (mbar)": vp_max,
            "VPact (mbar)": vp_act,
            "VPdef (mbar)": vp_max - vp_act,
            "sh (g/kg)": specific,
            "H2OC (mmol/mol)": 1000 * vp_act / pressure,
            "rho (g/m**3)": 100 * pressure / (287.05 * (temperature + 273.15)) * 1000,
            "wv (m/s)": wind,
            "max. wv (m/s)": gust,
            "wd (deg)": direction,
        }
    ).round(2)
    broken = rng.random(n) < 0.0005  # the real file's missing wind readings
    frame.loc[broken, ["wv (m/s)", "max. wv (m/s)"]] = -9999.0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        stamps = times.strftime("%d.%m.%Y %H:%M:%S")
        for stamp, row in zip(stamps, frame.to_numpy(), strict=True):
            handle.write(stamp + "," + ",".join(f"{value:.2f}" for value in row) + "\n")
    return path
