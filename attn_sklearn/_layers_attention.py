"""Attention pooling and masked self-attention, exported by :mod:`attn_sklearn.layers`."""

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

POOLING_SCORES = ("additive", "multiplicative", "linear")

SELF_ATTENTION_SCORES = ("multiplicative", "additive")


def _is_pair(inputs):
    # A shape is a tuple of ints too: a pair is a sequence of two shapes or tensors.
    return (
        isinstance(inputs, list | tuple)
        and len(inputs) == 2
        and not isinstance(inputs[0], int | type(None))
    )


def _values(inputs):
    """What is pooled: the sequence itself, or the first of ``[values, keys]``."""
    return inputs[0] if _is_pair(inputs) else inputs


def _keys(inputs):
    """What is scored: the sequence itself, or the second of ``[values, keys]``."""
    return inputs[1] if _is_pair(inputs) else inputs


@keras.saving.register_keras_serializable(package="attn_sklearn")
class AttentionPooling(AttentionLayer):
    """Pool a sequence into one vector with learned per-step attention.

    Each step ``h_t`` gets a score, the scores are normalised with a softmax
    over the real (unmasked) steps, and the output is the weighted sum
    ``sum_t a_t h_t``. Padded steps receive exactly zero weight, so a
    sequence's result does not depend on how much padding it carries.

    Called on a pair ``[values, keys]`` (same batch and time axes), the
    scores come from ``keys`` and the weighted sum from ``values``: the
    estimators score steps from a per-step encoding of their inputs while
    pooling the LSTM states, so that the weights point at the steps whose own
    content matters.

    Parameters
    ----------
    score_mode : {"additive", "multiplicative", "linear"}, default="additive"
        How a step is scored: ``"additive"`` is the additive score of Bahdanau
        et al., ``v . tanh(W h_t + b)``; ``"multiplicative"`` is Luong's
        general score, ``h_t . W q / sqrt(d)``, with the query ``q`` the last
        real step; ``"linear"`` is the single linear score of the next-step
        sine forecaster, ``w . h_t + b``.
    units : int, default=None
        Width of the hidden scoring layer of ``"additive"``; ``None`` uses the
        input width.
    entropy_penalty : float, default=0.0
        Adds ``entropy_penalty`` times the mean normalised entropy of the
        weights (0 when a sequence's weight is on one step, 1 when it is spread
        evenly over its real steps) to the model's loss, which pushes the
        weights to concentrate on few steps. 0 adds nothing.
    kernel_initializer : str, dict or keras.initializers.Initializer, default="glorot_uniform"
        Initializer of the weight matrices. Each weight draws from its own
        copy; a seeded initializer gives each a distinct, fixed seed.
    bias_initializer : str, dict or keras.initializers.Initializer, default="zeros"
        Initializer of the biases.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    SequenceSelfAttention : Attention of every step to the others, keeping the time axis.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import AttentionPooling
    >>> layer = AttentionPooling(score_mode="linear")
    >>> x = np.ones((2, 5, 3), "float32")
    >>> context, scores = layer(x, return_attention_scores=True)
    >>> tuple(context.shape), tuple(scores.shape)
    ((2, 3), (2, 5))
    >>> layer.compute_output_shape((2, 5, 3), return_attention_scores=True)
    ((2, 3), (2, 5))
    >>> keys = np.ones((2, 5, 4), "float32")
    >>> pair = AttentionPooling(score_mode="linear")
    >>> tuple(pair([x, keys]).shape)  # scored from keys, pooled from x
    (2, 3)
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
        self.score_mode = check_choice("score_mode", score_mode, POOLING_SCORES)
        self.units = check_positive_int("units", units)
        self.entropy_penalty = check_non_negative("entropy_penalty", entropy_penalty)

    def build(self, input_shape):
        channels = _keys(input_shape)[-1]
        hidden = self.units or channels
        kernel, bias = self.kernel_initializer, self.bias_initializer
        # One fixed seed offset per weight. The kernels' (1, 2, ... in creation order) are
        # those of the former per-layer seed counter: seeded networks start as before.
        if self.score_mode == "additive":
            self.w_hidden = self._add_weight("w_hidden", (channels, hidden), kernel, 1)
            self.b_hidden = self._add_weight("b_hidden", (hidden,), bias, 3)
            self.v = self._add_weight("v", (hidden, 1), kernel, 2)
        elif self.score_mode == "multiplicative":
            self.w_query = self._add_weight("w_query", (channels, channels), kernel, 1)
        else:
            self.v = self._add_weight("v", (channels, 1), kernel, 1)
            self.b = self._add_weight("b", (1,), bias, 2)

    def _scores(self, inputs, mask):
        if self.score_mode == "additive":
            hidden = ops.tanh(ops.matmul(inputs, self.w_hidden) + self.b_hidden)
            return ops.squeeze(ops.matmul(hidden, self.v), axis=-1)
        if self.score_mode == "linear":
            return ops.squeeze(ops.matmul(inputs, self.v), axis=-1) + self.b
        query = ops.matmul(last_real_step(inputs, mask), self.w_query)
        scale = ops.sqrt(ops.cast(ops.shape(inputs)[-1], inputs.dtype))
        return ops.einsum("btd,bd->bt", inputs, query) / scale

    def call(self, inputs, mask=None, return_attention_scores=False):
        """Pool ``inputs`` over time.

        Parameters
        ----------
        inputs : tensor of shape (batch, n_timesteps, n_channels), or a pair of them
            The sequence, or ``[values, keys]``: pool ``values``, score ``keys``.
        mask : bool tensor of shape (batch, n_timesteps), optional
            ``True`` at real steps; Keras passes the mask of ``inputs`` (of
            ``values`` for a pair).
        return_attention_scores : bool, default=False
            Also return the attention weights.

        Returns
        -------
        context : tensor of shape (batch, n_channels)
            The attention-weighted sum of the steps.
        scores : tensor of shape (batch, n_timesteps)
            The weights (after masking and softmax), only with
            ``return_attention_scores=True``.
        """
        values, keys = _values(inputs), _keys(inputs)
        if isinstance(mask, list | tuple):  # a pair's masks: the values', else the keys'
            mask = mask[0] if mask[0] is not None else mask[1]
        weights = masked_softmax(self._scores(keys, mask), mask)
        if self.entropy_penalty:
            self.add_loss(self.entropy_penalty * ops.mean(normalised_entropy(weights, mask)))
        context = ops.einsum("bt,btd->bd", weights, values)
        if return_attention_scores:
            return context, weights
        return context

    def compute_output_shape(self, input_shape, return_attention_scores=False):
        values = _values(input_shape)
        context = (values[0], values[-1])
        if return_attention_scores:
            return context, (values[0], values[1])
        return context

    def compute_mask(self, inputs, mask=None):
        # Time is pooled away, so no mask travels further.
        return None

    def get_config(self):
        return {
            **super().get_config(),
            "score_mode": self.score_mode,
            "units": self.units,
            "entropy_penalty": self.entropy_penalty,
        }


@keras.saving.register_keras_serializable(package="attn_sklearn")
class SequenceSelfAttention(AttentionLayer):
    """Masked (multi-head) self-attention over a sequence.

    Every step attends to the other real steps of its sequence; the output has
    the input's shape, so it can be added back (a residual connection) and
    pooled. It rebuilds the useful options of keras-self-attention's
    ``SeqSelfAttention`` (additive or multiplicative scores, a local
    ``attention_width``, history only) and multi-head attention, with three
    guarantees that neither that library nor Keras' ``MultiHeadAttention``
    with ``return_attention_scores`` gives together: padded keys get exactly
    zero weight, the causal and local masks are honoured while the scores are
    returned, and a sequence's result does not depend on how much padding it
    carries.

    Parameters
    ----------
    num_heads : int, default=1
        Number of attention heads.
    key_dim : int, default=None
        Size of each head's queries, keys and values; ``None`` uses
        ``n_channels // num_heads`` (at least 1).
    score_mode : {"multiplicative", "additive"}, default="multiplicative"
        ``q_t . k_s / sqrt(key_dim)`` (scaled dot product) or
        ``v . tanh(q_t + k_s + b)`` (additive).
    attention_width : int, default=None
        Attend only to steps at most ``attention_width // 2`` away (or, when
        ``causal``, to the last ``attention_width`` steps up to and including
        the query). ``None`` attends to the whole sequence.
    causal : bool, default=False
        Attend only to the query step and earlier ones (history only).
    kernel_initializer : str, dict or keras.initializers.Initializer, default="glorot_uniform"
        Initializer of the projections and of the additive score vector. Each
        weight draws from its own copy; a seeded initializer gives each a
        distinct, fixed seed.
    bias_initializer : str, dict or keras.initializers.Initializer, default="zeros"
        Initializer of the biases.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    AttentionPooling : Attention that pools the sequence into one vector.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import SequenceSelfAttention
    >>> layer = SequenceSelfAttention(num_heads=2, causal=True)
    >>> outputs, scores = layer(np.ones((1, 4, 6), "float32"), return_attention_scores=True)
    >>> tuple(outputs.shape), tuple(scores.shape)
    ((1, 4, 6), (1, 2, 4, 4))
    >>> float(np.asarray(scores)[0, 0, 0, 1])  # the first step cannot see the second
    0.0
    """

    def __init__(
        self,
        num_heads=1,
        *,
        key_dim=None,
        score_mode="multiplicative",
        attention_width=None,
        causal=False,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer, **kwargs
        )
        self.num_heads = check_positive_int("num_heads", num_heads, allow_none=False)
        self.key_dim = check_positive_int("key_dim", key_dim)
        self.score_mode = check_choice("score_mode", score_mode, SELF_ATTENTION_SCORES)
        self.attention_width = check_positive_int("attention_width", attention_width)
        self.causal = bool(causal)

    def build(self, input_shape):
        channels = input_shape[-1]
        heads, size = self.num_heads, self.key_dim or max(1, channels // self.num_heads)
        kernel, bias = self.kernel_initializer, self.bias_initializer
        # One fixed seed offset per weight. The kernels' (1, 2, ... in creation order) are
        # those of the former per-layer seed counter: seeded networks start as before.
        self.w_query = self._add_weight("w_query", (channels, heads, size), kernel, 1)
        self.w_key = self._add_weight("w_key", (channels, heads, size), kernel, 2)
        self.w_value = self._add_weight("w_value", (channels, heads, size), kernel, 3)
        self.w_output = self._add_weight("w_output", (heads, size, channels), kernel, 4)
        self.b_output = self._add_weight("b_output", (channels,), bias, 6)
        if self.score_mode == "additive":
            self.b_score = self._add_weight("b_score", (heads, size), bias, 7)
            self.v_score = self._add_weight("v_score", (heads, size), kernel, 5)

    def _allowed(self, n_steps, mask):
        """Boolean (batch or 1, 1, query, key): which keys each query may attend to."""
        positions = ops.arange(n_steps, dtype="int32")
        offset = positions[:, None] - positions[None, :]  # query minus key
        allowed = ops.ones((n_steps, n_steps), dtype="bool")
        if self.causal:
            allowed = ops.logical_and(allowed, offset >= 0)
        if self.attention_width is not None:
            if self.causal:
                near = offset < self.attention_width
            else:
                near = ops.abs(offset) <= self.attention_width // 2
            allowed = ops.logical_and(allowed, near)
        allowed = allowed[None, None, :, :]
        if mask is not None:
            allowed = ops.logical_and(allowed, ops.cast(mask, "bool")[:, None, None, :])
        return allowed

    def call(self, inputs, mask=None, return_attention_scores=False):
        """Attend from every step of ``inputs`` to the steps it may see.

        Parameters
        ----------
        inputs, mask, return_attention_scores
            As for :meth:`AttentionPooling.call`; ``inputs`` serves as queries,
            keys and values.

        Returns
        -------
        outputs : tensor of shape (batch, n_timesteps, n_channels)
            The attended sequence; it keeps the mask of ``inputs``.
        scores : tensor of shape (batch, num_heads, n_timesteps, n_timesteps)
            The weights (after masking and softmax), rows indexed by query
            step, only with ``return_attention_scores=True``.
        """
        query = ops.einsum("btd,dhk->bhtk", inputs, self.w_query)
        key = ops.einsum("btd,dhk->bhtk", inputs, self.w_key)
        value = ops.einsum("btd,dhk->bhtk", inputs, self.w_value)
        if self.score_mode == "multiplicative":
            size = ops.cast(ops.shape(query)[-1], inputs.dtype)
            scores = ops.einsum("bhtk,bhsk->bhts", query, key) / ops.sqrt(size)
        else:
            hidden = ops.tanh(
                query[:, :, :, None, :]
                + key[:, :, None, :, :]
                + self.b_score[None, :, None, None, :]
            )
            scores = ops.einsum("bhtsk,hk->bhts", hidden, self.v_score)
        weights = masked_softmax(scores, self._allowed(ops.shape(inputs)[1], mask))
        attended = ops.einsum("bhts,bhsk->bhtk", weights, value)
        outputs = ops.einsum("bhtk,hkd->btd", attended, self.w_output) + self.b_output
        if return_attention_scores:
            return outputs, weights
        return outputs

    def compute_output_shape(self, input_shape, return_attention_scores=False):
        outputs = tuple(input_shape)
        if return_attention_scores:
            batch, n_steps = input_shape[0], input_shape[1]
            return outputs, (batch, self.num_heads, n_steps, n_steps)
        return outputs

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "score_mode": self.score_mode,
            "attention_width": self.attention_width,
            "causal": self.causal,
        }
