import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from attn_sklearn import MASK_VALUE, AttentionLSTMClassifier, AttentionLSTMRegressor
from attn_sklearn.plotting import plot_attention, plot_attention_heads, plot_history


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6))
    reg = AttentionLSTMRegressor(units=3, epochs=2, random_state=0).fit(X, X[:, 1])
    clf = AttentionLSTMClassifier(
        units=4, epochs=1, attention="multihead", n_heads=2, random_state=0
    ).fit(X, X[:, 1] > 0)
    return X, reg, clf


def test_history_and_attention_plots_draw_on_given_axes(fitted, tmp_path):
    X, reg, _ = fitted
    fig, axes = plt.subplots(1, 3)
    assert plot_history(reg, ax=axes[0]) is axes[0]
    assert [line.get_label() for line in axes[0].get_lines()] == ["training", "validation"]
    assert plot_attention(reg, X[:10], ax=axes[1]) is axes[1]
    assert axes[1].images[0].get_array().shape == (10, 6)
    padded = np.concatenate([X[:2, :, None], np.full((2, 3, 1), MASK_VALUE)], axis=1)
    ax = plot_attention(reg, padded, sample=1, ax=axes[2])
    stems = ax.containers[0]
    np.testing.assert_allclose(stems.markerline.get_ydata(), reg.explain(padded)[1])
    fig.savefig(tmp_path / "plots.png")
    plt.close(fig)


def test_per_head_panels(fitted):
    X, reg, clf = fitted
    axes = plot_attention_heads(clf, X, sample=3)
    assert len(axes) == 2
    np.testing.assert_allclose(
        axes[1].images[0].get_array(), clf.explain(X[[3]], full=True)[0, 1], rtol=1e-6
    )
    plt.close("all")
    with pytest.raises(ValueError, match="full=True needs self-attention"):
        plot_attention_heads(reg, X)
    with pytest.raises(ValueError, match="sample must be an integer row index"):
        plot_attention(reg, X, sample=99)
