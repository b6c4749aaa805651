"""Keras layers used by the estimators, written with ``keras.ops`` only.

Every layer is registered under the ``attn_sklearn`` package so models that
contain it pickle, save to ``.keras`` and load under Keras' safe mode without
``custom_objects``.
"""

import numbers

import keras
from keras import ops

_SCORES = ("additive", "multiplicative", "linear")
_SELF_SCORES = ("multiplicative", "additive")


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


def _is_positive_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


def _glorot(layer):
    """A Glorot initialiser seeded from ``layer.seed`` and a per-layer counter."""
    if layer.seed is None:
        return "glorot_uniform"
    layer._n_seeded = getattr(layer, "_n_seeded", 0) + 1
    return keras.initializers.GlorotUniform(seed=layer.seed + layer._n_seeded)


def last_real_step(inputs, mask=None):
    """The output at each sequence's last real step, shape (batch, n_channels).

    With post-padding that is not the last position, so it is found from the
    mask rather than by indexing ``inputs[:, -1]``.
    """
    n_steps = ops.shape(inputs)[1]
    positions = ops.arange(n_steps, dtype="int32")
    if mask is None:
        last = ops.full((ops.shape(inputs)[0],), n_steps - 1, dtype="int32")
    else:
        last = ops.max(ops.where(mask, positions[None, :], 0), axis=1)
    pick = ops.cast(ops.equal(positions[None, :], last[:, None]), inputs.dtype)
    return ops.einsum("bt,btd->bd", pick, inputs)


@keras.saving.register_keras_serializable(package="attn_sklearn")
class AttentionPooling(keras.layers.Layer):
    """Pool a sequence into one vector with learned per-step attention.

    Each step ``h_t`` gets a score, the scores are normalised with a
    softmax over the real (unmasked) steps, and the output is the weighted sum
    ``sum_t a_t h_t``. Padded steps receive exactly zero weight.

    Parameters
    ----------
    score : {"additive", "multiplicative", "linear"}, default="additive"
        How a step is scored. ``"additive"`` (Bahdanau, seed 003):
        ``v . tanh(W h_t + b)``; ``"multiplicative"`` (Luong's general
        score): ``h_t . W q / sqrt(d)`` with the query ``q`` the last real step;
        ``"linear"`` (seed 001): ``w . h_t + b``.
    units : int, default=None
        Width of the hidden scoring layer for ``"additive"``; ``None`` uses
        the input width.
    seed : int, default=None
        Seed of the weight initialisers (each weight gets its own).
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

    def __init__(self, score="additive", units=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score not in _SCORES:
            raise ValueError(
                f"Expected score to be one of {set(_SCORES)}. Received: score={score!r}"
            )
        if units is not None and (not _is_positive_int(units)):
            raise ValueError(
                f"Expected units to be a positive integer or None. Received: units={units!r}"
            )
        self.score = score
        self.units = None if units is None else int(units)
        self.seed = seed
        self.supports_masking = True

    def build(self, input_shape):
        channels = input_shape[-1]
        hidden = self.units or channels
        if self.score == "additive":
            self.w_hidden = self.add_weight(
                name="w_hidden", shape=(channels, hidden), initializer=_glorot(self)
            )
            self.b_hidden = self.add_weight(name="b_hidden", shape=(hidden,), initializer="zeros")
            self.v = self.add_weight(name="v", shape=(hidden, 1), initializer=_glorot(self))
        elif self.score == "multiplicative":
            self.w_query = self.add_weight(
                name="w_query", shape=(channels, channels), initializer=_glorot(self)
            )
        else:
            self.v = self.add_weight(name="v", shape=(channels, 1), initializer=_glorot(self))
            self.b = self.add_weight(name="b", shape=(1,), initializer="zeros")

    def _scores(self, inputs, mask):
        if self.score == "additive":
            hidden = ops.tanh(ops.matmul(inputs, self.w_hidden) + self.b_hidden)
            return ops.squeeze(ops.matmul(hidden, self.v), axis=-1)
        if self.score == "linear":
            return ops.squeeze(ops.matmul(inputs, self.v), axis=-1) + self.b
        query = ops.matmul(last_real_step(inputs, mask), self.w_query)
        scale = ops.sqrt(ops.cast(ops.shape(inputs)[-1], inputs.dtype))
        return ops.einsum("btd,bd->bt", inputs, query) / scale

    def call(self, inputs, mask=None, return_attention=False):
        weights = masked_softmax(self._scores(inputs, mask), mask)
        context = ops.einsum("bt,btd->bd", weights, inputs)
        if return_attention:
            return context, weights
        return context

    def compute_mask(self, inputs, mask=None):
        # Time is pooled away, so no mask travels further.
        return None

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units, "seed": self.seed}


@keras.saving.register_keras_serializable(package="attn_sklearn")
class SequenceSelfAttention(keras.layers.Layer):
    """Masked (multi-head) self-attention over a sequence, for Keras 3.

    Every step attends to the other real steps of its sequence; the output has
    the input's shape, so it can be added back (``residual``) and pooled. It
    rebuilds the useful options of keras-self-attention's ``SeqSelfAttention``
    (additive or multiplicative scores, a local ``attention_width``, history
    only) and multi-head attention, with three guarantees that neither that
    library nor Keras' ``MultiHeadAttention`` with ``return_attention_scores``
    gives together: padded keys get exactly zero weight, the causal and local
    masks are honoured while the scores are returned, and a sequence's result
    does not depend on how much padding it carries.

    Parameters
    ----------
    n_heads : int, default=1
        Number of attention heads.
    key_dim : int, default=None
        Size of each head's queries, keys and values; ``None`` uses
        ``n_channels // n_heads`` (at least 1).
    score : {"multiplicative", "additive"}, default="multiplicative"
        ``q_t . k_s / sqrt(key_dim)`` or ``v . tanh(q_t + k_s + b)``.
    attention_width : int, default=None
        Attend only to steps at most ``attention_width // 2`` away (or, when
        ``causal``, to the last ``attention_width`` steps up to and including
        the query). ``None`` attends to the whole sequence.
    causal : bool, default=False
        Attend only to the query step and earlier ones (history only).
    seed : int, default=None
        Seed of the weight initialisers (each weight gets its own).
    **kwargs
        Standard layer keyword arguments.

    Call arguments
    --------------
    inputs : tensor of shape (batch, n_timesteps, n_channels)
    mask : bool tensor of shape (batch, n_timesteps), optional
    return_attention : bool, default=False
        Also return the weights, of shape (batch, n_heads, n_timesteps, n_timesteps),
        rows indexed by query step.

    Examples
    --------
    >>> import numpy as np
    >>> layer = SequenceSelfAttention(n_heads=2, causal=True)
    >>> out, weights = layer(np.ones((1, 4, 6), "float32"), return_attention=True)
    >>> tuple(out.shape), tuple(weights.shape)
    ((1, 4, 6), (1, 2, 4, 4))
    >>> float(np.asarray(weights)[0, 0, 0, 1])  # the first step cannot see the second
    0.0
    """

    def __init__(
        self,
        n_heads=1,
        key_dim=None,
        score="multiplicative",
        attention_width=None,
        causal=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("n_heads", n_heads),
            ("key_dim", key_dim),
            ("attention_width", attention_width),
        ):
            if value is not None and not _is_positive_int(value):
                raise ValueError(
                    f"Expected {name} to be a positive integer. Received: {name}={value!r}"
                )
        if score not in _SELF_SCORES:
            raise ValueError(
                f"Expected score to be one of {set(_SELF_SCORES)}. Received: score={score!r}"
            )
        self.n_heads = int(n_heads)
        self.key_dim = None if key_dim is None else int(key_dim)
        self.score = score
        self.attention_width = None if attention_width is None else int(attention_width)
        self.causal = bool(causal)
        self.seed = seed
        self.supports_masking = True

    def build(self, input_shape):
        channels = input_shape[-1]
        heads, size = self.n_heads, self.key_dim or max(1, channels // self.n_heads)
        for name in ("w_query", "w_key", "w_value"):
            setattr(
                self,
                name,
                self.add_weight(
                    name=name, shape=(channels, heads, size), initializer=_glorot(self)
                ),
            )
        self.w_output = self.add_weight(
            name="w_output", shape=(heads, size, channels), initializer=_glorot(self)
        )
        self.b_output = self.add_weight(name="b_output", shape=(channels,), initializer="zeros")
        if self.score == "additive":
            self.b_score = self.add_weight(name="b_score", shape=(heads, size), initializer="zeros")
            self.v_score = self.add_weight(
                name="v_score", shape=(heads, size), initializer=_glorot(self)
            )

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

    def call(self, inputs, mask=None, return_attention=False):
        query = ops.einsum("btd,dhk->bhtk", inputs, self.w_query)
        key = ops.einsum("btd,dhk->bhtk", inputs, self.w_key)
        value = ops.einsum("btd,dhk->bhtk", inputs, self.w_value)
        if self.score == "multiplicative":
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
        if return_attention:
            return outputs, weights
        return outputs

    def compute_mask(self, inputs, mask=None):
        return mask

    def get_config(self):
        return {
            **super().get_config(),
            "n_heads": self.n_heads,
            "key_dim": self.key_dim,
            "score": self.score,
            "attention_width": self.attention_width,
            "causal": self.causal,
            "seed": self.seed,
        }
