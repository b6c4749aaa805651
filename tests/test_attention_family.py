"""Every attention type: mask-exactness, explain() forms, and one GridSearchCV over all."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

from attn_sklearn import MASK_VALUE, AttentionLSTMClassifier, AttentionLSTMRegressor

TYPES = {
    "additive": {},
    "multiplicative": {},
    "linear": {},
    "self": {"self_attention_score": "additive", "attention_width": 3, "residual": True},
    "multihead": {"n_heads": 2, "key_dim": 3, "causal": True, "layer_norm": True},
}
FAST = {"units": 4, "epochs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 7, 2))
    X[0, 2] = 0.0  # a real observation of zeros
    return X, (X[:, 3, 0] > 0).astype(int)


@pytest.fixture(scope="module", params=list(TYPES))
def fitted(request, data):
    X, y = data
    return AttentionLSTMClassifier(attention=request.param, **TYPES[request.param], **FAST).fit(
        X, y
    )


def _pad(X, before, after):
    return np.concatenate(
        [np.full((len(X), before, 2), MASK_VALUE), X, np.full((len(X), after, 2), MASK_VALUE)],
        axis=1,
    )


@pytest.mark.parametrize(("before", "after"), [(0, 5), (4, 0), (2, 3)])
def test_padding_changes_neither_predictions_nor_attention(fitted, data, before, after):
    X, _ = data
    padded = _pad(X, before, after)
    np.testing.assert_allclose(
        fitted.predict_proba(padded), fitted.predict_proba(X), rtol=1e-5, atol=1e-6
    )
    weights, weights_padded = fitted.explain(X), fitted.explain(padded)
    real = slice(before, before + X.shape[1])
    np.testing.assert_allclose(weights_padded[:, real], weights, rtol=1e-5, atol=1e-7)
    assert np.all(np.delete(weights_padded, np.arange(real.start, real.stop), axis=1) == 0)
    np.testing.assert_allclose(weights_padded.sum(axis=1), 1.0, rtol=1e-5)
    assert weights[0, 2] > 0  # zeros are data, not padding


def test_full_weights_and_tidy_frames(fitted, data):
    X, _ = data
    self_attention = fitted.attention in ("self", "multihead")
    if self_attention:
        full = fitted.explain(_pad(X[:3], 0, 2), full=True)
        heads = 2 if fitted.attention == "multihead" else 1
        assert full.shape == (3, heads, 9, 9)
        np.testing.assert_allclose(full[:, :, :7].sum(axis=-1), 1.0, rtol=1e-5)
        assert np.all(full[:, :, :, 7:] == 0)  # nobody attends to padding
        if fitted.causal:
            assert np.all(np.triu(full[:, :, :7, :7], k=1) == 0)
        frame = fitted.explain(X[:2], full=True, as_frame=True)
        assert list(frame.columns) == ["sample", "head", "query_step", "step", "weight"]
        assert len(frame) == 2 * heads * 7 * 7
    else:
        with pytest.raises(ValueError, match="full=True needs self-attention"):
            fitted.explain(X[:2], full=True)
    labels = [f"2026-01-0{i + 1}" for i in range(7)]
    frame = fitted.explain(_pad(X[:2], 0, 3), as_frame=True, step_labels=labels + ["x"] * 3)
    assert list(frame.columns) == ["sample", "step", "weight"]
    assert len(frame) == 14 and set(frame["step"]) == set(labels)  # padded steps left out
    np.testing.assert_allclose(frame.groupby("sample")["weight"].sum(), 1.0, rtol=1e-5)


def test_no_attention_cannot_explain(data):
    X, y = data
    clf = AttentionLSTMClassifier(attention="none", **FAST).fit(X, y)
    assert clf.predict(X).shape == (30,)
    with pytest.raises(ValueError, match="attention='none'"):
        clf.explain(X)


@pytest.mark.parametrize("estimator_cls", [AttentionLSTMRegressor, AttentionLSTMClassifier])
def test_one_grid_search_over_every_attention_type(estimator_cls, data):
    X, y = data
    # One split and no refit: every type is fitted and scored once, in one search.
    search = GridSearchCV(
        estimator_cls(units=3, epochs=1, random_state=0),
        {"attention": ["none", "additive", "multiplicative", "self", "multihead"]},
        cv=[next(KFold(2).split(X))],
        refit=False,
    ).fit(X, y.astype(float) if estimator_cls is AttentionLSTMRegressor else y)
    assert len(search.cv_results_["mean_test_score"]) == 5
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_step_labels_must_match_the_steps(fitted, data):
    X, _ = data
    with pytest.raises(ValueError, match="step_labels must have one label per time step"):
        fitted.explain(X[:2], as_frame=True, step_labels=["a", "b"])
