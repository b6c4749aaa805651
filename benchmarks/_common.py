"""Shared helpers of the benchmark scripts: options, timing, tables and JSON output.

The scripts run as ``python benchmarks/bench_<name>.py``, so this folder is on
``sys.path`` and they import this module as ``from _common import ...``.

Nothing here imports TensorFlow: versions are read from the installed
packages' metadata, so a parent process that only spawns measured children
(``bench_memory.py``) stays light.
"""

import argparse
import ast
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

DEFAULT_OUT_DIR = Path("outputs") / "benchmarks"
_PACKAGES = ("attn_sklearn", "tensorflow", "keras", "numpy", "scikit-learn")


# ----------------------------------------------------------------- options
def base_parser(doc):
    """An argument parser with the options every benchmark takes.

    ``--quick`` picks tiny sizes (a smoke test that finishes in seconds; its
    figures mean little) and ``--out-dir`` the folder of the JSON result.
    """
    parser = argparse.ArgumentParser(
        description=doc.strip().splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help=f"folder of the JSON result (default: {DEFAULT_OUT_DIR})",
    )
    return parser


def add_parameter_option(parser):
    """``--set NAME=VALUE`` (repeatable): another constructor parameter of ours, in ``params``."""
    parser.add_argument(
        "--set",
        dest="params",
        action="append",
        type=parameter_setting,
        default=[],
        metavar="NAME=VALUE",
        help="ours: another constructor parameter, e.g. --set patch_size=4; the value is "
        "read as a Python literal (a plain word stays a string); repeat for several",
    )


def parameter_setting(text):
    """``"name=value"`` -> ``(name, value)``, the value read as a Python literal if it is one."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE, e.g. patch_size=4; received {text!r}"
        )
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def fill_sizes(args, quick, full):
    """Set every option left at ``None`` from the ``quick`` or ``full`` preset.

    Options given on the command line win over the preset, so
    ``--quick --window 20`` runs the quick preset with 20-step windows.
    """
    preset = quick if args.quick else full
    for name, value in preset.items():
        if getattr(args, name, None) is None:
            setattr(args, name, value)
    return args


# ------------------------------------------------------------------ timing
def timed(function, *args, **kwargs):
    """``(result, seconds)`` of one call, on the ``perf_counter`` clock."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def time_calls(function, repeats):
    """Wall-clock seconds of ``repeats`` calls of ``function()``, in call order."""
    return [timed(function)[1] for _ in range(repeats)]


def best_of(function, repeats):
    """Fastest of ``repeats`` calls: the figure least disturbed by other load."""
    return min(time_calls(function, repeats))


def median_of(function, repeats):
    """Median of ``repeats`` calls: robust for short calls with occasional stalls."""
    return statistics.median(time_calls(function, repeats))


def ratio(numerator, denominator):
    """``numerator / denominator``, or ``None`` when that is undefined."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def per_second(count, seconds):
    """Rate of ``count`` items done in ``seconds``, or ``None`` for a zero time."""
    return count / seconds if seconds and seconds > 0 else None


# ---------------------------------------------------------------- machine
def machine_info():
    """Where and with what the figures were taken: versions, CPUs, platform, time (UTC)."""
    versions = {}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "versions": versions,
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "argv": sys.argv[1:],
    }


# ------------------------------------------------------------------ /proc
def proc_status_kib(field, pid="self"):
    """A ``kB`` field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``), in KiB; None if gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            lines = [line for line in status if line.startswith(field + ":")]
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(lines[0].split()[1]) if lines else None


def available_mib():
    """``MemAvailable`` of ``/proc/meminfo``, in MiB."""
    with open("/proc/meminfo") as meminfo:
        return next(int(line.split()[1]) / 1024 for line in meminfo if "MemAvailable:" in line)


# ----------------------------------------------------------------- output
def write_json(name, results, out_dir):
    """Write ``{"benchmark": name, "machine": ..., **results}`` to ``out_dir/name.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    document = {"benchmark": name, "machine": machine_info(), **results}
    path.write_text(json.dumps(document, indent=2, default=_jsonable) + "\n")
    print(f"\nJSON written to {path}", flush=True)
    return path


def _jsonable(value):
    """NumPy scalars and paths, which ``json`` does not know, as plain values."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def fmt(value, spec=".3g", missing="-"):
    """``value`` formatted with ``spec``; strings pass through, ``None`` shows as a dash."""
    if value is None:
        return missing
    if isinstance(value, str):
        return value
    return format(value, spec)


def print_table(headers, rows, *, title=None, notes=()):
    """Print a markdown table (cells are formatted already), then bulleted notes."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(str(h)), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    if title:
        print(f"\n### {title}\n")
    print(line([str(h) for h in headers]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print(line(row))
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    sys.stdout.flush()
