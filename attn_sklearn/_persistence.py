"""Pickle-free persistence: ``est.save(path)`` and :func:`attn_sklearn.load`.

The file is a zip archive holding ``model.keras`` (Keras' own format, loaded
with safe mode on) and ``estimator.json`` (the estimator's class name,
hyperparameters and fitted attributes). Loading it runs no code from the file:
the class is looked up in a registry of this package's estimators (filled as
each class is defined, see :func:`register_estimator`) and every value is plain
JSON. An estimator's state is its parameters, its public fitted attributes
(those ending in ``_``), its target encoder's attributes and its seed.
"""

import json
import tempfile
import zipfile
from pathlib import Path

import keras
import numpy as np

_FORMAT = "attn_sklearn.estimator"
_FORMAT_VERSION = 1
_MODEL_MEMBER = "model.keras"
_STATE_MEMBER = "estimator.json"
# Fitted attributes rebuilt on load rather than stored as values.
_REBUILT = {"model_", "target_encoder_"}
# Estimator classes by name: what `load` may build.
_ESTIMATORS = {}


def register_estimator(cls):
    """Make ``cls`` loadable by name (called for every public estimator class)."""
    _ESTIMATORS[cls.__name__] = cls
    return cls


def _encode(value, name):
    """JSON-ready form of a fitted attribute or parameter; arrays keep their dtype."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufUS":
            value = value.astype(str) if value.dtype.kind == "O" else value
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v, f"{name}[{k!r}]") for k, v in value.items()}
        # Keys that are not strings (class labels) keep their type as pairs.
        return {"__items__": [[_encode(k, name), _encode(v, name)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(v, name) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"{name} of type {type(value).__name__} cannot be saved without pickle.")


def _decode(value):
    if isinstance(value, dict) and "__ndarray__" in value:
        return np.asarray(value["__ndarray__"], dtype=np.dtype(value["dtype"]))
    if isinstance(value, dict) and "__items__" in value:
        return {_decode(k): _decode(v) for k, v in value["__items__"]}
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _estimator_state(estimator):
    """What ``save`` writes besides the network: plain values and arrays only."""
    params = estimator.get_params()
    # Callbacks and RandomState objects are live objects: they do not travel.
    # (The fitted network does not depend on them: its seed is saved.)
    params["callbacks"] = None
    random_state = params["random_state"]
    if isinstance(random_state, np.integer):
        params["random_state"] = int(random_state)
    elif not (random_state is None or isinstance(random_state, int)):
        params["random_state"] = None
    fitted = {
        key: value
        for key, value in vars(estimator).items()
        if key.endswith("_") and not key.startswith("_") and key not in _REBUILT
    }
    return {
        "params": params,
        "fitted": fitted,
        "target_encoder": vars(estimator.target_encoder_),
        "seed": estimator._seed,
    }


def _restore_estimator(cls, state, model):
    """The estimator of class ``cls`` that :func:`_estimator_state` described."""
    estimator = cls(**state["params"])
    for key, value in state["fitted"].items():
        setattr(estimator, key, value)
    estimator._seed = state["seed"]
    estimator.model_ = model
    encoder = estimator.target_encoder
    for key, value in state["target_encoder"].items():
        setattr(encoder, key, value)
    estimator.target_encoder_ = encoder
    return estimator


def save_estimator(estimator, path):
    """Write a fitted estimator to ``path`` (a zip archive), without pickle."""
    state = {
        "format": _FORMAT,
        "format_version": _FORMAT_VERSION,
        "class": type(estimator).__name__,
        **{key: _encode(value, key) for key, value in _estimator_state(estimator).items()},
    }
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / _MODEL_MEMBER
        estimator.model_.save(model_file)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(model_file, _MODEL_MEMBER)
            archive.writestr(_STATE_MEMBER, json.dumps(state))
    return path


def load(path):
    """Load an estimator written by ``est.save(path)``.

    The Keras model is loaded with ``safe_mode=True`` and no custom objects;
    no pickle is involved, so the file cannot run code when loaded.

    Parameters
    ----------
    path : str or path-like
        File written by :meth:`save`.

    Returns
    -------
    estimator : AttentionLSTMRegressor, AttentionLSTMClassifier or MultimodalAttentionClassifier
        The fitted estimator, predicting exactly as the saved one did.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from attn_sklearn import AttentionLSTMRegressor, load
    >>> X = np.random.default_rng(0).normal(size=(30, 5))
    >>> reg = AttentionLSTMRegressor(units=4, epochs=1, random_state=0).fit(X, X[:, 0])
    >>> path = os.path.join(tempfile.mkdtemp(), "reg.attn")
    >>> _ = reg.save(path)
    >>> bool(np.array_equal(load(path).predict(X), reg.predict(X)))
    True
    """
    with zipfile.ZipFile(path) as archive:
        state = json.loads(archive.read(_STATE_MEMBER))
        if state.get("format") != _FORMAT or state.get("format_version") != _FORMAT_VERSION:
            raise ValueError(
                f"{path} is not an attn_sklearn estimator file (format version "
                f"{_FORMAT_VERSION}); received format={state.get('format')!r}, "
                f"version={state.get('format_version')!r}."
            )
        if state["class"] not in _ESTIMATORS:
            raise ValueError(
                f"Expected the class to be one of {sorted(_ESTIMATORS)}; "
                f"received {state['class']!r}."
            )
        with tempfile.TemporaryDirectory() as tmp:
            archive.extract(_MODEL_MEMBER, tmp)
            model = keras.saving.load_model(Path(tmp) / _MODEL_MEMBER, safe_mode=True)
    cls = _ESTIMATORS[state.pop("class")]
    for key in ("format", "format_version"):
        state.pop(key)
    return _restore_estimator(cls, {key: _decode(value) for key, value in state.items()}, model)
