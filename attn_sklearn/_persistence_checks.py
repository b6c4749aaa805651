"""What an estimator file may say: every field checked before anything is built from it.

:func:`check_state` turns the parsed ``estimator.json`` into an unfitted
estimator with its parameters validated as ``fit`` validates them, plus the
checked fitted attributes, target encoder state and seed
(``_persistence_network.check_network`` then checks the loaded network against
them). Nothing here touches an existing object: a file that fails a check
leaves no trace.
"""

import math

import numpy as np

from ._persistence_json import StateError, decode, invalid, show
from ._validation import is_int

FORMAT = "attn_sklearn.estimator"
FORMAT_VERSION = 2
# Top-level fields of each format version; format 1 did not record versions.
_FIELDS = {
    1: ("format", "format_version", "class", "params", "fitted", "target_encoder", "seed"),
    2: (
        "format",
        "format_version",
        "attn_sklearn_version",
        "keras_version",
        "class",
        "params",
        "fitted",
        "target_encoder",
        "seed",
    ),
}
# Fitted attributes an estimator has only sometimes: feature names come with DataFrames.
_OPTIONAL_FITTED = {"feature_names_in_"}
_VERSIONS = ("attn_sklearn_version", "keras_version")
_MAX_SEED = 2**31 - 1
# Parameters added after files were first written, with the value that rebuilds those files'
# networks: before score_from, the pooling scored the LSTM states; before one_vs_rest,
# classifiers had one softmax (one sigmoid for two classes); before entropy_penalty, the
# attention's weights were not penalised; before calibrate_quantiles, quantile forecasts
# were the network's; before batch_norm, the pooled vector went to the output as it was;
# before patch_size, every step was a step of the network; before deletion_penalty,
# training had no deletion terms.
_ADDED_PARAMS = {
    "score_from": "states",
    "one_vs_rest": False,
    "entropy_penalty": 0.0,
    "calibrate_quantiles": False,
    "batch_norm": False,
    "patch_size": 1,
    "deletion_penalty": 0.0,
}
# Fitted attributes added later, with the value files written before them mean.
_ADDED_FITTED = {"n_future_features_in_": 0, "quantile_shifts_": None}


def _check_keys(field, mapping, expected, optional=()):
    """``mapping`` is a dict with the keys ``expected`` (plus any of ``optional``)."""
    if not isinstance(mapping, dict):
        raise invalid(field, "a JSON object", mapping)
    unknown = [key for key in mapping if key not in expected and key not in optional]
    if unknown:
        raise StateError(
            f"{field} has the unknown field {unknown[0]!r}; expected only {sorted(expected)}"
            + (f" and optionally {sorted(optional)}." if optional else ".")
        )
    missing = [key for key in expected if key not in mapping]
    if missing:
        raise StateError(f"{field} is missing the field {missing[0]!r}.")


def _int(field, value, minimum=1, maximum=None):
    if not is_int(value) or value < minimum or (maximum is not None and value > maximum):
        bound = f" in [{minimum}, {maximum}]" if maximum is not None else f" >= {minimum}"
        raise invalid(field, f"an integer{bound}", value)
    return int(value)


def _fraction(field, value):
    if isinstance(value, float) and 0 <= value < 1:
        return value
    raise invalid(field, "a float in [0, 1)", value)


# Parameters that may say "auto", with the check of the fitted ``<name>_`` that fit
# decided. Files written before "auto" lack those attributes: they mean the parameter.
_FITTED_CHOICES = {"patience": _int, "validation_fraction": _fraction}


def _version(field, value):
    if not isinstance(value, str) or not 0 < len(value) <= 64 or not value.isprintable():
        raise invalid(field, "a version string such as '0.1.0'", value)
    return value


# ------------------------------------------------------------------ header and parameters
def check_header(state, registry):
    """The estimator class of a parsed file and the versions that wrote it; newer formats say so."""
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        found = state.get("format") if isinstance(state, dict) else state
        raise StateError(
            f"is not an attn_sklearn estimator file (estimator.json must have "
            f"format={FORMAT!r}); received format={show(found)}."
        )
    version = state.get("format_version")
    if is_int(version) and version > FORMAT_VERSION:
        raise StateError(
            f"written by a newer attn_sklearn (format {version}); this version reads formats "
            f"up to {FORMAT_VERSION}; upgrade attn_sklearn."
        )
    if not (is_int(version) and version >= 1):
        raise invalid("format_version", f"an integer from 1 to {FORMAT_VERSION}", version)
    _check_keys("estimator.json", state, _FIELDS[version])
    if not isinstance(state["class"], str) or state["class"] not in registry:
        raise invalid("class", f"one of {sorted(registry)}", state["class"])
    versions = {key: _version(key, state[key]) for key in _VERSIONS if key in state}
    return registry[state["class"]], versions


def _check_class_weight(class_weight):
    """``fit``'s check of class_weight values (``_parameter_constraints`` only says "dict")."""
    if not isinstance(class_weight, dict):
        return
    for label, weight in class_weight.items():
        if is_int(weight) or isinstance(weight, float):
            if 0 <= weight < math.inf:
                continue
        raise invalid(f"params['class_weight'][{label!r}]", "a finite number >= 0", weight)


def added_params(cls):
    """The parameters of ``cls`` added after files were first written, with their old values."""
    names = cls._get_param_names()
    return {name: value for name, value in _ADDED_PARAMS.items() if name in names}


def check_params(cls, params):
    """An unfitted ``cls`` with the file's parameters, validated as ``fit`` validates them."""
    if isinstance(params, dict):
        params = {**added_params(cls), **params}
    _check_keys("params", params, cls._get_param_names())
    if params["callbacks"] is not None:
        expected = "null (callbacks are never saved)"
        raise invalid("params['callbacks']", expected, params["callbacks"])
    estimator = cls(**params)
    try:
        estimator._validate_params()  # scikit-learn's _parameter_constraints, as in fit
        # The multimodal classifier checks conv_filters' items when it builds its network.
        if hasattr(estimator, "_check_conv_filters"):
            estimator._check_conv_filters()
        if hasattr(estimator, "_quantile_levels"):  # the forecaster's own checks
            estimator._quantile_levels()
            estimator._check_head()
    except (TypeError, ValueError) as exc:
        raise StateError(f"params: {exc}") from exc
    _check_class_weight(params.get("class_weight"))
    encoder = params.get("encoder")
    if isinstance(encoder, dict) and not all(isinstance(v, str) for v in encoder.values()):
        raise invalid("params['encoder']", "a dict of modality name to encoder name", encoder)
    return estimator


# ------------------------------------------------------------------ fitted attributes
def _array(field, value, kinds, ndim=1):
    if not isinstance(value, np.ndarray) or value.dtype.kind not in kinds or value.ndim != ndim:
        kind = {"f": "float", "U": "text"}.get(kinds, "label")
        raise invalid(field, f"a {ndim}-D {kind} array", value)
    return value


def _history(value):
    if not isinstance(value, dict):
        raise invalid("fitted['history_']", "a dict of str to lists of finite floats", value)
    history = {}
    for key, values in value.items():
        field = f"fitted['history_'][{key!r}]"
        if not isinstance(key, str):
            raise invalid("fitted['history_']", "keyed by metric names (str)", key)
        if not isinstance(values, list):
            raise invalid(field, "a list of finite floats", values)
        for i, item in enumerate(values):
            # save writes floats, and only floats come back unchanged (10**30 would not).
            if not isinstance(item, float) or not math.isfinite(item):
                raise invalid(f"{field}[{i}]", "a finite float", item)
        history[key] = list(values)
    return history


def _classes(value):
    classes = _array("fitted['classes_']", value, "biufU")
    if len(classes) < 2 or not np.all(classes[:-1] < classes[1:]):
        raise invalid("fitted['classes_']", "at least 2 distinct labels, sorted", classes.tolist())
    return classes


def _modalities(value):
    if not isinstance(value, dict) or not value:
        raise invalid("fitted['modalities_']", "a non-empty dict of name to shape", value)
    for name, shape in value.items():
        if not isinstance(name, str) or not name or "/" in name:
            raise invalid("fitted['modalities_']", "keyed by names without '/'", name)
        field = f"fitted['modalities_'][{name!r}]"
        # Format 1 wrote tuples as lists.
        if not isinstance(shape, tuple | list) or not shape or not all(map(is_int, shape)):
            raise invalid(field, "a per-step shape: a tuple of integers >= 1", shape)
        if min(shape) < 1:
            raise invalid(field, "a per-step shape: a tuple of integers >= 1", shape)
    if list(value) != sorted(value):
        raise invalid("fitted['modalities_']", "keyed by names in sorted order", list(value))
    return {name: tuple(int(n) for n in shape) for name, shape in value.items()}


def _feature_names(value, n_features):
    names = _array("fitted['feature_names_in_']", value, "U")
    if len(names) != n_features:
        raise invalid(
            "fitted['feature_names_in_']", f"{n_features} names (n_features_in_)", names.tolist()
        )
    return names.astype(object)  # as scikit-learn stores them


def check_fitted(cls, fitted):
    """The file's fitted attributes of ``cls``: names, types, shapes and agreement."""
    declared = cls._fitted_attributes
    added = _ADDED_FITTED.keys() | {f"{param}_" for param in _FITTED_CHOICES}
    optional = (_OPTIONAL_FITTED | added) & set(declared)
    required = [name for name in declared if name not in optional]
    _check_keys("fitted", fitted, required, optional=optional)
    multimodal = "modalities_" in declared
    out = {"n_features_in_": _int("fitted['n_features_in_']", fitted["n_features_in_"])}
    n_features = out["n_features_in_"]
    if not is_int(fitted["n_timesteps_in_"]) or fitted["n_timesteps_in_"] != n_features:
        expected = f"n_features_in_ ({n_features})"
        raise invalid("fitted['n_timesteps_in_']", expected, fitted["n_timesteps_in_"])
    out["n_timesteps_in_"] = n_features
    ndims = (2, None) if multimodal else (2, 3)
    ndim = fitted["X_ndim_"]
    if not (ndim is None or is_int(ndim)) or ndim not in ndims:
        raise invalid("fitted['X_ndim_']", " or ".join(map(str, ndims)), ndim)
    out["X_ndim_"] = ndim
    n_step = _int("fitted['n_step_features_in_']", fitted["n_step_features_in_"])
    if ndim == 2 and n_step != 1:
        raise invalid("fitted['n_step_features_in_']", "1 for 2-D X (X_ndim_ == 2)", n_step)
    out["n_step_features_in_"] = n_step
    out["history_"] = _history(fitted["history_"])
    if "feature_names_in_" in fitted:
        out["feature_names_in_"] = _feature_names(fitted["feature_names_in_"], n_features)
    if "classes_" in declared:
        out["classes_"] = _classes(fitted["classes_"])
    if "n_outputs_" in declared:
        out["n_outputs_"] = _int("fitted['n_outputs_']", fitted["n_outputs_"])
    if "n_future_features_in_" in declared:
        value = fitted.get("n_future_features_in_", _ADDED_FITTED["n_future_features_in_"])
        out["n_future_features_in_"] = _int("fitted['n_future_features_in_']", value, 0)
    if multimodal:
        out.update(_check_modality_attributes(fitted, n_step, ndim))
    return out


def _quantile_shifts(estimator, value, n_outputs):
    """The forecaster's ``quantile_shifts_``: None, or one float per forecast step and level."""
    if value is None:
        return None
    field = "fitted['quantile_shifts_']"
    if estimator.quantiles is None or not estimator.calibrate_quantiles:
        expected = "null (params say quantiles=None or calibrate_quantiles=False)"
        raise invalid(field, expected, value)
    shape = (n_outputs, len(estimator.quantiles))
    if _array(field, value, "f", ndim=2).shape != shape:
        raise invalid(field, f"a float array of shape {shape} (n_outputs_, quantiles)", value)
    return value


def _check_modality_attributes(fitted, n_step, ndim):
    modalities = _modalities(fitted["modalities_"])
    total = sum(math.prod(shape) for shape in modalities.values())
    if total != n_step:
        raise invalid(
            "fitted['n_step_features_in_']", f"the values per step of modalities_ ({total})", n_step
        )
    if ndim == 2 and modalities != {"x": (1,)}:
        raise invalid("fitted['modalities_']", "{'x': (1,)} for 2-D X (X_ndim_ == 2)", modalities)
    encoders = fitted["encoders_"]
    if (
        not isinstance(encoders, dict)
        or list(encoders) != list(modalities)
        or not all(isinstance(choice, str) for choice in encoders.values())
    ):
        expected = f"a dict of {list(modalities)} (modalities_) to encoder names"
        raise invalid("fitted['encoders_']", expected, encoders)
    return {"modalities_": modalities, "encoders_": encoders}


def check_encoder_choice(estimator, encoders):
    """``encoders_`` is what the ``encoder`` parameter picks for ``modalities_`` (as fit would)."""
    try:
        expected = estimator._resolve_encoders()
    except (TypeError, ValueError) as exc:
        raise StateError(f"params: {exc}") from exc
    if encoders != expected:
        raise invalid("fitted['encoders_']", f"{expected} (from params['encoder'])", encoders)


# ------------------------------------------------------------------ target encoder and seed
def check_target_encoder(estimator, state, fitted):
    """The target encoder's attributes: the classes, or the regressor's standardisation."""
    if "classes_" in type(estimator)._fitted_attributes:
        # Files written before one_vs_rest have no such field: their heads are not one-vs-rest.
        _check_keys("target_encoder", state, ["classes"], optional=["one_vs_rest"])
        classes = state["classes"]
        same = isinstance(classes, np.ndarray) and classes.dtype == fitted["classes_"].dtype
        if not (same and np.array_equal(classes, fitted["classes_"])):
            raise invalid("target_encoder['classes']", "equal to fitted['classes_']", classes)
        one_vs_rest = bool(estimator.one_vs_rest)
        if state.get("one_vs_rest", one_vs_rest) is not one_vs_rest:
            expected = f"{one_vs_rest} (what params['one_vs_rest'] gives)"
            raise invalid("target_encoder['one_vs_rest']", expected, state["one_vs_rest"])
        return {"classes": fitted["classes_"], "one_vs_rest": one_vs_rest}
    _check_keys("target_encoder", state, ["ndim_", "mean_", "scale_"])
    n_outputs = fitted["n_outputs_"]
    ndim = _int("target_encoder['ndim_']", state["ndim_"], 1, 2)
    if ndim == 1 and n_outputs != 1:
        expected = f"2 when fitted['n_outputs_'] is {n_outputs}"
        raise invalid("target_encoder['ndim_']", expected, ndim)
    out = {"ndim_": ndim}
    for key in ("mean_", "scale_"):
        value = _array(f"target_encoder[{key!r}]", state[key], "f")
        # Finite already: the file format has no NaN or infinity, and decoding refuses
        # values that overflow their dtype.
        if value.shape != (n_outputs,):
            expected = f"a float array of shape ({n_outputs},) (n_outputs_)"
            raise invalid(f"target_encoder[{key!r}]", expected, value)
        out[key] = value
    if not np.all(out["scale_"] > 0):
        raise invalid("target_encoder['scale_']", "positive", out["scale_"].tolist())
    return out


def _fitted_choice(estimator, fitted, param, check):
    """Fitted ``param + "_"``: the parameter, "auto" decided; absent from older files."""
    name, given = f"{param}_", getattr(estimator, param)
    if name not in fitted:
        if given == "auto":
            raise StateError(f"fitted is missing the field {name!r}.")
        return given
    value = fitted[name]
    checked = None if value is None else check(f"fitted[{name!r}]", value)
    if given != "auto" and checked != given:
        raise invalid(f"fitted[{name!r}]", f"params[{param!r}], {given!r}", value)
    return checked


def check_state(state, registry):
    """Check a parsed ``estimator.json``, every field, before anything is fitted or loaded.

    Returns
    -------
    checked : dict
        ``versions`` (the versions that wrote the file; empty for format 1),
        ``estimator`` (unfitted, its parameters set and validated), and the
        checked ``fitted`` attributes, ``target_encoder`` attributes and ``seed``.
    """
    cls, versions = check_header(state, registry)
    try:
        parts = {key: decode(state[key], key) for key in _FIELDS[1][2:]}
    except RecursionError as exc:
        raise StateError("estimator.json is nested too deeply to be an estimator file.") from exc
    estimator = check_params(cls, parts["params"])
    fitted = check_fitted(cls, parts["fitted"])
    if "quantile_shifts_" in cls._fitted_attributes:
        shifts = parts["fitted"].get("quantile_shifts_")
        fitted["quantile_shifts_"] = _quantile_shifts(estimator, shifts, fitted["n_outputs_"])
    for param, check in _FITTED_CHOICES.items():
        fitted[f"{param}_"] = _fitted_choice(estimator, parts["fitted"], param, check)
    if "encoders_" in fitted:
        estimator.modalities_ = fitted["modalities_"]  # what _resolve_encoders reads
        check_encoder_choice(estimator, fitted["encoders_"])
    return {
        "versions": versions,
        "estimator": estimator,
        "fitted": fitted,
        "target_encoder": check_target_encoder(estimator, parts["target_encoder"], fitted),
        "seed": _int("seed", parts["seed"], 0, _MAX_SEED),
    }
