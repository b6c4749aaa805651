import subprocess
import sys
import zipfile

import numpy as np
import pytest

from attn_sklearn import AttentionLSTMClassifier, AttentionLSTMRegressor, load


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


def test_loaded_classifier_keeps_labels_params_and_history(
    classification_data, fast_params, tmp_path
):
    X, y = classification_data
    clf = AttentionLSTMClassifier(**fast_params, class_weight="balanced").fit(X, y)
    loaded = load(clf.save(tmp_path / "clf.attn"))
    assert loaded.get_params() == clf.get_params()
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.history_ == clf.history_
    assert loaded.n_step_features_in_ == 2


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
