"""Loader for the Jena climate recordings (2009-2016), a real multivariate time series."""

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

_DATE_COLUMN = "Date Time"
_DATE_FORMAT = "%d.%m.%Y %H:%M:%S"
# The header of the real file, names in file order: a timestamp, then 14 measurements.
_HEADER = (
    '"Date Time","p (mbar)","T (degC)","Tpot (K)","Tdew (degC)","rh (%)","VPmax (mbar)",'
    '"VPact (mbar)","VPdef (mbar)","sh (g/kg)","H2OC (mmol/mol)","rho (g/m**3)","wv (m/s)",'
    '"max. wv (m/s)","wd (deg)"'
)
_NUMERIC_COLUMNS = tuple(name.strip('"') for name in _HEADER.split(","))[1:]
_WIND_COLUMNS = ("wv (m/s)", "max. wv (m/s)")
_MISSING_SENTINEL = -9999.0
_SOURCE_URL = (
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip"
)
_FIRST_DATA_LINE = 2  # the header is line 1; reported line numbers count from there
# No NA strings, so an empty field is reported rather than read as NaN; blank lines are
# kept (then dropped) so that row positions map to file lines.
_READ_OPTIONS = dict(dtype={_DATE_COLUMN: str}, keep_default_na=False, skip_blank_lines=False)


def load_jena_climate(path, *, resample=None):
    r"""Load the Jena climate recordings (2009-2016) as a tidy, model-ready DataFrame.

    The weather station of the Max Planck Institute for Biogeochemistry in Jena
    recorded 14 quantities (pressure, temperatures, humidity, wind, ...) every
    10 minutes from 2009 to 2016, a classic multivariate forecasting benchmark.
    Nothing is downloaded: pass the path of the file you downloaded (see Notes).

    Parameters
    ----------
    path : str or os.PathLike
        Path of ``jena_climate_2009_2016.csv`` (the file inside the zip
        archive), or of a file in the same format. The file is only read.
    resample : str or None, default=None
        ``None`` keeps the 10-minute rows. A pandas offset alias (``"h"``,
        ``"1h"``, ``"6h"``, ``"D"``, ...) returns the mean of each period
        instead; periods without any row (gaps in the recordings) are dropped.

    Returns
    -------
    frame : pandas.DataFrame
        Indexed by a sorted :class:`pandas.DatetimeIndex` named ``"Date Time"``, with
        the 14 measurement columns under their original names (``"p (mbar)"``,
        ``"T (degC)"``, ..., ``"wd (deg)"``), all float64 and without any missing
        value. Other columns of the file are dropped.

    Raises
    ------
    FileNotFoundError
        If ``path`` is not an existing file.
    ValueError
        If ``resample`` is neither None nor a pandas offset alias; if the file is not
        CSV, lacks ``"Date Time"`` or any of the 14 measurement columns, holds a timestamp
        that is not ``dd.mm.yyyy HH:MM:SS`` or a measurement that is not a finite number;
        or if a wind column has no valid reading.

    Notes
    -----
    **Getting the file.** Download and unzip the archive of the Keras "timeseries
    weather forecasting" tutorial,
    https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip.

    **Missing wind readings.** The wind speed columns ``"wv (m/s)"`` and
    ``"max. wv (m/s)"`` hold the sentinel ``-9999.0`` where the sensor gave no reading.
    Those values become NaN and are then interpolated in time from the neighbouring
    readings (``interpolate(method="time")``, weighted by the actual time distance, so
    gaps in the recordings are respected), with the nearest reading used at either end
    of the series. The sentinel never reaches a model. Filling with 0.0 instead, as the
    Keras tutorial does, would invent calm spells and bias the mean wind speed.

    **Duplicated timestamps and gaps.** Of a timestamp the file holds twice, the
    first row in file order is kept. Rows are then sorted by time. Gaps are left
    as they are: the 10-minute rows are not reindexed onto a regular grid.

    Examples
    --------
    >>> import os, tempfile
    >>> from attn_sklearn.datasets import load_jena_climate
    >>> header = ('"Date Time","p (mbar)","T (degC)","Tpot (K)","Tdew (degC)","rh (%)",'
    ...           '"VPmax (mbar)","VPact (mbar)","VPdef (mbar)","sh (g/kg)","H2OC (mmol/mol)",'
    ...           '"rho (g/m**3)","wv (m/s)","max. wv (m/s)","wd (deg)"')
    >>> values = "996.52,-8.02,265.40,-8.90,93.30,3.33,3.11,0.22,1.94,3.12,1307.75,1.03,1.75,152.30"
    >>> stamps = ["01.01.2009 00:10:00", "01.01.2009 00:20:00", "01.01.2009 00:30:00"]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "jena_climate_2009_2016.csv")
    ...     with open(path, "w") as file:
    ...         _ = file.write("\n".join([header] + [f"{s},{values}" for s in stamps]) + "\n")
    ...     df = load_jena_climate(path)
    ...     hourly = load_jena_climate(path, resample="h")
    >>> df.shape
    (3, 14)
    >>> df.index[0]
    Timestamp('2009-01-01 00:10:00')
    >>> hourly.shape
    (1, 14)
    """
    _check_resample(resample)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"path={str(path)!r} does not exist or is not a file. Download the Jena climate "
            f"archive jena_climate_2009_2016.csv.zip from {_SOURCE_URL}, unzip it and pass the "
            "path of jena_climate_2009_2016.csv."
        )
    raw = _read_columns(path)
    stamps = pd.DatetimeIndex(_parse_timestamps(raw[_DATE_COLUMN], path), name=_DATE_COLUMN)
    frame = pd.DataFrame({name: _parse_numbers(raw[name], name, path) for name in _NUMERIC_COLUMNS})
    frame.index = stamps  # positional: the row labels of ``raw`` are not timestamps
    frame = frame[~frame.index.duplicated(keep="first")].sort_index(kind="stable")
    frame = _fill_missing_wind(frame, path)
    if resample is not None:
        frame = frame.resample(resample).mean().dropna(how="all")  # periods without rows
    return frame


def _check_resample(resample):
    expected = "resample must be None or a pandas offset alias such as 'h', '1h' or 'D'"
    if resample is None:
        return
    if not isinstance(resample, str):
        raise ValueError(
            f"{expected}; received resample={resample!r} of type {type(resample).__name__}."
        )
    try:
        offset = to_offset(resample)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{expected}; received resample={resample!r} ({exc}).") from exc
    if offset.n <= 0:
        raise ValueError(f"{expected}, with a positive length; received resample={resample!r}.")


def _read_columns(path):
    """The file's columns: float where every value parses, else text to report as written."""
    try:
        raw = pd.read_csv(path, **_READ_OPTIONS)
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"The file {str(path)!r} is empty; expected a CSV file.") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"The file {str(path)!r} could not be read as CSV: {exc}") from exc
    raw.columns = [str(name).strip() for name in raw.columns]
    missing = [name for name in (_DATE_COLUMN, *_NUMERIC_COLUMNS) if name not in raw.columns]
    if missing:
        raise ValueError(
            f"The file {str(path)!r} is missing the column(s) {missing} of the Jena climate "
            f"header; received the columns {list(raw.columns)}."
        )
    raw = raw[~(raw == "").all(axis=1)]
    if raw.empty:
        raise ValueError(f"The file {str(path)!r} has a header but no data rows.")
    return raw


def _parse_timestamps(text, path):
    stamps = pd.to_datetime(text.str.strip(), format=_DATE_FORMAT, errors="coerce")
    bad = stamps.isna()
    if bad.any():
        row = bad.idxmax()
        raise ValueError(
            f"Column {_DATE_COLUMN!r} of {str(path)!r}, line {row + _FIRST_DATA_LINE}: expected "
            f"a day-first timestamp 'dd.mm.yyyy HH:MM:SS'; received {text[row]!r}."
        )
    return stamps


def _parse_numbers(column, name, path):
    if pd.api.types.is_numeric_dtype(column):
        numbers = column.astype(np.float64)  # the fast path: the CSV parser read numbers
    else:
        numbers = pd.to_numeric(column.astype(str).str.strip(), errors="coerce")
    bad = ~np.isfinite(numbers)
    if bad.any():
        row = bad.idxmax()
        raise ValueError(
            f"Column {name!r} of {str(path)!r}, line {row + _FIRST_DATA_LINE}: expected a "
            f"finite number; received {column[row]!r}."
        )
    return numbers


def _fill_missing_wind(frame, path):
    """Interpolate the ``-9999`` wind readings in time instead of letting them reach a model."""
    frame = frame.copy()
    for name in _WIND_COLUMNS:
        column = frame[name].mask(frame[name] == _MISSING_SENTINEL)
        if column.isna().all():
            raise ValueError(
                f"Column {name!r} of {str(path)!r} has no valid reading: every value is the "
                f"missing-reading sentinel {_MISSING_SENTINEL}."
            )
        frame[name] = column.interpolate(method="time").ffill().bfill()
    return frame
