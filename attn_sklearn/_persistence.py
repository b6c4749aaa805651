"""Pickle-free persistence: ``est.save(path)`` and :func:`attn_sklearn.load`.

The file is a zip archive of two members: ``model.keras``, the network in
Keras' own format, and ``estimator.json``: the format version, the
attn_sklearn and Keras versions that wrote it, the estimator's class name,
parameters, declared fitted attributes (``_fitted_attributes``), target
encoder state and seed.

Loading trusts nothing in the file. The class comes from a registry of this
package's estimators (filled as each class is defined, see
:func:`register_estimator`); every field is checked as ``fit`` would check it
(``_persistence_checks``) before anything is built; the network is loaded with
Keras' safe mode and no custom objects, then checked against the fitted
attributes. A damaged, foreign or newer file is a ValueError naming the path;
no estimator is built from it. ``save`` runs the same checks before writing,
so what it writes loads.
"""

import importlib.metadata
import io
import zipfile
from pathlib import Path

import keras
import numpy as np

from ._keras_files import model_from_bytes, model_to_bytes
from ._persistence_checks import FORMAT, FORMAT_VERSION, check_state
from ._persistence_json import StateError, dumps, encode, loads
from ._persistence_network import check_network, pin_earlier_auto_choices

_MODEL_MEMBER = "model.keras"
_STATE_MEMBER = "estimator.json"
# What a bare .keras file holds: named in the error, since it is an easy mix-up.
_KERAS_MEMBERS = {"config.json", "metadata.json"}
# Decompressed sizes a member may claim: generous for any estimator, but a small
# crafted archive cannot make load allocate or write without bound.
_MAX_BYTES = {_STATE_MEMBER: 2**26, _MODEL_MEMBER: 2**32}
# Estimator classes by name: what `load` may build.
_ESTIMATORS = {}


def register_estimator(cls):
    """Make ``cls`` loadable by name (called for every public estimator class)."""
    _ESTIMATORS[cls.__name__] = cls
    return cls


def _package_version():
    try:
        return importlib.metadata.version("attn_sklearn")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown"


def _estimator_state(estimator):
    """What ``save`` writes besides the network: parameters, fitted attributes, encoder, seed."""
    params = estimator.get_params()
    # Callbacks and RandomState objects are live objects: they do not travel.
    # (The fitted network does not depend on them: its seed is saved.)
    params["callbacks"] = None
    random_state = params["random_state"]
    if isinstance(random_state, np.integer):
        params["random_state"] = int(random_state)
    elif not (random_state is None or isinstance(random_state, int)):
        params["random_state"] = None
    attributes = vars(estimator)
    return {
        "params": params,
        "fitted": {
            name: attributes[name]
            for name in type(estimator)._fitted_attributes
            if name in attributes
        },
        "target_encoder": dict(vars(estimator.target_encoder_)),
        "seed": estimator._seed,
    }


def _restore_estimator(checked, model):
    """The fitted estimator that checked state and network describe (both already checked)."""
    estimator = checked["estimator"]
    for key, value in checked["fitted"].items():
        setattr(estimator, key, value)
    estimator._seed = checked["seed"]
    estimator.model_ = model
    encoder = estimator.target_encoder
    for key, value in checked["target_encoder"].items():
        setattr(encoder, key, value)
    estimator.target_encoder_ = encoder
    return estimator


def save_estimator(estimator, path):
    """Write a fitted estimator to ``path`` (a zip archive), without pickle.

    Raises
    ------
    TypeError
        When a parameter or fitted attribute is a live object only pickle could save.
    ValueError
        When the estimator holds something :func:`load` would refuse (say a
        parameter set to an invalid value after ``fit``, or NaN weights);
        nothing is written then.
    """
    path = Path(path)
    state = _estimator_state(estimator)
    try:
        data = dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "attn_sklearn_version": _package_version(),
                "keras_version": keras.version(),
                "class": type(estimator).__name__,
                **{key: encode(value, key) for key, value in state.items()},
            }
        )
        # Write only what load accepts: the same checks, before anything is written.
        checked = check_state(loads(data), _ESTIMATORS)
        check_network(estimator.model_, checked["estimator"], checked["fitted"])
    except StateError as exc:
        raise ValueError(f"{path}: cannot save this estimator: {exc}") from exc.__cause__
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_MODEL_MEMBER, model_to_bytes(estimator.model_))
        archive.writestr(_STATE_MEMBER, data)
    path.write_bytes(archive_bytes.getvalue())  # nothing is written unless all went well
    return path


def _clip(exc, limit=300):
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _member_problem(names):
    """Why an archive with members ``names`` is not an estimator file, or None."""
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        return f"is damaged: it holds the member {repeated[0]!r} more than once."
    if _STATE_MEMBER not in names:
        if _KERAS_MEMBERS <= set(names):
            return (
                "is a bare Keras model file (.keras), not an attn_sklearn estimator file; "
                "est.save(path) writes estimator files."
            )
        return (
            f"is not an attn_sklearn estimator file: a zip archive without {_STATE_MEMBER} "
            f"(it holds {sorted(names)[:5]})."
        )
    if _MODEL_MEMBER not in names:
        return f"is damaged: the member {_MODEL_MEMBER!r} is missing."
    extra = sorted(set(names) - {_STATE_MEMBER, _MODEL_MEMBER})
    if extra:
        return (
            f"holds the unexpected member {extra[0]!r}; an estimator file holds only "
            f"{_STATE_MEMBER} and {_MODEL_MEMBER}."
        )
    return None


def _read_archive(path):
    """The bytes of ``estimator.json`` and ``model.keras``, or a ValueError saying what is wrong."""
    if path.is_dir():
        raise ValueError(f"{path}: is a directory; expected a file written by est.save(path).")
    with open(path, "rb") as file:  # a missing file stays FileNotFoundError
        head = file.read(2)
        if not head:
            raise ValueError(f"{path}: is empty; expected a file written by est.save(path).")
        if head != b"PK":  # every zip archive starts so; other files are not read further
            hint = " (it looks like a pickle, which load never opens)" if head[0] == 0x80 else ""
            raise ValueError(
                f"{path}: is not an attn_sklearn estimator file: not a zip archive{hint}; "
                "expected a file written by est.save(path)."
            )
        data = head + file.read()
    # Any exception from zipfile reading these bytes in memory (BadZipFile, zlib.error,
    # EOFError, NotImplementedError, ...) can only mean damage: there is no I/O here.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            problem = _member_problem([info.filename for info in infos])
            if problem is None:
                for info in infos:
                    if info.file_size > _MAX_BYTES[info.filename]:
                        problem = (
                            f"is damaged: its member {info.filename!r} claims "
                            f"{info.file_size} bytes, more than an estimator file holds."
                        )
            if problem is None:
                return archive.read(_STATE_MEMBER), archive.read(_MODEL_MEMBER)
    except Exception as exc:
        raise ValueError(f"{path}: is damaged or truncated ({_clip(exc)}).") from exc
    raise ValueError(f"{path}: {problem}")


def _load_network(data, versions):
    """The network in ``model.keras``'s bytes, loaded with safe mode and no custom objects."""
    if not zipfile.is_zipfile(io.BytesIO(data)):  # Keras would blame a temporary file
        raise StateError(f"{_MODEL_MEMBER} is damaged: not a zip archive, as .keras files are.")
    try:
        return model_from_bytes(data)
    # Keras' deserialization of a damaged or crafted file can fail with any exception
    # (safe mode's refusal of a Lambda layer is a ValueError, an unknown class a
    # TypeError, a damaged weights file an OSError, ...): each means "not loadable".
    except Exception as exc:
        written = versions.get("keras_version", keras.version())
        note = "" if written == keras.version() else f"; written with Keras {written}"
        raise StateError(
            f"{_MODEL_MEMBER} cannot be loaded in Keras' safe mode (this is Keras "
            f"{keras.version()}{note}): {_clip(exc)}"
        ) from exc


def load(path):
    """Load an estimator written by ``est.save(path)``, trusting nothing in the file.

    No pickle is involved and the network is loaded with Keras' safe mode on
    and no custom objects, so the file cannot run code. Every parameter is
    validated as ``fit`` validates it, and every fitted attribute is checked
    (names, types, shapes, agreement with each other and with the network)
    before the estimator is built.

    Parameters
    ----------
    path : str or path-like
        File written by :meth:`save`.

    Returns
    -------
    estimator : AttentionLSTMRegressor, AttentionLSTMClassifier or MultimodalAttentionClassifier
        The fitted estimator, predicting exactly as the saved one did.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When ``path`` is not an estimator file (a directory, an empty file, a
        pickle, a bare ``.keras`` file, another zip archive), is damaged or
        truncated, was written by a newer attn_sklearn (a newer format), or
        holds any field that fails its check; the message names the path and
        what is wrong.

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
    path = Path(path)
    state_data, model_data = _read_archive(path)
    try:
        checked = check_state(loads(state_data), _ESTIMATORS)
        # Only a file whose every field passed gets as far as Keras.
        model = _load_network(model_data, checked["versions"])
        pin_earlier_auto_choices(model, checked["estimator"], checked["fitted"])
        check_network(model, checked["estimator"], checked["fitted"])
    except StateError as exc:
        raise ValueError(f"{path}: {exc}") from exc.__cause__
    return _restore_estimator(checked, model)
