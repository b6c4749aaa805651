"""load_jena_climate reads the real file's format and hands a model clean, sorted data."""

import os

import numpy as np
import pandas as pd
import pytest

from attn_sklearn.datasets import load_jena_climate

COLUMNS = [
    "p (mbar)",
    "T (degC)",
    "Tpot (K)",
    "Tdew (degC)",
    "rh (%)",
    "VPmax (mbar)",
    "VPact (mbar)",
    "VPdef (mbar)",
    "sh (g/kg)",
    "H2OC (mmol/mol)",
    "rho (g/m**3)",
    "wv (m/s)",
    "max. wv (m/s)",
    "wd (deg)",
]
HEADER = ",".join(f'"{name}"' for name in ["Date Time", *COLUMNS])
SENTINEL = -9999.0


def line(stamp, p=996.52, t=-8.02, wv=1.03, max_wv=1.75):
    """One data line as the real file writes it (values other than these copied from it)."""
    return (
        f"{stamp},{p:.2f},{t:.2f},265.40,-8.90,93.30,3.33,3.11,0.22,1.94,3.12,1307.75,"
        f"{wv:.2f},{max_wv:.2f},152.30"
    )


# Out of file order on purpose; 00:30 is missing (a gap); 00:40 appears twice.
LINES = [
    line("01.01.2009 00:50:00", p=1004.0, t=5.0, wv=5.0, max_wv=10.0),
    line("01.01.2009 00:10:00", p=1000.0, t=1.0, wv=1.0, max_wv=2.0),
    line("01.01.2009 00:40:00", p=1003.0, t=4.0, wv=4.0, max_wv=8.0),
    line("01.01.2009 00:20:00", p=1001.0, t=2.0, wv=SENTINEL, max_wv=SENTINEL),
    line("01.01.2009 00:40:00", p=9999.0, t=99.0, wv=99.0, max_wv=99.0),
    line("01.01.2009 01:00:00", p=1010.0, t=10.0),
    line("01.01.2009 01:10:00", p=1012.0, t=12.0),
    # Day-first: 2 January, not 1 February.
    line("02.01.2009 00:10:00", p=1020.0, t=20.0),
]


def write(tmp_path, lines, header=HEADER):
    path = tmp_path / "jena_climate_2009_2016.csv"
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


@pytest.fixture
def jena_file(tmp_path):
    return write(tmp_path, LINES)


def test_the_index_is_a_sorted_day_first_datetime_index(jena_file):
    frame = load_jena_climate(jena_file)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.name == "Date Time"
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert frame.index[0] == pd.Timestamp("2009-01-01 00:10")
    assert frame.index[-1] == pd.Timestamp("2009-01-02 00:10")
    assert list(frame["T (degC)"]) == [1.0, 2.0, 4.0, 5.0, 10.0, 12.0, 20.0]


def test_the_14_columns_keep_their_names_and_are_float64(jena_file):
    frame = load_jena_climate(jena_file)
    assert list(frame.columns) == COLUMNS
    assert (frame.dtypes == np.float64).all()


def test_str_and_pathlike_paths_load_the_same_frame(jena_file):
    pd.testing.assert_frame_equal(load_jena_climate(jena_file), load_jena_climate(str(jena_file)))


def test_the_wind_sentinel_is_interpolated_in_time_and_never_returned(jena_file):
    frame = load_jena_climate(jena_file)
    assert not frame.isna().any().any()
    assert (frame > -9000).all().all()
    # 00:20 lies a third of the way from 00:10 to 00:40 (00:30 is missing): time-weighted.
    assert frame.loc["2009-01-01 00:20", "wv (m/s)"] == pytest.approx(2.0)
    assert frame.loc["2009-01-01 00:20", "max. wv (m/s)"] == pytest.approx(4.0)


def test_a_sentinel_at_either_end_takes_the_nearest_reading(tmp_path):
    path = write(
        tmp_path,
        [
            line("01.01.2009 00:10:00", wv=SENTINEL, max_wv=SENTINEL),
            line("01.01.2009 00:20:00", wv=3.0, max_wv=6.0),
            line("01.01.2009 00:30:00", wv=5.0, max_wv=7.0),
            line("01.01.2009 00:40:00", wv=SENTINEL, max_wv=SENTINEL),
        ],
    )
    frame = load_jena_climate(path)
    assert list(frame["wv (m/s)"]) == [3.0, 3.0, 5.0, 5.0]
    assert list(frame["max. wv (m/s)"]) == [6.0, 6.0, 7.0, 7.0]


def test_a_duplicated_timestamp_keeps_its_first_row(jena_file):
    frame = load_jena_climate(jena_file)
    assert len(frame) == len(LINES) - 1
    assert frame.loc["2009-01-01 00:40", "p (mbar)"] == 1003.0


def test_hourly_resampling_averages_each_hour_and_drops_empty_hours(jena_file):
    frame = load_jena_climate(jena_file, resample="h")
    expected_index = pd.to_datetime(["2009-01-01 00:00", "2009-01-01 01:00", "2009-01-02 00:00"])
    np.testing.assert_array_equal(frame.index, expected_index)
    assert frame.index.name == "Date Time"
    assert list(frame.columns) == COLUMNS
    first_hour = frame.iloc[0]
    # Hour 00: rows 00:10, 00:20, 00:40 (the first of the two), 00:50.
    assert first_hour["p (mbar)"] == pytest.approx((1000.0 + 1001.0 + 1003.0 + 1004.0) / 4)
    assert first_hour["T (degC)"] == pytest.approx((1.0 + 2.0 + 4.0 + 5.0) / 4)
    # The sentinel at 00:20 was interpolated to 2.0 before averaging.
    assert first_hour["wv (m/s)"] == pytest.approx((1.0 + 2.0 + 4.0 + 5.0) / 4)
    assert frame.iloc[1]["T (degC)"] == pytest.approx((10.0 + 12.0) / 2)
    assert not frame.isna().any().any()
    pd.testing.assert_frame_equal(load_jena_climate(jena_file, resample="1h"), frame)


def test_daily_resampling(jena_file):
    frame = load_jena_climate(jena_file, resample="D")
    assert list(frame.index) == [pd.Timestamp("2009-01-01"), pd.Timestamp("2009-01-02")]
    assert frame.iloc[0]["T (degC)"] == pytest.approx((1 + 2 + 4 + 5 + 10 + 12) / 6)


@pytest.mark.parametrize("resample", [1, "hourly", "", "0h", 3600.0, pd.Timedelta("1h")])
def test_a_bad_resample_is_named(jena_file, resample):
    with pytest.raises(ValueError, match=r"resample must be None or a pandas offset.*received"):
        load_jena_climate(jena_file, resample=resample)


def test_a_missing_file_says_where_to_get_it(tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(FileNotFoundError, match=r"nowhere\.csv.*does not exist") as info:
        load_jena_climate(missing)
    assert (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
        "jena_climate_2009_2016.csv.zip" in str(info.value)
    )


def test_missing_columns_are_listed(tmp_path):
    header = HEADER.replace('"Date Time"', '"Timestamp"').replace(',"wd (deg)"', "")
    path = write(tmp_path, [line("01.01.2009 00:10:00")[:-7]], header=header)
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['Date Time', 'wd \(deg\)'\]"):
        load_jena_climate(path)


@pytest.mark.parametrize("stamp", ["2009-01-01 00:20:00", "31.02.2009 00:20:00", "01.01.2009"])
def test_a_bad_timestamp_names_its_line_and_value(tmp_path, stamp):
    path = write(tmp_path, [line("01.01.2009 00:10:00"), line(stamp)])
    with pytest.raises(ValueError, match=rf"'Date Time'.*line 3.*dd\.mm\.yyyy.*'{stamp}'"):
        load_jena_climate(path)


@pytest.mark.parametrize("value", ["abc", "", "nan", "inf", "1,0"])
def test_a_non_numeric_value_names_its_column_and_line(tmp_path, value):
    bad = line("01.01.2009 00:20:00").replace(",-8.02,", f",{value},")
    if value == "1,0":  # a decimal comma: one field too many, so the CSV itself is malformed
        expected = r"could not be read as CSV"
    else:
        expected = rf"'T \(degC\)'.*line 4.*finite number.*'{value}'"
    # A blank line does not throw the line count off.
    path = write(tmp_path, [line("01.01.2009 00:10:00"), "", bad])
    with pytest.raises(ValueError, match=expected):
        load_jena_climate(path)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_number_is_refused(tmp_path, value):
    # Without a blank line the CSV parser reads these as floats; they are refused all the same.
    bad = line("01.01.2009 00:20:00").replace(",1307.75,", f",{value},")
    path = write(tmp_path, [line("01.01.2009 00:10:00"), bad])
    with pytest.raises(ValueError, match=r"'rho \(g/m\*\*3\)'.*line 3.*finite number"):
        load_jena_climate(path)


def test_a_wind_column_with_only_sentinels_is_refused(tmp_path):
    path = write(tmp_path, [line("01.01.2009 00:10:00", wv=SENTINEL)])
    with pytest.raises(ValueError, match=r"'wv \(m/s\)'.*no valid reading"):
        load_jena_climate(path)


@pytest.mark.parametrize("lines", [[], [""]], ids=["header-only", "blank-rows"])
def test_a_file_without_data_rows_is_refused(tmp_path, lines):
    with pytest.raises(ValueError, match="no data rows"):
        load_jena_climate(write(tmp_path, lines))


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ValueError, match=r"empty\.csv.*is empty"):
        load_jena_climate(path)


def test_the_input_file_is_not_modified(jena_file):
    before, stat = jena_file.read_bytes(), os.stat(jena_file)
    load_jena_climate(jena_file)
    load_jena_climate(jena_file, resample="h")
    assert jena_file.read_bytes() == before
    assert os.stat(jena_file).st_mtime_ns == stat.st_mtime_ns
