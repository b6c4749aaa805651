"""The JSON half of the estimator file: plain values out, strictly checked values in.

``estimator.json`` holds JSON values only. Three tagged objects carry what
JSON lacks, and nothing else is ever turned into a Python object:

* ``{"__ndarray__": nested list, "dtype": "<f8"}``: an array of booleans,
  integers, floats or text (never objects), kept with its dtype;
* ``{"__tuple__": [...]}``: a tuple (a list stays a list);
* ``{"__items__": [[key, value], ...]}``: a dict whose keys are not all
  strings (class labels, say).

Reading rejects what :func:`encode` never writes: NaN or infinite numbers,
repeated keys, malformed tags, arrays whose values their dtype would change.
"""

import json
import math
import reprlib

import numpy as np

ARRAY, TUPLE, ITEMS = "__ndarray__", "__tuple__", "__items__"
_TAGS = frozenset({ARRAY, TUPLE, ITEMS})
# Array values a file may hold: booleans, numbers and text, never Python objects.
_ARRAY_KINDS = "biufU"
# An array may not ask for more memory than this (the file's size does not bound a
# dtype such as "<U100000000").
MAX_ARRAY_BYTES = 2**28
_SCALARS = (type(None), bool, int, float, str)
_KEYS = (bool, int, float, str)

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 60
_repr.maxlist = _repr.maxtuple = _repr.maxdict = 6
_repr.maxlevel = 3


class StateError(ValueError):
    """A field of an estimator file (or of the state ``save`` is about to write) is wrong.

    The message names the field; ``load`` and ``save`` put the file's path in front.
    """


def show(value):
    """A short description of ``value`` for an error message (arrays by dtype and shape)."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    return _repr.repr(value)


def invalid(field, expected, value):
    """The StateError "<field> must be <expected>; received <value>."."""
    return StateError(f"{field} must be {expected}; received {show(value)}.")


# ------------------------------------------------------------------ writing
def _plain_array(value, name):
    """``value`` with a dtype JSON can carry; object arrays only when their items allow it."""
    if value.dtype.kind == "O":
        converted = np.asarray(value.tolist())
        # Object arrays of str (or of int) become <U (or int) arrays; mixed ones would not
        # come back as they were, so they are refused rather than silently changed.
        if converted.dtype.kind in _ARRAY_KINDS and converted.tolist() == value.tolist():
            value = converted
    if value.dtype.kind not in _ARRAY_KINDS or value.dtype.shape or value.dtype.names:
        raise TypeError(
            f"{name} is an array of dtype {value.dtype}, which cannot be saved without pickle; "
            "only arrays of booleans, numbers or text can."
        )
    if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
        raise StateError(f"{name} holds NaN or infinity; an estimator file holds finite numbers.")
    return value


def encode(value, name):
    """JSON-ready form of a parameter or fitted attribute (see the module docstring).

    Raises
    ------
    TypeError
        For values that only pickle could save (live objects, object arrays).
    StateError
        For NaN or infinite numbers.
    """
    if isinstance(value, np.ndarray):
        value = _plain_array(value, name)
        return {ARRAY: value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return encode(value.item(), name)
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not _TAGS & value.keys():
            return {str(key): encode(item, f"{name}[{key!r}]") for key, item in value.items()}
        return {ITEMS: [[encode(k, name), encode(v, f"{name}[{k!r}]")] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {TUPLE: [encode(item, f"{name}[{i}]") for i, item in enumerate(value)]}
    if isinstance(value, list):
        return [encode(item, f"{name}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise StateError(f"{name} is {value!r}; an estimator file holds finite numbers only.")
    if isinstance(value, _SCALARS):
        return value
    raise TypeError(f"{name} of type {type(value).__name__} cannot be saved without pickle.")


def dumps(state):
    """``state`` (already encoded) as the bytes of ``estimator.json``."""
    return json.dumps(state, allow_nan=False, ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------ reading
def _no_constant(name):
    raise StateError(f"estimator.json holds {name}, which an estimator file never holds.")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise StateError(f"estimator.json holds the number {text}, beyond the range of a float.")
    return value


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) < len(keys):
        repeated = next(key for key in keys if keys.count(key) > 1)
        raise StateError(f"estimator.json repeats the key {repeated!r} in one object.")
    return dict(pairs)


def loads(data):
    """Parse the bytes of ``estimator.json``: UTF-8 JSON, finite numbers, no repeated keys."""
    try:
        return json.loads(
            data.decode("utf-8"),
            parse_constant=_no_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except StateError:
        raise
    except RecursionError as exc:
        raise StateError("estimator.json is nested too deeply to be an estimator file.") from exc
    except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError, ints too long to read
        raise StateError(f"estimator.json is not valid JSON: {exc}.") from exc


def _leaves(data):
    """The non-list items of a nested list, without recursion (depth is the file's choice)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        else:
            yield item


def _is_leaf_of(item, kind):
    """Whether ``item`` is a JSON value an array of dtype kind ``kind`` holds as it is."""
    if isinstance(item, bool):  # bool is an int to Python, but not to an int array
        return kind == "b"
    return isinstance(item, {"b": bool, "i": int, "u": int, "f": int | float, "U": str}[kind])


def _decode_array(value, name):
    dtype_text = value["dtype"]
    expected = "an array of booleans, numbers or text as save writes it"
    if not isinstance(dtype_text, str) or len(dtype_text) > 16:
        raise invalid(f"{name}['dtype']", "a NumPy dtype such as '<f8' or '<U5'", dtype_text)
    try:
        dtype = np.dtype(dtype_text)
    except (TypeError, ValueError) as exc:
        raise invalid(f"{name}['dtype']", "a NumPy dtype such as '<f8'", dtype_text) from exc
    if dtype.kind not in _ARRAY_KINDS or dtype.shape or dtype.names or dtype.itemsize == 0:
        raise invalid(f"{name}['dtype']", f"the dtype of {expected}", dtype_text)
    data = value[ARRAY]
    leaves = list(_leaves(data))
    for item in leaves:
        if not _is_leaf_of(item, dtype.kind):
            raise invalid(name, f"an array of {dtype} values only", item)
    if len(leaves) * dtype.itemsize > MAX_ARRAY_BYTES:
        raise StateError(
            f"{name} must be an array of at most {MAX_ARRAY_BYTES} bytes; received "
            f"{len(leaves)} items of dtype {dtype}."
        )
    try:
        with np.errstate(all="ignore"):  # overflow to inf is caught just below
            array = np.array(data, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        raise invalid(name, f"a regular (not ragged) array of dtype {dtype}", data) from exc
    # Values the dtype would change (truncated text, float64 digits in a float32 array,
    # out-of-range numbers) mean the array is not one that save wrote.
    if array.tolist() != data:
        raise invalid(name, f"values that dtype {dtype} holds exactly", data)
    return array


def decode(value, name):
    """The Python value a JSON value of the file stands for (tags resolved, strictly)."""
    if isinstance(value, list):
        return [decode(item, f"{name}[{i}]") for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    tags = _TAGS & value.keys()
    if not tags:
        return {key: decode(item, f"{name}[{key!r}]") for key, item in value.items()}
    if value.keys() == {ARRAY, "dtype"}:
        return _decode_array(value, name)
    if value.keys() == {TUPLE} and isinstance(value[TUPLE], list):
        return tuple(decode(item, f"{name}[{i}]") for i, item in enumerate(value[TUPLE]))
    if value.keys() == {ITEMS} and isinstance(value[ITEMS], list):
        items = {}
        for pair in value[ITEMS]:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], _KEYS)):
                raise invalid(name, "a list of [key, value] pairs with plain keys", pair)
            if pair[0] in items:
                raise invalid(name, "a dict with distinct keys", pair[0])
            items[pair[0]] = decode(pair[1], f"{name}[{pair[0]!r}]")
        if all(isinstance(key, str) for key in items) and not _TAGS & items.keys():
            # encode writes string keys as a JSON object: there is one way to write a value.
            raise invalid(name, "a JSON object (a dict keyed by strings)", value)
        return items
    raise invalid(name, f"a value as save writes it (a {sorted(tags)[0]!r} object)", value)
