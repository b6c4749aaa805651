"""Keras layers used by the estimators, written with ``keras.ops`` only.

Every layer is registered under the ``attn_sklearn`` package so models that
contain it pickle, save to ``.keras`` and load under Keras' safe mode without
``custom_objects``.
"""

import keras
from keras import ops

_SCORES = ("linear", "additive")


def masked_softmax(scores, mask=None):
    """Softmax over the last axis that gives masked positions exactly zero.

    Masked positions are excluded before normalising (not merely pushed to a
    large negative number), so the weights of the real positions do not depend
    on how many masked positions there are, and a row with no real position
    gets all-zero weights instead of NaN.

    Parameters
    ----------
    scores : tensor of shape (..., n_timesteps)
        Unnormalised scores.
    mask : bool tensor broadcastable to ``scores``, optional
        ``True`` at real positions.

    Returns
    -------
    weights : tensor of the shape of ``scores``
        Non-negative weights summing to 1 over real positions.

    Examples
    --------
    >>> import numpy as np
    >>> w = masked_softmax(np.zeros((1, 3), "float32"), np.array([[True, True, False]]))
    >>> np.asarray(w).round(3).tolist()
    [[0.5, 0.5, 0.0]]
    """
    if mask is None:
        return ops.softmax(scores, axis=-1)
    mask = ops.cast(mask, scores.dtype)
    # Shift by the largest *real* score: masked scores never enter the max.
    lowest = ops.min(scores, axis=-1, keepdims=True)
    shift = ops.max(scores * mask + lowest * (1.0 - mask), axis=-1, keepdims=True)
    exp = ops.exp(ops.minimum(scores - shift, 0.0)) * mask
    total = ops.sum(exp, axis=-1, keepdims=True)
    return exp / ops.maximum(total, keras.backend.epsilon())


@keras.saving.register_keras_serializable(package="attn_sklearn")
class AttentionPooling(keras.layers.Layer):
    """Pool a sequence into one vector with learned per-step attention.

    Each step ``h_t`` gets a score, the scores are normalised with a
    softmax over the real (unmasked) steps, and the output is the weighted sum
    ``sum_t a_t h_t``. Padded steps receive exactly zero weight.

    Parameters
    ----------
    score : {"additive", "linear"}, default="additive"
        How a step is scored. ``"additive"`` (Bahdanau):
        ``v . tanh(W h_t + b)``; ``"linear"`` (seed 001): ``w . h_t + b``.
    units : int, default=None
        Width of the hidden scoring layer for ``"additive"``; ``None`` uses
        the input width.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Call arguments
    --------------
    inputs : tensor of shape (batch, n_timesteps, n_channels)
    mask : bool tensor of shape (batch, n_timesteps), optional
    return_attention : bool, default=False
        Also return the weights, of shape (batch, n_timesteps).

    Examples
    --------
    >>> import numpy as np
    >>> layer = AttentionPooling(score="linear")
    >>> context, weights = layer(np.ones((2, 5, 3), "float32"), return_attention=True)
    >>> tuple(context.shape), tuple(weights.shape)
    ((2, 3), (2, 5))
    """

    def __init__(self, score="additive", units=None, **kwargs):
        super().__init__(**kwargs)
        if score not in _SCORES:
            raise ValueError(
                f"Expected score to be one of {set(_SCORES)}. Received: score={score!r}"
            )
        if units is not None and (not isinstance(units, int) or units < 1):
            raise ValueError(
                f"Expected units to be a positive integer or None. Received: units={units!r}"
            )
        self.score = score
        self.units = units
        self.supports_masking = True

    def build(self, input_shape):
        channels = input_shape[-1]
        hidden = self.units or channels
        if self.score == "additive":
            self.w_hidden = self.add_weight(
                name="w_hidden", shape=(channels, hidden), initializer="glorot_uniform"
            )
            self.b_hidden = self.add_weight(name="b_hidden", shape=(hidden,), initializer="zeros")
            self.v = self.add_weight(name="v", shape=(hidden, 1), initializer="glorot_uniform")
        else:
            self.v = self.add_weight(name="v", shape=(channels, 1), initializer="glorot_uniform")
            self.b = self.add_weight(name="b", shape=(1,), initializer="zeros")

    def call(self, inputs, mask=None, return_attention=False):
        if self.score == "additive":
            hidden = ops.tanh(ops.matmul(inputs, self.w_hidden) + self.b_hidden)
            scores = ops.squeeze(ops.matmul(hidden, self.v), axis=-1)
        else:
            scores = ops.squeeze(ops.matmul(inputs, self.v), axis=-1) + self.b
        weights = masked_softmax(scores, mask)
        context = ops.sum(inputs * ops.expand_dims(weights, -1), axis=1)
        if return_attention:
            return context, weights
        return context

    def compute_mask(self, inputs, mask=None):
        # Time is pooled away, so no mask travels further.
        return None

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units}
