import copy
import json
import re
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest

import attn_sklearn
from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    MultimodalAttentionClassifier,
    load,
)
from attn_sklearn.datasets import make_multimodal_sequences


def test_save_and_load_in_a_fresh_process_with_safe_mode(regression_data, fast_params, tmp_path):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    path = reg.save(tmp_path / "reg.attn")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["estimator.json", "model.keras"]
    np.save(tmp_path / "X.npy", X)
    script = (
        "import numpy as np\n"
        "from attn_sklearn import load\n"
        f"est = load({str(path)!r})\n"
        f"X = np.load({str(tmp_path / 'X.npy')!r})\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, np.vstack([est.predict(X), est.explain(X).T]))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    out = np.load(tmp_path / "out.npy")
    np.testing.assert_array_equal(out[0], reg.predict(X))
    np.testing.assert_array_equal(out[1:].T, reg.explain(X))


@pytest.mark.parametrize("one_vs_rest", [False, True])
def test_loaded_classifier_keeps_labels_params_and_history(
    classification_data, fast_params, tmp_path, one_vs_rest
):
    X, y = classification_data
    params = {**fast_params, "class_weight": "balanced", "one_vs_rest": one_vs_rest}
    clf = AttentionLSTMClassifier(**params).fit(X, y)
    loaded = load(clf.save(tmp_path / "clf.attn"))
    assert loaded.get_params() == clf.get_params()
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.history_ == clf.history_
    assert loaded.n_step_features_in_ == 2
    assert loaded.target_encoder_.one_vs_rest is one_vs_rest


def test_save_before_fit_and_foreign_files_are_rejected(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        AttentionLSTMRegressor().save(tmp_path / "x.attn")
    bogus = tmp_path / "bogus.attn"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("estimator.json", '{"format": "something-else"}')
        archive.writestr("model.keras", b"")
    with pytest.raises(ValueError, match="not an attn_sklearn estimator file"):
        load(bogus)


def _document(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("estimator.json"))


def _rewrite(path, document):
    with zipfile.ZipFile(path) as archive:
        model = archive.read("model.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.keras", model)
        archive.writestr("estimator.json", json.dumps(document))


def _as_format_1(value):
    """What format 1 wrote for ``value``: tuples as plain lists (and no versions)."""
    if isinstance(value, dict) and value.keys() == {"__tuple__"}:
        return [_as_format_1(item) for item in value["__tuple__"]]
    if isinstance(value, dict):
        return {key: _as_format_1(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_format_1(item) for item in value]
    return value


def test_the_file_records_format_and_versions(regression_data, fast_params, tmp_path):
    X, y = regression_data
    path = AttentionLSTMRegressor(**fast_params).fit(X, y).save(tmp_path / "reg.attn")
    document = _document(path)
    assert list(document) == [
        "format",
        "format_version",
        "attn_sklearn_version",
        "keras_version",
        "class",
        "params",
        "fitted",
        "target_encoder",
        "seed",
    ]
    assert document["format_version"] == 2
    assert document["attn_sklearn_version"] == attn_sklearn.__version__
    assert document["keras_version"] == keras.__version__
    fitted = AttentionLSTMRegressor._fitted_attributes
    assert set(document["fitted"]) == set(fitted) - {"feature_names_in_"}


def test_format_1_files_still_load(fast_params, tmp_path):
    X, y, _ = make_multimodal_sequences(
        24, n_timesteps=4, image_shape=(4, 4, 1), hours=2, w_features=2, random_state=0
    )
    clf = MultimodalAttentionClassifier(**fast_params, n_layers=1, encoder="conv").fit(X, y)
    path = clf.save(tmp_path / "mm.attn")
    document = _as_format_1(_document(path))
    del document["attn_sklearn_version"], document["keras_version"]
    _rewrite(path, {**document, "format_version": 1})
    loaded = load(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.modalities_ == clf.modalities_ == {"extra": (2, 2), "images": (4, 4, 1)}
    assert loaded.conv_filters == [8, 16]  # format 1 did not tell tuples from lists
    _rewrite(path, {**document, "format_version": 1, "keras_version": "3.15.1"})
    with pytest.raises(ValueError, match=r"estimator\.json has the unknown field 'keras_version'"):
        load(path)


def test_a_newer_format_asks_for_an_upgrade(regression_data, fast_params, tmp_path):
    X, y = regression_data
    path = AttentionLSTMRegressor(**fast_params).fit(X, y).save(tmp_path / "reg.attn")
    # A newer format may change anything else: the version is read first.
    _rewrite(path, {"format": "attn_sklearn.estimator", "format_version": 7, "new": []})
    message = (
        f"{path}: written by a newer attn_sklearn (format 7); this version reads formats up to 2; "
        "upgrade attn_sklearn."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        load(path)


def test_save_writes_only_what_load_accepts(regression_data, fast_params, tmp_path):
    X, y = regression_data
    reg = AttentionLSTMRegressor(**fast_params).fit(X, y)
    target = tmp_path / "reg.attn"
    with pytest.raises(ValueError, match=r"cannot save this estimator: params: The 'units'"):
        clone_with(reg, units=0).save(target)
    reg.history_["loss"][0] = float("nan")
    with pytest.raises(
        ValueError, match=r"save this estimator: fitted\['history_'\]\['loss'\]\[0\] is"
    ):
        reg.save(target)
    reg.history_["loss"][0] = 1.0
    reg.model_.layers[-1].kernel.assign(np.full(reg.model_.layers[-1].kernel.shape, np.nan))
    with pytest.raises(ValueError, match="weights hold NaN or infinity"):
        reg.save(target)
    assert not target.exists()  # nothing written by a refused save


def clone_with(estimator, **params):
    """``estimator``, fitted state and all, with ``params`` set (as set_params after fit)."""
    twin = copy.copy(estimator)
    return twin.set_params(**params)
