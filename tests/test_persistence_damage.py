"""Loading trusts nothing in the file: damaged, foreign, crafted and newer files.

Each estimator class is fitted once (tiny settings) and saved once; the tests
then damage copies of its file, field by field (property-based, with
hypothesis) and member by member, and check that ``load`` either returns an
estimator identical to what the file says, or raises a ValueError naming the
path: never another exception, never a half-built estimator, never code run.
"""

import copy
import io
import json
import pathlib
import pickle
import warnings
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import attn_sklearn
from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
    load,
)
from attn_sklearn._persistence import _estimator_state
from attn_sklearn._persistence_checks import _FITTED_CHOICES, added_params
from attn_sklearn._persistence_json import encode
from attn_sklearn.datasets import make_multimodal_sequences

FAST = {"units": 4, "epochs": 1, "batch_size": 16, "random_state": 0}
KINDS = ("regressor", "classifier", "multimodal")
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # CI sees the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fit(kind):
    """A fitted estimator of ``kind`` and a few rows to predict."""
    rng = np.random.default_rng(0)
    if kind == "regressor":  # DataFrame input (feature names), two outputs
        X = pd.DataFrame(rng.normal(size=(40, 6)), columns=[f"t{i}" for i in range(6)])
        y = np.column_stack([X["t2"], X["t4"] - X["t1"]])
        return AttentionLSTMRegressor(**FAST).fit(X, y), X.iloc[:3]
    if kind == "classifier":  # string labels, three classes, 3-D input, class weights
        X = rng.normal(size=(45, 5, 2))
        y = np.array(["low", "mid", "high"])[np.digitize(X[:, 2, 0], [-0.4, 0.4])]
        weights = {"low": 1.0, "mid": 2.0, "high": 0.5}
        return AttentionLSTMClassifier(**FAST, class_weight=weights).fit(X, y), X[:3]
    X, y, _ = make_multimodal_sequences(
        24, n_timesteps=4, image_shape=(4, 4, 1), hours=2, w_features=2, random_state=0
    )
    clf = MultimodalAttentionClassifier(**FAST, n_layers=1, encoder="conv", conv_filters=(2,))
    return clf.fit(X, np.where(y == 1, "yes", "no")), {k: v[:3] for k, v in X.items()}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """``saved(kind)``: (estimator, X, path, members of the file), fitted and saved on first use."""
    cache = {}

    def get(kind):
        if kind not in cache:
            estimator, X = _fit(kind)
            path = estimator.save(tmp_path_factory.mktemp(kind) / f"{kind}.attn")
            cache[kind] = (estimator, X, path, _members(path))
        return cache[kind]

    return get


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _canonical(value):
    """A file's JSON value up to what ``save`` may write differently for the same state:
    tuples as lists, and text arrays without their width (feature names come back as
    object arrays, saved at their narrowest width)."""
    if isinstance(value, dict) and value.keys() == {"__tuple__"}:
        return _canonical(value["__tuple__"])
    if isinstance(value, dict) and value.keys() == {"__ndarray__", "dtype"}:
        dtype = np.dtype(value["dtype"])
        return {"data": value["__ndarray__"], "dtype": "U" if dtype.kind == "U" else dtype.str}
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _state_document(estimator):
    return {key: encode(value, key) for key, value in _estimator_state(estimator).items()}


def _predict(estimator, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feature-name warnings are not what is tested
        if hasattr(estimator, "predict_proba"):
            return estimator.predict_proba(X)
        return estimator.predict(X)


def assert_loads_as_written_or_refuses(path, original, X, document=None, changed=()):
    """``load(path)`` raises a ValueError naming ``path``, or returns exactly the file's estimator.

    ``document`` is the file's ``estimator.json`` (default: the original's);
    ``changed`` the field path the test changed: changing the target encoder's
    standardisation may change predictions, nothing else may (other feature
    names are checked on input without names).
    """
    before = path.read_bytes()
    try:
        loaded = load(path)
    except ValueError as exc:
        assert str(exc).startswith(f"{path}: "), exc
        assert path.read_bytes() == before  # loading never writes
        event(f"refused: {str(exc)[len(str(path)) + 2 :][:28]}")
        return None
    event("loaded")
    assert type(loaded) is type(original)
    expected = _state_document(original) if document is None else document
    written = {key: expected[key] for key in ("params", "fitted", "target_encoder", "seed")}
    assert _canonical(_state_document(loaded)) == _canonical(written)
    for theirs, ours in zip(
        loaded.model_.get_weights(), original.model_.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(theirs, ours)
    if tuple(changed[:2]) == ("fitted", "feature_names_in_"):
        X = np.asarray(X)  # the file names other columns: predict on unnamed ones
    predicted = _predict(loaded, X)
    if tuple(changed[:2]) in {("target_encoder", "mean_"), ("target_encoder", "scale_")}:
        assert predicted.shape == _predict(original, X).shape and np.isfinite(predicted).all()
    else:
        np.testing.assert_array_equal(predicted, _predict(original, X))
    return loaded


# ------------------------------------------------------------------ estimator.json, field by field
def _field_paths(value, prefix=()):
    """Every place in a JSON value: dict keys and (the first few) list items."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _field_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:2]):
            yield from _field_paths(item, (*prefix, i))


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 4),
    st.sampled_from([2**31, -(2**63), 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="ab_/\x00é", max_size=4),
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=5,
)
_dtypes = st.sampled_from(
    [
        *("<f8", "<f4", "<f2", "<i8", "|i1", "<u2", "|b1", "<U1", "<U3", "<U9", "float64"),
        *("|O", "|S3", "<M8[s]", "<c16", "|V8", "(2,)<f8", "<U0", "<U99999999", "x", "", 5, None),
    ]
)
_tagged = st.one_of(
    st.builds(lambda data, dtype: {"__ndarray__": data, "dtype": dtype}, _json, _dtypes),
    st.builds(lambda data: {"__tuple__": data}, st.lists(_scalars, max_size=3)),
    st.builds(lambda pairs: {"__items__": pairs}, st.lists(st.lists(_json, min_size=2))),
)


# Strings that are valid somewhere in a file: nudging to them often passes every check.
_WORDS = ("additive", "self", "none", "conv", "flatten", "balanced", "low", "t1")


def _nudged(value, data):
    """A value of the same type as ``value``, often one that passes every check."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + data.draw(st.integers(-2, 2))
    if isinstance(value, float):
        return data.draw(st.sampled_from([0.0, 0.5, 1.0, -1.0, value * 2, value + 1e-9]))
    if isinstance(value, str):
        return data.draw(st.sampled_from([*_WORDS, value + "x"]))
    if isinstance(value, list) and value:
        i = data.draw(st.integers(0, len(value) - 1))
        return [*value[:i], _nudged(value[i], data), *value[i + 1 :]]
    if isinstance(value, dict) and "__ndarray__" in value:
        return {**value, "__ndarray__": _nudged(value["__ndarray__"], data)}
    if isinstance(value, dict) and "__tuple__" in value:
        return {"__tuple__": _nudged(value["__tuple__"], data)}
    return data.draw(_json)


def _mutate(document, path, how, data):
    """``document`` with the field at ``path`` deleted, replaced, extended or reshaped."""
    document = copy.deepcopy(document)
    if not path:
        return data.draw(_json | _tagged)
    *parents, key = path
    parent = document
    for step in parents:
        parent = parent[step]
    target = parent[key]
    if how == "delete":
        del parent[key]
    elif how == "add" and isinstance(target, dict):
        target[data.draw(st.text(min_size=1, max_size=8).filter(lambda k: k not in target))] = (
            data.draw(_json)
        )
    elif how == "add" and isinstance(target, list):
        target.append(data.draw(_json | _tagged))
    elif how == "array" and isinstance(target, dict) and "__ndarray__" in target:
        values = target["__ndarray__"]
        change = data.draw(st.sampled_from(["dtype", "nest", "drop", "nan", "extend"]))
        if change == "dtype":
            target["dtype"] = data.draw(_dtypes)
        elif change == "nest":
            target["__ndarray__"] = [values, values]
        elif change == "drop":
            target["__ndarray__"] = values[1:]
        elif change == "nan":
            target["__ndarray__"] = [float("nan"), *values[1:]]
        else:
            target["__ndarray__"] = [*values, values[0] if values else 0]
    elif how == "nudge":
        parent[key] = _nudged(target, data)
    else:
        parent[key] = data.draw(_json | _tagged)
    return document


@pytest.mark.parametrize("kind", KINDS)
@PROPERTY
@given(data=st.data())
def test_every_field_of_estimator_json_is_checked(kind, saved, tmp_path, data):
    original, X, _, members = saved(kind)
    document = json.loads(members["estimator.json"])
    field = data.draw(st.sampled_from(list(_field_paths(document))), label="field")
    how = data.draw(st.sampled_from(["delete", "replace", "add", "array", "nudge"]), label="how")
    mutated = _mutate(document, field, how, data)
    damaged = tmp_path / "mutated.attn"
    # NaN and infinity go in as JSON's non-standard tokens: load must refuse them too.
    damaged.write_bytes(_zip({**members, "estimator.json": json.dumps(mutated).encode()}))
    assert_loads_as_written_or_refuses(damaged, original, X, _as_read(mutated), field)


def _as_read(document):
    """``document`` as ``load`` reads it: a parameter or fitted attribute added in a
    later version and missing from the file takes the value files written before it mean."""
    read = copy.deepcopy(document)
    if not isinstance(read, dict):
        return read
    if isinstance(read.get("params"), dict):
        estimator = getattr(attn_sklearn, str(read.get("class")), None)
        added = added_params(estimator) if hasattr(estimator, "_get_param_names") else {}
        read["params"] = {**added, **read["params"]}  # as load's check_params
        for param in _FITTED_CHOICES:
            if isinstance(read.get("fitted"), dict) and param in read["params"]:
                read["fitted"].setdefault(f"{param}_", read["params"][param])
    return read


_CLF, _REG, _MM = "classifier", "regressor", "multimodal"
_BAD_FIELDS = [
    (_CLF, ("params", "units"), 0, r"params: The 'units' parameter"),
    (_CLF, ("params", "units"), "4", r"params: The 'units' parameter"),
    (_CLF, ("params", "attention"), "magic", r"params: The 'attention' parameter"),
    (_CLF, ("params", "callbacks"), [], r"params\['callbacks'\] must be null"),
    (_CLF, ("params", "class_weight"), {"low": -1.0}, r"class_weight'\]\['low'\] must be a fin"),
    (_CLF, ("params", "predict"), 1, "params has the unknown field 'predict'"),
    (_CLF, ("params", "score_from"), "states", "scores do not come from what score_from="),
    (_CLF, ("fitted", "_seed"), 1, "fitted has the unknown field '_seed'"),
    (_CLF, ("fitted", "predict"), 1, "fitted has the unknown field 'predict'"),
    (_CLF, ("fitted", "classes_"), {"__ndarray__": ["b", "a"], "dtype": "<U1"}, "at least 2 dis"),
    (_CLF, ("fitted", "classes_"), {"__ndarray__": ["a"], "dtype": "<U1"}, "at least 2 distinct"),
    (_CLF, ("fitted", "n_timesteps_in_"), 4, r"n_timesteps_in_'\] must be n_features_in_"),
    (_CLF, ("fitted", "X_ndim_"), 4, r"fitted\['X_ndim_'\] must be 2 or 3"),
    (_CLF, ("fitted", "n_step_features_in_"), 3, "model.keras must be a network with one input"),
    (_CLF, ("fitted", "history_"), {"loss": [1]}, r"history_'\]\['loss'\]\[0\] must be a finite"),
    (_REG, ("fitted", "patience_"), 5, r"fitted\['patience_'\] must be params\['patience'\], 15"),
    (_CLF, ("fitted", "patience_"), 15.0, r"fitted\['patience_'\] must be an integer >= 1"),
    (_CLF, ("fitted", "validation_fraction_"), 1.0, r"validation_fraction_'\] must be a float in"),
    (
        _REG,
        ("fitted", "validation_fraction_"),
        0.0,
        r"must be params\['validation_fraction'\], 0.1",
    ),
    (_REG, ("params", "patience"), None, r"fitted\['patience_'\] must be params\['patience'\], No"),
    (_CLF, ("target_encoder", "classes"), {"__ndarray__": ["a", "b"], "dtype": "<U1"}, "equal"),
    (_CLF, ("target_encoder", "one_vs_rest"), True, r"one_vs_rest'\] must be False \(what par"),
    (_CLF, ("params", "one_vs_rest"), True, r"one_vs_rest'\] must be True \(what params"),
    (_CLF, ("params", "one_vs_rest"), "yes", r"params: The 'one_vs_rest' parameter"),
    (_CLF, ("params", "batch_norm"), True, "pooled vector is not batch-normalised, unlike wh"),
    (_CLF, ("params", "batch_norm"), "yes", r"params: The 'batch_norm' parameter"),
    (_CLF, ("params", "patch_size"), 2, "a network with patches of patch_size=2 steps; recei"),
    (_CLF, ("params", "patch_size"), "yes", r"params: The 'patch_size' parameter"),
    (_REG, ("params", "entropy_penalty"), -1.0, r"params: The 'entropy_penalty' parameter"),
    (_CLF, ("seed",), 2**31, r"seed must be an integer in \[0, 2147483647\]"),
    (_CLF, ("class",), "Pipeline", "class must be one of"),
    (_CLF, ("format_version",), 3, r"written by a newer attn_sklearn \(format 3\); this version"),
    (_CLF, ("format",), "sklearn", "is not an attn_sklearn estimator file"),
    (_CLF, ("keras_version",), 3, "keras_version must be a version string"),
    (_CLF, ("surprise",), 1, "estimator.json has the unknown field 'surprise'"),
    (_REG, ("fitted", "n_outputs_"), 3, r"mean_'\] must be a float array of shape \(3,\)"),
    (_REG, ("target_encoder", "ndim_"), 1, r"ndim_'\] must be 2 when fitted\['n_outputs_'\]"),
    (_REG, ("target_encoder", "scale_"), {"__ndarray__": [1.0, 0.0], "dtype": "<f8"}, "positi"),
    (_REG, ("fitted", "feature_names_in_"), {"__ndarray__": ["a"], "dtype": "<U1"}, "6 names"),
    (_MM, ("fitted", "modalities_", "extra"), {"__tuple__": [2, 3]}, "n_step_features_in_"),
    (_MM, ("fitted", "encoders_", "images"), "flatten", r"encoders_'\] must be \{'extra'"),
    (_MM, ("fitted", "X_ndim_"), 3, r"X_ndim_'\] must be 2 or None"),
    (_MM, ("params", "encoder"), {"sound": "conv"}, "encoder names modality 'sound'"),
    (_MM, ("params", "conv_filters"), [0], "conv_filters must be a non-empty tuple"),
]


@pytest.mark.parametrize(("kind", "field", "value", "message"), _BAD_FIELDS)
def test_each_bad_field_gets_a_clear_message(saved, tmp_path, kind, field, value, message):
    members = saved(kind)[3]
    document = json.loads(members["estimator.json"])
    parent = document
    for step in field[:-1]:
        parent = parent[step]
    parent[field[-1]] = value
    damaged = tmp_path / "bad.attn"
    damaged.write_bytes(_zip({**members, "estimator.json": json.dumps(document).encode()}))
    with pytest.raises(ValueError, match=message) as info:
        load(damaged)
    assert str(info.value).startswith(f"{damaged}: ")


def _as_an_older_file(estimator, tmp_path, *fields):
    """Save ``estimator`` without ``fields`` (``(section, key)``), as files from before them.

    Returns the loaded estimator and a writer that puts another estimator's
    network under that older ``estimator.json``.
    """
    members = _members(estimator.save(tmp_path / "now.attn"))
    document = json.loads(members["estimator.json"])
    for section, key in fields:
        del document[section][key]
    older = json.dumps(document).encode()
    old = tmp_path / "old.attn"
    old.write_bytes(_zip({**members, "estimator.json": older}))

    def under_it(other):
        path = tmp_path / "other.attn"
        network = _members(other.save(tmp_path / "o.attn"))
        path.write_bytes(_zip({**network, "estimator.json": older}))
        return path

    return load(old), under_it


def test_a_file_written_before_score_from_loads_with_state_scores(tmp_path):
    # Files written before score_from existed hold networks that score the LSTM states.
    X = np.random.default_rng(1).normal(size=(30, 5, 2))
    y = (X[:, 1, 0] > 0).astype(int)
    clf = AttentionLSTMClassifier(**FAST, score_from="states").fit(X, y)
    loaded, _ = _as_an_older_file(clf, tmp_path, ("params", "score_from"))
    assert loaded.get_params()["score_from"] == "states"
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_univariate_regressor_file_from_when_auto_meant_states_keeps_its_network(tmp_path):
    # score_from="auto" on one value per step scored the LSTM states in every estimator
    # until the regressor and the forecaster took input scores there.
    X = np.random.default_rng(1).normal(size=(30, 5))
    reg = AttentionLSTMRegressor(**FAST, score_from="states").fit(X, X[:, 2])
    path = reg.save(tmp_path / "states.attn")
    members = _members(path)
    document = json.loads(members["estimator.json"])
    document["params"]["score_from"] = "auto"
    path.write_bytes(_zip({**members, "estimator.json": json.dumps(document).encode()}))
    loaded = load(path)
    assert (loaded.get_params()["score_from"], loaded.score_from_) == ("states", "states")
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))
    now = AttentionLSTMRegressor(**FAST).fit(X, X[:, 2])
    assert load(now.save(tmp_path / "now.attn")).get_params()["score_from"] == "auto"


def test_a_file_written_before_one_vs_rest_loads_with_its_softmax_head(tmp_path):
    X = np.random.default_rng(1).normal(size=(30, 5, 2))
    y = np.arange(30) % 3
    clf = AttentionLSTMClassifier(**FAST).fit(X, y)
    fields = ("params", "one_vs_rest"), ("target_encoder", "one_vs_rest")
    loaded, under_it = _as_an_older_file(clf, tmp_path, *fields)
    assert loaded.get_params()["one_vs_rest"] is False
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # A one-vs-rest network under a file that says softmax is refused, not misread.
    wrong = under_it(AttentionLSTMClassifier(**FAST, one_vs_rest=True).fit(X, y))
    with pytest.raises(ValueError, match="output activation is softmax"):
        load(wrong)


def test_a_file_written_before_batch_norm_loads_without_it(tmp_path):
    X = np.random.default_rng(1).normal(size=(30, 5))  # univariate: "auto" normalises
    y = np.arange(30) % 3
    clf = AttentionLSTMClassifier(**FAST, batch_norm=False).fit(X, y)
    loaded, under_it = _as_an_older_file(clf, tmp_path, ("params", "batch_norm"))
    assert loaded.get_params()["batch_norm"] is False
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # A network with the normalisation under such a file is refused, not misread.
    wrong = under_it(AttentionLSTMClassifier(**FAST).fit(X, y))
    with pytest.raises(ValueError, match="is batch-normalised, unlike what batch_norm=False"):
        load(wrong)


def test_a_file_written_before_patience_was_recorded_loads_with_its_parameter(tmp_path):
    X = np.random.default_rng(1).normal(size=(30, 5, 2))
    y = X[:, -1, 0]
    reg = AttentionLSTMRegressor(**FAST, patience=7).fit(X, y)
    members = _members(reg.save(tmp_path / "now.attn"))
    document = json.loads(members["estimator.json"])
    assert document["fitted"]["patience_"] == 7
    del document["fitted"]["patience_"]
    old = tmp_path / "old.attn"
    old.write_bytes(_zip({**members, "estimator.json": json.dumps(document).encode()}))
    assert load(old).patience_ == 7
    # "auto" came with patience_: a file with the one must hold the other.
    document["params"]["patience"] = "auto"
    auto = tmp_path / "auto.attn"
    auto.write_bytes(_zip({**members, "estimator.json": json.dumps(document).encode()}))
    with pytest.raises(ValueError, match="fitted is missing the field 'patience_'"):
        load(auto)
    document["fitted"]["patience_"] = 9
    auto.write_bytes(_zip({**members, "estimator.json": json.dumps(document).encode()}))
    assert load(auto).patience_ == 9


# ------------------------------------------------------------------ the archive
@pytest.mark.parametrize("kind", KINDS)
@PROPERTY
@given(data=st.data())
def test_truncated_or_flipped_archives(kind, saved, tmp_path, data):
    original, X, path, _ = saved(kind)
    raw = bytearray(path.read_bytes())
    n = len(raw)
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, n - 1), label="cut")]
    else:
        # Headers sit at the start and the end of a zip; uniform positions mostly hit data.
        where = st.one_of(st.integers(0, n - 1), st.integers(0, 80), st.integers(n - 200, n - 1))
        for position in data.draw(st.lists(where, min_size=1, max_size=3, unique=True)):
            raw[position] ^= data.draw(st.integers(1, 255))
    damaged = tmp_path / "damaged.attn"
    damaged.write_bytes(bytes(raw))
    assert_loads_as_written_or_refuses(damaged, original, X)


@PROPERTY
@given(data=st.data())
def test_corrupt_model_member(saved, tmp_path, data):
    """A ``model.keras`` damaged under a valid outer checksum: refused, or (when the damage
    missed everything Keras reads, such as a timestamp) loaded exactly."""
    original, X, _, members = saved("regressor")
    model = bytearray(members["model.keras"])
    if data.draw(st.booleans(), label="truncate"):
        model = model[: data.draw(st.integers(0, len(model) - 1), label="cut")]
    else:
        for position in data.draw(st.lists(st.integers(0, len(model) - 1), min_size=1)):
            model[position] ^= 0xFF
    damaged = tmp_path / "damaged.attn"
    damaged.write_bytes(_zip({**members, "model.keras": bytes(model)}))
    assert_loads_as_written_or_refuses(damaged, original, X)


def _keras_members(data, **changes):
    """The members of a ``.keras`` file, changed; ``None`` deletes one."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(changes)
    return _zip({k: v for k, v in members.items() if v is not None})


def _replace_class(config, class_name, replacement):
    """A Keras ``config`` with every object of ``class_name`` updated by ``replacement``."""
    if isinstance(config, dict):
        if config.get("class_name") == class_name:
            config.update(replacement)
        for value in config.values():
            _replace_class(value, class_name, replacement)
    elif isinstance(config, list):
        for value in config:
            _replace_class(value, class_name, replacement)
    return config


def _with_config(members, change):
    with zipfile.ZipFile(io.BytesIO(members["model.keras"])) as archive:
        config = change(json.loads(archive.read("config.json")))
    model = _keras_members(members["model.keras"], **{"config.json": json.dumps(config)})
    return _zip({**members, "model.keras": model})


def _unregistered(config):
    return _replace_class(config, "AttentionPooling", {"registered_name": "evil>Pooling"})


def _foreign_module(config):
    return _replace_class(config, "Dense", {"module": "os", "class_name": "system"})


def _files(saved, tmp_path):
    """(name, content or path, message start) of damaged and foreign files; None: it loads."""
    _, _, path, members = saved("regressor")
    _, _, clf_path, clf_members = saved("classifier")
    model = members["model.keras"]

    def with_model(data):
        return _zip({**members, "model.keras": data})

    def with_state(data):
        return _zip({**members, "estimator.json": data})

    (tmp_path / "folder.attn").mkdir()
    not_ours = "is not an attn_sklearn estimator file"
    unloadable = "model.keras cannot be loaded in Keras' safe mode"
    return [
        ("empty", b"", "is empty"),
        ("random bytes", np.random.default_rng(0).bytes(300), f"{not_ours}: not a zip archive"),
        ("text", b"units=4\n", f"{not_ours}: not a zip archive"),
        ("bare .keras", model, "is a bare Keras model file (.keras)"),
        ("foreign zip", _zip({"data.csv": b"a,b\n1,2\n"}), f"{not_ours}: a zip archive without"),
        ("truncated", path.read_bytes()[:-30], "is damaged or truncated"),
        ("no model", _zip({"estimator.json": members["estimator.json"]}), "is damaged: the member"),
        ("extra member", _zip({**members, "run.py": b"1"}), "holds the unexpected member 'run.py'"),
        ("JSON list", with_state(b"[]"), not_ours),
        ("not JSON", with_state(b"{]"), "estimator.json is not valid JSON"),
        ("NaN", with_state(b'{"a": NaN}'), "estimator.json holds NaN"),
        ("model: garbage", with_model(b"x" * 50), "model.keras is damaged: not a zip archive"),
        ("model: no weights", with_model(_keras_members(model, **{"model.weights.h5": None})),
         unloadable),
        ("model: bad h5", with_model(_keras_members(model, **{"model.weights.h5": b"\x89HDF"})),
         unloadable),
        ("model: unregistered class", _with_config(members, _unregistered), unloadable),
        ("model: class from 'os'", _with_config(members, _foreign_module), unloadable),
        ("another estimator's network", _zip({**clf_members, "model.keras": model}),
         "model.keras must be a network with one input"),
        ("directory", tmp_path / "folder.attn", "is a directory"),
        ("classifier, intact", clf_path, None),
    ]  # fmt: skip


def test_damaged_and_foreign_files_get_a_clear_error(saved, tmp_path):
    for name, content, message in _files(saved, tmp_path):
        if isinstance(content, pathlib.Path):
            target = content
        else:
            target = tmp_path / f"{name}.attn"
            target.write_bytes(content)
        if message is None:
            load(target)
            continue
        with pytest.raises(ValueError) as info:
            load(target)
        assert str(info.value).startswith(f"{target}: {message}"), (name, str(info.value))
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.attn")


# ------------------------------------------------------------------ never code run
class _TouchOnUnpickle:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.touch, (self.marker,)


def test_a_pickle_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pickle-ran"
    payload = pickle.dumps(_TouchOnUnpickle(marker))
    as_file = tmp_path / "pickle.attn"
    as_file.write_bytes(payload)
    as_member = tmp_path / "zipped.attn"
    as_member.write_bytes(_zip({"estimator.json": payload, "model.keras": payload}))
    with pytest.raises(ValueError, match="it looks like a pickle, which load never opens"):
        load(as_file)
    with pytest.raises(ValueError, match=r"estimator\.json is not valid JSON"):
        load(as_member)
    assert not marker.exists()
    pickle.loads(payload)  # the payload is live: unpickling would have left the marker
    assert marker.exists()


def test_a_lambda_layer_is_refused_and_never_run(saved, tmp_path):
    _, _, _, members = saved("regressor")
    marker = tmp_path / "lambda-ran"
    inputs = keras.Input((None, 1), name="sequence")
    # The marker's path is a constant of the lambda's code, which Keras serialises as bytecode.
    touch = eval(f"lambda x: (__import__('pathlib').Path({str(marker)!r}).touch(), x)[1]")
    touched = keras.layers.Lambda(touch)(inputs)
    outputs = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling1D()(touched))
    keras.Model(inputs, outputs).save(tmp_path / "lambda.keras")
    marker.unlink()  # building the model ran the lambda once, in this test
    damaged = tmp_path / "lambda.attn"
    damaged.write_bytes(_zip({**members, "model.keras": (tmp_path / "lambda.keras").read_bytes()}))
    with pytest.raises(
        ValueError, match=r"model\.keras cannot be loaded in Keras' safe mode"
    ) as info:
        load(damaged)
    assert "Lambda" in str(info.value) and isinstance(info.value.__cause__, ValueError)
    assert not marker.exists()
    keras.saving.load_model(tmp_path / "lambda.keras", safe_mode=False)
    assert marker.exists()  # the payload is live: without safe mode it runs


def test_a_file_written_before_patch_size_loads_without_patches(tmp_path):
    X = np.random.default_rng(1).normal(size=(30, 5, 2))
    y = np.arange(30) % 3
    clf = AttentionLSTMClassifier(**FAST).fit(X, y)
    loaded, under_it = _as_an_older_file(clf, tmp_path, ("params", "patch_size"))
    assert loaded.get_params()["patch_size"] == 1
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # A network reading patches under such a file is refused, not misread.
    wrong = under_it(AttentionLSTMClassifier(**FAST, patch_size=2).fit(X, y))
    with pytest.raises(ValueError, match=r"patches of patch_size=1 steps; received 2\."):
        load(wrong)
