"""Layers of forecasting networks: the target's history, the decoder's attention and start.

:class:`TargetHistory` hands the target's last steps to a linear path beside
the recurrent one, :class:`HorizonAttention` lets each step of an
encoder–decoder forecast attend over the window, and :class:`LastRealStep`
hands the decoder the encoder's last state (the scaling layers are in
``_layers_scaling``). All are exported by :mod:`attn_sklearn.layers`.
"""

import keras
from keras import ops

from ._layers_base import (
    AttentionLayer,
    check_choice,
    check_non_negative,
    check_positive_int,
    last_real_step,
    masked_softmax,
    normalised_entropy,
)
from ._layers_scaling import real_flags

HORIZON_SCORES = ("additive", "multiplicative")


@keras.saving.register_keras_serializable(package="attn_sklearn")
class TargetHistory(keras.layers.Layer):
    """The last ``window`` steps of one feature as a flat vector; padding becomes 0.

    Feeds a linear path (``Dense``) beside the recurrent one: on small series
    a linear map of the recent history is a strong forecaster, and the network
    adds what it cannot capture. ``(x - offset) / scale`` puts the values in
    the units of that path.

    Parameters
    ----------
    window : int
        Number of trailing steps kept; inputs must have at least this many.
    target_feature : int, default=0
        Feature kept.
    offset, scale : float, default=0.0 and 1.0
        Affine standardisation of the kept values.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import TargetHistory
    >>> x = np.array([[[MASK_VALUE, MASK_VALUE], [1.0, 5.0], [2.0, 6.0]]], "float32")
    >>> np.asarray(TargetHistory(window=3, target_feature=1)(x)).tolist()
    [[0.0, 5.0, 6.0]]
    """

    def __init__(self, window, *, target_feature=0, offset=0.0, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.window = int(window)
        self.target_feature = int(target_feature)
        self.offset = float(offset)
        self.scale = float(scale)

    def call(self, inputs):
        """``(batch, n_timesteps, n_features)`` in, ``(batch, window)`` out."""
        real = real_flags(inputs)[:, -self.window :, 0]
        values = inputs[:, -self.window :, self.target_feature]
        return ops.where(real > 0, (values - self.offset) / self.scale, ops.zeros_like(values))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.window)

    def get_config(self):
        return {
            **super().get_config(),
            "window": self.window,
            "target_feature": self.target_feature,
            "offset": self.offset,
            "scale": self.scale,
        }


@keras.saving.register_keras_serializable(package="attn_sklearn")
class HorizonAttention(AttentionLayer):
    """Attention of every forecast step over the steps of the input window.

    The encoder–decoder attention of Bahdanau et al. and Luong et al.: the
    decoder's state ``q_h`` at forecast step ``h`` scores each encoder step,
    ``v . tanh(W k_t + U q_h + b)`` (``"additive"``) or ``q_h . W k_t /
    sqrt(d)`` (``"multiplicative"``); a softmax over the real steps gives the
    weights, and the context of step ``h`` is ``sum_t a_ht v_t``. Padded
    steps get exactly zero weight.

    Parameters
    ----------
    score_mode : {"additive", "multiplicative"}, default="additive"
    units : int, default=None
        Width of the hidden scoring layer of ``"additive"``; ``None`` uses the
        key width.
    entropy_penalty, kernel_initializer, bias_initializer
        As for :class:`AttentionPooling` (the penalty is the mean over forecast steps).
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import HorizonAttention
    >>> queries = np.ones((2, 3, 4), "float32")  # 3 forecast steps
    >>> values = np.ones((2, 5, 6), "float32")  # 5 window steps
    >>> context, weights = HorizonAttention()([queries, values], return_attention_scores=True)
    >>> tuple(context.shape), tuple(weights.shape)
    ((2, 3, 6), (2, 3, 5))
    """

    def __init__(
        self,
        score_mode="additive",
        *,
        units=None,
        entropy_penalty=0.0,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer, **kwargs
        )
        self.score_mode = check_choice("score_mode", score_mode, HORIZON_SCORES)
        self.units = check_positive_int("units", units)
        self.entropy_penalty = check_non_negative("entropy_penalty", entropy_penalty)

    def build(self, input_shape):
        query_width, key_width = input_shape[0][-1], input_shape[-1][-1]
        kernel, bias = self.kernel_initializer, self.bias_initializer
        if self.score_mode == "additive":
            hidden = self.units or key_width
            self.w_key = self._add_weight("w_key", (key_width, hidden), kernel, 1)
            self.w_query = self._add_weight("w_query", (query_width, hidden), kernel, 2)
            self.b_hidden = self._add_weight("b_hidden", (hidden,), bias, 3)
            self.v = self._add_weight("v", (hidden, 1), kernel, 4)
        else:
            self.w_query = self._add_weight("w_query", (query_width, key_width), kernel, 1)

    def call(self, inputs, mask=None, return_attention_scores=False):
        """``inputs = [queries (b, H, dq), values (b, T, dv)]`` or ``[queries, values, keys]``."""
        queries, values, keys = inputs[0], inputs[1], inputs[-1]
        if isinstance(mask, list | tuple):  # the values' mask (else the keys')
            mask = mask[1] if mask[1] is not None else mask[-1]
        if self.score_mode == "additive":
            hidden = ops.expand_dims(ops.matmul(keys, self.w_key), 1) + ops.expand_dims(
                ops.matmul(queries, self.w_query), 2
            )
            scores = ops.squeeze(ops.matmul(ops.tanh(hidden + self.b_hidden), self.v), -1)
        else:
            scale = ops.sqrt(ops.cast(ops.shape(keys)[-1], keys.dtype))
            scores = ops.einsum("bhd,btd->bht", ops.matmul(queries, self.w_query), keys) / scale
        mask = None if mask is None else ops.expand_dims(mask, 1)
        weights = masked_softmax(scores, mask)
        if self.entropy_penalty:
            self.add_loss(self.entropy_penalty * ops.mean(normalised_entropy(weights, mask)))
        context = ops.einsum("bht,btd->bhd", weights, values)
        return (context, weights) if return_attention_scores else context

    def compute_output_shape(self, input_shape, return_attention_scores=False):
        queries, values = input_shape[0], input_shape[1]
        context = (queries[0], queries[1], values[-1])
        if return_attention_scores:
            return context, (queries[0], queries[1], values[1])
        return context

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = {**super().get_config(), "score_mode": self.score_mode, "units": self.units}
        return {**config, "entropy_penalty": self.entropy_penalty}


@keras.saving.register_keras_serializable(package="attn_sklearn")
class LastRealStep(keras.layers.Layer):
    """Each sequence's output at its last real (unmasked) step: ``(batch, channels)``.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import LastRealStep
    >>> x = np.arange(6, dtype="float32").reshape(1, 3, 2)
    >>> np.asarray(LastRealStep()(x)).tolist()
    [[4.0, 5.0]]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        """``inputs`` of shape (batch, n_timesteps, channels); Keras passes its mask."""
        return last_real_step(inputs, mask)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

    def compute_mask(self, inputs, mask=None):
        return None
