"""Layers of forecasting networks: reversible per-window normalisation and the target's history.

A forecaster's window may sit at any level: a trending series leaves the
range it was trained on. :class:`WindowNormalization` expresses every window
relative to its own mean and spread (instance normalisation; RevIN is the
published form), and :class:`WindowDenormalization` puts the forecast back
on the window's level. :class:`TargetHistory` hands the target's last steps
to a linear path beside the recurrent one. :class:`HorizonAttention` lets
each step of an encoder–decoder forecast attend over the window, and
:class:`LastRealStep` hands the decoder the encoder's last state. All are
exported by :mod:`attn_sklearn.layers`.
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
from ._masking import MASK_VALUE

HORIZON_SCORES = ("additive", "multiplicative")

# Spread floor, relative to a window's mean absolute value: a constant window
# normalises to zeros instead of dividing by zero, whatever the data's units.
_RELATIVE_FLOOR = 1e-3
_ABSOLUTE_FLOOR = 1e-8


def _real_flags(inputs):
    """``(batch, T, 1)`` float flags: 1 on real steps, 0 where every feature is the marker."""
    is_marker = ops.equal(inputs, ops.cast(MASK_VALUE, inputs.dtype))
    return ops.cast(ops.logical_not(ops.all(is_marker, axis=-1, keepdims=True)), inputs.dtype)


@keras.saving.register_keras_serializable(package="attn_sklearn")
class WindowNormalization(keras.layers.Layer):
    """Express each window relative to its own per-feature mean and spread.

    Over the real steps of each window, feature ``f`` has mean ``m`` and
    standard deviation ``s``; its values become ``(x - m) / s``. Padded steps
    (every feature equal to :data:`~attn_sklearn.MASK_VALUE`) keep the marker,
    so a ``Masking`` layer after this one still skips them. The statistics
    are the second output, for :class:`WindowDenormalization`.

    Parameters
    ----------
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    WindowDenormalization : Puts a forecast back on its window's level.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import WindowNormalization
    >>> x = np.array([[[MASK_VALUE], [10.0], [12.0]]], "float32")
    >>> normalized, stats = WindowNormalization()(x)
    >>> normalized = np.asarray(normalized)[0, :, 0]
    >>> normalized[1:].round(3).tolist(), bool(normalized[0] == MASK_VALUE)
    ([-1.0, 1.0], True)
    >>> np.asarray(stats)[0, :, 0].round(3).tolist()  # mean, spread
    [11.0, 1.0]
    """

    def call(self, inputs):
        """Normalise each window; return ``(normalized, stats)``.

        Parameters
        ----------
        inputs : tensor of shape (batch, n_timesteps, n_features)
            Windows, padded steps marked with ``MASK_VALUE``.

        Returns
        -------
        normalized : tensor of the shape of ``inputs``
        stats : tensor of shape (batch, 2, n_features)
            Each window's mean (row 0) and spread (row 1) per feature.
        """
        real = _real_flags(inputs)
        values = ops.where(real > 0, inputs, ops.zeros_like(inputs))
        count = ops.maximum(ops.sum(real, axis=1, keepdims=True), 1.0)
        mean = ops.sum(values, axis=1, keepdims=True) / count
        centered = (values - mean) * real
        variance = ops.sum(ops.square(centered), axis=1, keepdims=True) / count
        magnitude = ops.sum(ops.abs(values), axis=1, keepdims=True) / count
        floor = _RELATIVE_FLOOR * magnitude + _ABSOLUTE_FLOOR
        scale = ops.sqrt(variance + ops.square(floor))
        normalized = ops.where(real > 0, centered / scale, ops.cast(MASK_VALUE, inputs.dtype))
        return normalized, ops.concatenate([mean, scale], axis=1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape), (input_shape[0], 2, input_shape[-1])


@keras.saving.register_keras_serializable(package="attn_sklearn")
class WindowDenormalization(keras.layers.Layer):
    """Put a forecast made in window-normalised units back on the window's level.

    ``outputs * s + m`` with the mean ``m`` and spread ``s`` of feature
    ``target_feature`` of each window, then standardised with the fitted
    ``target_mean`` and ``target_scale`` (the units the estimator trains in).

    Parameters
    ----------
    target_feature : int, default=0
        Feature of the window whose future the outputs are.
    target_mean, target_scale : list of float or None, default=None
        Per-output standardisation of the result; ``None`` leaves it in the
        window's units.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import WindowDenormalization
    >>> stats = np.array([[[11.0], [2.0]]], "float32")  # mean 11, spread 2
    >>> np.asarray(WindowDenormalization()([np.array([[0.5]], "float32"), stats])).tolist()
    [[12.0]]
    """

    def __init__(self, target_feature=0, *, target_mean=None, target_scale=None, **kwargs):
        super().__init__(**kwargs)
        self.target_feature = int(target_feature)
        self.target_mean = None if target_mean is None else [float(v) for v in target_mean]
        self.target_scale = None if target_scale is None else [float(v) for v in target_scale]

    def call(self, inputs):
        """``inputs = [outputs (batch, n_outputs), stats (batch, 2, n_features)]``."""
        outputs, stats = inputs
        mean = stats[:, 0, self.target_feature : self.target_feature + 1]
        scale = stats[:, 1, self.target_feature : self.target_feature + 1]
        result = outputs * scale + mean
        if self.target_mean is not None:
            target_mean = ops.convert_to_tensor(self.target_mean, dtype=result.dtype)
            target_scale = ops.convert_to_tensor(self.target_scale, dtype=result.dtype)
            result = (result - target_mean) / target_scale
        return result

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        return {
            **super().get_config(),
            "target_feature": self.target_feature,
            "target_mean": self.target_mean,
            "target_scale": self.target_scale,
        }


@keras.saving.register_keras_serializable(package="attn_sklearn")
class FeatureScaling(keras.layers.Layer):
    """``(x - mean) / scale`` per feature with fixed statistics; padded steps keep the marker.

    Puts raw inputs (a DataFrame's columns, in their own units) on a common
    scale inside the network, with statistics fitted on the training data.

    Parameters
    ----------
    mean, scale : list of float
        One value per feature; ``scale`` must be positive.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import FeatureScaling
    >>> x = np.array([[[MASK_VALUE, MASK_VALUE], [12.0, 1.0]]], "float32")
    >>> scaled = np.asarray(FeatureScaling(mean=[10.0, 0.0], scale=[2.0, 1.0])(x))
    >>> scaled[0, 1].tolist(), bool(scaled[0, 0, 0] == MASK_VALUE)
    ([1.0, 1.0], True)
    """

    def __init__(self, mean, *, scale, **kwargs):
        super().__init__(**kwargs)
        self.mean = [float(v) for v in mean]
        self.scale = [float(v) for v in scale]

    def call(self, inputs):
        """``(batch, n_timesteps, n_features)`` in and out."""
        mean = ops.convert_to_tensor(self.mean, dtype=inputs.dtype)
        scale = ops.convert_to_tensor(self.scale, dtype=inputs.dtype)
        return ops.where(_real_flags(inputs) > 0, (inputs - mean) / scale, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "scale": self.scale}


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
        real = _real_flags(inputs)[:, -self.window :, 0]
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
