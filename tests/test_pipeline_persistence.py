"""Whole fitted pipelines saved and loaded without pickle, through skops.io."""

import pickle
import subprocess
import sys

import keras
import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from attn_sklearn import (
    AttentionLSTMClassifier,
    AttentionLSTMRegressor,
    SequenceMasker,
    SequencePadder,
    SequenceScaler,
    SlidingWindowTransformer,
)
from attn_sklearn.datasets import make_sequence_classification

sio = pytest.importorskip("skops.io")


# How each pipeline's X is made: run here and, as written, in the fresh process.
DATA = {
    "forecaster": "np.sin(np.arange(150) / 4.0).reshape(-1, 1)[:-1]",
    "classifier": "make_sequence_classification(40, n_classes=2, random_state=0)[0]",
}


@pytest.fixture(scope="module")
def pipelines():
    series = np.sin(np.arange(150) / 4.0).reshape(-1, 1)
    forecaster = make_pipeline(
        StandardScaler(),
        SlidingWindowTransformer(window=6),
        AttentionLSTMRegressor(units=4, epochs=1, random_state=0),
    ).fit(series[:-1], series[1:, 0])
    sequences, labels, _ = make_sequence_classification(40, n_classes=2, random_state=0)
    classifier = make_pipeline(
        SequencePadder(),
        SequenceMasker(),
        SequenceScaler(),
        AttentionLSTMClassifier(units=4, epochs=1, random_state=0),
    ).fit(sequences, labels)
    return {"forecaster": forecaster, "classifier": classifier}


@pytest.mark.parametrize("name", ["forecaster", "classifier"])
def test_a_pipeline_loads_with_skops_in_a_fresh_process(pipelines, name, tmp_path):
    pipe, X = pipelines[name], eval(DATA[name])
    path = tmp_path / f"{name}.skops"
    sio.dump(pipe, path)
    untrusted = sio.get_untrusted_types(file=path)
    assert all(t.startswith(("attn_sklearn.", "numpy.")) for t in untrusted), untrusted
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.load(path)  # nothing is trusted unless the user says so
    script = (
        "import numpy as np, skops.io as sio\n"
        "from attn_sklearn.datasets import make_sequence_classification\n"
        "from attn_sklearn.inspection import explain\n"
        f"pipe = sio.load({str(path)!r}, trusted=sio.get_untrusted_types(file={str(path)!r}))\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, explain(pipe, {DATA[name]}))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    from attn_sklearn.inspection import explain

    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), explain(pipe, X))


def test_pickling_leaves_the_fitted_network_in_place(pipelines):
    pipe, X = pipelines["forecaster"], eval(DATA["forecaster"])
    restored = pickle.loads(pickle.dumps(pipe))
    assert isinstance(pipe[-1].model_, keras.Model)
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))
