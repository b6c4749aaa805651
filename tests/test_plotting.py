import copy

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
    stems = ax.containers[0]  # real steps only: the padding gets no stem
    np.testing.assert_allclose(stems.markerline.get_xdata(), np.arange(6))
    np.testing.assert_allclose(stems.markerline.get_ydata(), reg.explain(padded)[1, :6])
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


# ------------------------------------------------------------------ pipelines, pandas, padding
@pytest.fixture(scope="module")
def window_pipeline():
    import pandas as pd
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from attn_sklearn import SlidingWindowTransformer

    index = pd.date_range("2024-01-01", periods=120, freq="D")
    frame = pd.DataFrame(
        {"sales": 100 + 10 * np.sin(np.arange(120) / 4.0), "price": np.linspace(5, 6, 120)},
        index=index,
    )
    pipe = make_pipeline(
        StandardScaler(),
        SlidingWindowTransformer(window=8),
        AttentionLSTMRegressor(units=3, epochs=2, random_state=0),
    )
    return pipe.fit(frame.iloc[:-1], frame["sales"].iloc[1:].to_numpy()), frame


def test_a_pipeline_is_explained_and_plotted_from_raw_input(window_pipeline):
    from attn_sklearn.inspection import explain

    pipe, frame = window_pipeline
    expected = pipe[-1].explain(pipe[:-1].transform(frame))
    np.testing.assert_array_equal(explain(pipe, frame), expected)
    ax = plot_attention(pipe, frame, sample=3, feature="sales")
    np.testing.assert_allclose(ax.containers[0].markerline.get_ydata(), expected[3, 4:])
    # The input is drawn in the user's units, with a gap over the padded (missing) history.
    line = ax.figure.axes[-1].get_lines()[0].get_ydata()
    assert np.isnan(line[:4]).all()
    np.testing.assert_allclose(line[4:], frame["sales"].to_numpy()[:4])
    assert ax.figure.axes[-1].get_ylabel() == "input: sales"
    with pytest.raises(ValueError, match="feature must be a column of X"):
        plot_attention(pipe, frame, sample=3, feature="volume")
    plt.close("all")


def test_padding_is_grey_not_low_attention(window_pipeline):
    pipe, frame = window_pipeline
    ax = plot_attention(pipe, frame.iloc[:10], step_labels=[f"t-{7 - i}" for i in range(8)])
    image = ax.images[0].get_array()
    assert image.mask[0, :7].all() and not image.mask[0, 7]  # row 0 has one real step
    assert not image.mask[9].any()
    assert [tick.get_text() for tick in ax.get_xticklabels()][-1] == "t-0"
    plt.close("all")


def test_loss_axis_is_logarithmic_when_it_spans_decades(fitted):
    _, reg, _ = fitted
    steep, flat = copy.copy(reg), copy.copy(reg)
    steep.history_ = {"loss": [0.35, 0.02, 0.005], "val_loss": [0.05, 0.01, 0.006]}
    flat.history_ = {"loss": [1.1, 0.9, 0.6]}
    assert plot_history(steep).get_yscale() == "log"
    assert plot_history(flat).get_yscale() == "linear"
    plt.close("all")


def test_explain_rejects_what_is_not_an_attention_model():
    from sklearn.linear_model import Ridge

    from attn_sklearn.inspection import explain

    with pytest.raises(TypeError, match="received Ridge"):
        explain(Ridge(), np.zeros((2, 3)))


def test_explanations_and_plots_of_pandas_input_carry_its_timestamps(window_pipeline):
    from attn_sklearn.inspection import explain

    pipe, frame = window_pipeline
    table = explain(pipe, frame, as_frame=True)
    row = table[table["sample"] == frame.index[20]]
    assert len(row) == 8  # a full window of real steps
    assert list(row["time"]) == list(frame.index[13:21])  # oldest first, ending at the row
    assert table[table["sample"] == frame.index[0]]["time"].tolist() == [frame.index[0]]
    ax = plot_attention(pipe, frame, sample=20)
    assert ax.get_title() == "Attention of sample 2024-01-21"
    assert ax.get_xticklabels()[-1].get_text() == "2024-01-21"
    plt.close("all")


def test_a_pipeline_wide_pandas_output_keeps_working(window_pipeline):
    from sklearn.base import clone

    pipe, frame = window_pipeline
    configured = clone(pipe).set_output(transform="pandas")
    configured.fit(frame.iloc[:-1], frame["sales"].iloc[1:].to_numpy())
    assert configured.predict(frame).shape == (len(frame),)
    with pytest.raises(ValueError, match="Expected transform to be one of"):
        configured[1].set_output(transform="arrow")
