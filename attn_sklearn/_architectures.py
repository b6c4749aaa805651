"""Pure functions: hyperparameters and input shapes in, compiled Keras model out.

The networks take inputs of shape ``(batch, None, n_features)``: the number of
time steps is not fixed, so a fitted model accepts sequences of any length.
Padded steps (every feature equal to :data:`~attn_sklearn.MASK_VALUE`) are
masked at the input and skipped by every layer after it.
"""

import keras

from ._masking import MASK_VALUE
from .layers import AttentionPooling

ATTENTION_LAYER_NAME = "attention"


def _recurrent_stack(x, *, units, n_layers, dropout, bidirectional, last_returns_sequences=True):
    """Stacked LSTMs; the mask flows through every layer."""
    for i in range(n_layers):
        return_sequences = last_returns_sequences or i < n_layers - 1
        lstm = keras.layers.LSTM(
            units, return_sequences=return_sequences, dropout=dropout, name=f"lstm_{i}"
        )
        if bidirectional:
            lstm = keras.layers.Bidirectional(lstm, name=f"bidirectional_{i}")
        x = lstm(x)
    return x


def build_attention_lstm(
    *,
    n_features,
    n_outputs,
    units,
    n_layers,
    dropout,
    bidirectional,
    attention_score,
    output_activation,
    loss,
    learning_rate,
    metrics=None,
):
    """Build and compile ``Masking -> LSTM x n_layers -> attention -> Dense``.

    This is seed 001's network (``LSTM(64, return_sequences=True)`` ->
    attention pooling -> ``Dense``) generalised to stacked, optionally
    bidirectional layers and any number of outputs.

    Parameters
    ----------
    n_features : int
        Features per time step.
    n_outputs : int
        Width of the output layer.
    units : int
        LSTM units per direction.
    n_layers : int
        Number of stacked LSTM layers.
    dropout : float
        Dropout on the inputs of every LSTM layer.
    bidirectional : bool
        Wrap every LSTM in ``keras.layers.Bidirectional``.
    attention_score : {"additive", "linear", "none"}
        Scoring function of :class:`~attn_sklearn.layers.AttentionPooling`;
        ``"none"`` feeds the last LSTM state to the output layer instead.
    output_activation : str
        Activation of the output layer (``"linear"``, ``"sigmoid"``, ``"softmax"``).
    loss : str
        Keras loss name.
    learning_rate : float
        Adam learning rate.
    metrics : list of str, optional
        Keras metrics to track.

    Returns
    -------
    model : keras.Model
        Compiled model with one output, the prediction. The attention weights
        are the second output of the layer named ``"attention"``.
    """
    inputs = keras.Input(shape=(None, n_features), name="sequence")
    x = keras.layers.Masking(mask_value=MASK_VALUE, name="padding_mask")(inputs)
    pooled = attention_score != "none"
    x = _recurrent_stack(
        x,
        units=units,
        n_layers=n_layers,
        dropout=dropout,
        bidirectional=bidirectional,
        last_returns_sequences=pooled,
    )
    if pooled:
        context, _ = AttentionPooling(score=attention_score, name=ATTENTION_LAYER_NAME)(
            x, return_attention=True
        )
    else:  # ablation: the last real step's state, no attention
        context = x
    outputs = keras.layers.Dense(n_outputs, activation=output_activation, name="output")(context)
    model = keras.Model(inputs, outputs, name="attention_lstm")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss, metrics=metrics
    )
    return model


def has_attention(model):
    """Whether ``model`` pools with attention (``False`` for ``attention="none"``)."""
    return any(layer.name == ATTENTION_LAYER_NAME for layer in model.layers)


def attention_model(model):
    """Return a model that maps the inputs of ``model`` to its attention weights.

    It shares its layers (and so its trained weights) with ``model``.
    """
    _, weights = model.get_layer(ATTENTION_LAYER_NAME).output
    return keras.Model(model.inputs, weights, name="attention_weights")
