"""Tensor helpers and the shared base of the attention layers of :mod:`attn_sklearn.layers`."""

import numbers

import keras
from keras import ops


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
    >>> from attn_sklearn.layers import masked_softmax
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


def last_real_step(inputs, mask=None):
    """The output at each sequence's last real step.

    With post-padding that is not the last position, so it is found from the
    mask rather than by indexing ``inputs[:, -1]``.

    Parameters
    ----------
    inputs : tensor of shape (batch, n_timesteps, n_channels)
        A sequence per row.
    mask : bool tensor of shape (batch, n_timesteps), optional
        ``True`` at real steps; ``None`` takes the last position.

    Returns
    -------
    last : tensor of shape (batch, n_channels)
        ``inputs`` at each row's last real step.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import last_real_step
    >>> x = np.arange(6, dtype="float32").reshape(1, 3, 2)
    >>> np.asarray(last_real_step(x, np.array([[True, True, False]]))).tolist()
    [[2.0, 3.0]]
    """
    n_steps = ops.shape(inputs)[1]
    positions = ops.arange(n_steps, dtype="int32")
    if mask is None:
        last = ops.full((ops.shape(inputs)[0],), n_steps - 1, dtype="int32")
    else:
        last = ops.max(ops.where(mask, positions[None, :], 0), axis=1)
    pick = ops.cast(ops.equal(positions[None, :], last[:, None]), inputs.dtype)
    return ops.einsum("bt,btd->bd", pick, inputs)


def check_positive_int(name, value, allow_none=True):
    """Raise Keras' style of error unless ``value`` is a positive integer (or ``None``)."""
    if value is None and allow_none:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1:
        return int(value)
    kind = "a positive integer or None" if allow_none else "a positive integer"
    raise ValueError(f"Expected {name} to be {kind}. Received: {name}={value!r}")


def check_non_negative(name, value):
    """Raise Keras' style of error unless ``value`` is a finite real number >= 0."""
    is_real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if is_real and 0 <= value < float("inf"):
        return float(value)
    raise ValueError(f"Expected {name} to be a finite number >= 0. Received: {name}={value!r}")


def normalised_entropy(weights, mask=None):
    """Entropy of each row of attention ``weights`` over its real steps, over its maximum.

    0 when a row puts all its weight on one step, 1 when it spreads it evenly
    over its real steps, whatever their number; a row with one real step scores 0.
    ``mask`` is ``True`` at real steps (all steps are real when it is ``None``).
    """
    safe = ops.maximum(weights, 1e-12)
    entropy = -ops.sum(ops.where(weights > 0, weights * ops.log(safe), 0 * weights), axis=-1)
    if mask is None:
        n_real = ops.cast(ops.shape(weights)[-1], weights.dtype) + 0 * entropy
    else:
        n_real = ops.sum(ops.cast(mask, weights.dtype), axis=-1)
    return entropy / ops.log(ops.maximum(n_real, 2.0))


def check_choice(name, value, choices):
    """Raise Keras' style of error unless ``value`` is one of ``choices``."""
    if value not in choices:
        # Listed in a fixed order: a set's repr depends on the string hash seed.
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"Expected {name} to be one of {{{listed}}}. Received: {name}={value!r}")
    return value


def weight_initializer(initializer, offset):
    """A copy of ``initializer`` for one weight, its integer seed (if any) moved by ``offset``.

    A seeded initializer draws the same numbers for the same shape on every
    call, so weights sharing it would start equal (the queries, keys and
    values of self-attention, say). Each weight therefore gets a copy whose
    seed is shifted by a fixed per-weight ``offset``: deterministic, distinct
    per weight, and the layer's own initializer is never modified. An unseeded
    copy draws its own seed, as ``add_weight(initializer="glorot_uniform")``
    does; an initializer seeded with a ``keras.random.SeedGenerator`` is
    shared, since the generator advances on each draw.
    """
    if not isinstance(initializer, keras.initializers.Initializer):
        return initializer  # a plain function of (shape, dtype)
    config = initializer.get_config()
    seed = config.get("seed")
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        config["seed"] = int(seed) + offset
    elif seed is not None:
        return initializer
    return initializer.__class__.from_config(config)


class AttentionLayer(keras.layers.Layer):
    """Initializers, masking support and serialisation shared by the attention layers.

    Subclasses call :meth:`_add_weight` with a fixed offset per weight (see
    :func:`weight_initializer`) and list their own arguments in ``get_config``.
    """

    def __init__(self, *, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.supports_masking = True

    def _add_weight(self, name, shape, initializer, offset):
        return self.add_weight(
            name=name, shape=shape, initializer=weight_initializer(initializer, offset)
        )

    def __call__(self, *args, **kwargs):
        # Models saved before the Keras-style names record the call argument as it was.
        if "return_attention" in kwargs:
            kwargs["return_attention_scores"] = kwargs.pop("return_attention")
        return super().__call__(*args, **kwargs)

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False):
        shape = [x.shape for x in inputs] if isinstance(inputs, list | tuple) else inputs.shape
        shapes = self.compute_output_shape(shape, return_attention_scores)
        if return_attention_scores:
            return tuple(keras.KerasTensor(s, dtype=self.compute_dtype) for s in shapes)
        return keras.KerasTensor(shapes, dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # Configs saved before the Keras-style names: old argument names, and ``seed``,
        # whose weights were drawn from GlorotUniform(seed + 1), GlorotUniform(seed + 2), ...
        for old, new in (("score", "score_mode"), ("n_heads", "num_heads")):
            if old in config:
                config.setdefault(new, config.pop(old))
        seed = config.pop("seed", None)
        if seed is not None:
            config.setdefault("kernel_initializer", keras.initializers.GlorotUniform(seed))
        return super().from_config(config)
