"""The network of :class:`~attn_sklearn.MultimodalAttentionClassifier` (seed 000's).

Each modality (say a sequence of images and a sequence of ``(hours,
w_features)`` tables) is encoded per time step, the encodings are concatenated
step by step, and the fused sequence goes through the shared LSTM + attention
trunk of :mod:`attn_sklearn._architectures`. The two layers here are
registered, so saved models load without custom objects.
"""

import math

import keras
from keras import ops

from ._architectures import SeedStream, compile_head, sequence_trunk
from ._masking import MASK_VALUE

__all__ = [
    "ENCODERS",
    "ModalityFusion",
    "ModalityPadding",
    "build_multimodal_attention_lstm",
]

ENCODERS = ("flatten", "conv")


# ------------------------------------------------------------------------------- layers
@keras.saving.register_keras_serializable(package="attn_sklearn")
class ModalityPadding(keras.layers.Layer):
    """Split one raw modality into padding-free values and per-step "real" flags.

    A step of the modality is padding when all its values equal
    :data:`~attn_sklearn.MASK_VALUE`. The marker (``-2**100``) must never
    reach a weight: it is replaced by 0 so that encoders (a convolution, say)
    see only ordinary numbers, and the flags tell :class:`ModalityFusion`
    which steps were real.

    Call arguments
    --------------
    inputs : tensor of shape (batch, n_timesteps, ...)

    Returns
    -------
    values : tensor of the shape of ``inputs``
        ``inputs`` with every ``MASK_VALUE`` replaced by 0.
    real : tensor of shape (batch, n_timesteps)
        1.0 where the step holds a real observation, 0.0 on padding.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> x = np.array([[[1.0, 2.0], [MASK_VALUE, MASK_VALUE]]], "float32")
    >>> values, real = ModalityPadding()(x)
    >>> np.asarray(values).tolist(), np.asarray(real).tolist()
    ([[[1.0, 2.0], [0.0, 0.0]]], [[1.0, 0.0]])
    """

    def call(self, inputs):
        is_marker = ops.equal(inputs, ops.cast(MASK_VALUE, inputs.dtype))
        step_axes = tuple(range(2, len(inputs.shape)))
        real = ops.logical_not(ops.all(is_marker, axis=step_axes))
        values = ops.where(is_marker, ops.cast(0.0, inputs.dtype), inputs)
        return values, ops.cast(real, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape), tuple(input_shape[:2])


@keras.saving.register_keras_serializable(package="attn_sklearn")
class ModalityFusion(keras.layers.Layer):
    """Concatenate per-step modality encodings, masking a step only when all are padding.

    A modality that is padding at a step where another modality is real
    contributes zeros there (not its encoding of the zero-filled input); a
    step is masked, for every layer after this one, only when every modality
    is padding.

    Call arguments
    --------------
    inputs : list of 2 * n_modalities tensors
        The encodings, each of shape (batch, n_timesteps, d_m), followed by
        the matching real flags of :class:`ModalityPadding`, each of shape
        (batch, n_timesteps).

    Returns
    -------
    fused : tensor of shape (batch, n_timesteps, sum of d_m)
        With a Keras mask of shape (batch, n_timesteps): ``True`` where any
        modality is real.

    Examples
    --------
    >>> import numpy as np
    >>> a, b = np.ones((1, 3, 2), "float32"), np.ones((1, 3, 1), "float32")
    >>> real_a = np.array([[1.0, 0.0, 0.0]], "float32")
    >>> real_b = np.array([[1.0, 1.0, 0.0]], "float32")
    >>> layer = ModalityFusion()
    >>> np.asarray(layer([a, b, real_a, real_b]))[0].tolist()
    [[1.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    >>> np.asarray(layer.compute_mask([a, b, real_a, real_b])).tolist()
    [[True, True, False]]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    @staticmethod
    def _split(inputs):
        if not isinstance(inputs, list | tuple) or len(inputs) < 2 or len(inputs) % 2:
            size = len(inputs) if isinstance(inputs, list | tuple) else 1
            raise ValueError(
                "Expected a list of n encodings followed by their n real flags. Received: "
                f"{type(inputs).__name__} of length {size}"
            )
        n = len(inputs) // 2
        return list(inputs[:n]), list(inputs[n:])

    def call(self, inputs):
        encodings, flags = self._split(inputs)
        parts = [
            ops.where(ops.expand_dims(real, -1) > 0, encoded, ops.zeros_like(encoded))
            for encoded, real in zip(encodings, flags, strict=True)
        ]
        return ops.concatenate(parts, axis=-1) if len(parts) > 1 else parts[0]

    def compute_mask(self, inputs, mask=None):
        _, flags = self._split(inputs)
        return ops.any(ops.stack([real > 0 for real in flags], axis=-1), axis=-1)

    def compute_output_shape(self, input_shape):
        encodings, _ = self._split(input_shape)
        widths = [shape[-1] for shape in encodings]
        width = None if any(w is None for w in widths) else sum(widths)
        return (*encodings[0][:2], width)


# ---------------------------------------------------------------------------- network
def _flatten_encoder(x, name, step_shape):
    """Seed 000's ``TimeDistributed(Flatten())``, as a reshape (no per-step loop)."""
    if len(step_shape) == 1:
        return x
    return keras.layers.Reshape((-1, math.prod(step_shape)), name=f"flatten_{name}")(x)


def _conv_encoder(x, name, step_shape, filters, seeds):
    """Small per-frame CNN for ``(H, W, C)`` steps: Conv -> MaxPool -> Conv ... -> global mean.

    Written with 3-D layers whose kernels span one time step, ``(1, k, k)``:
    each frame is convolved on its own, exactly as ``TimeDistributed(Conv2D)``
    would, without a per-step loop. (Keras 3.15's ``TimeDistributed`` maps
    over the batch size instead of the time steps when the number of steps is
    not fixed, so it cannot serve a length-agnostic network.)
    """
    height, width = step_shape[:2]
    for i, n_filters in enumerate(filters):
        if i > 0:
            x = keras.layers.MaxPooling3D((1, 2, 2), padding="same", name=f"pool{i}_{name}")(x)
            height, width = -(-height // 2), -(-width // 2)
        x = keras.layers.Conv3D(
            n_filters,
            (1, 3, 3),
            padding="same",
            activation="relu",
            kernel_initializer=seeds.initializer(),
            name=f"conv{i}_{name}",
        )(x)
    x = keras.layers.AveragePooling3D((1, height, width), name=f"global_pool_{name}")(x)
    return keras.layers.Reshape((-1, filters[-1]), name=f"features_{name}")(x)


def build_multimodal_attention_lstm(
    *,
    modalities,
    encoders,
    conv_filters,
    n_outputs,
    spec,
    output_activation,
    loss,
    learning_rate,
    seed=None,
):
    """Build and compile seed 000's multimodal network.

    ``ModalityPadding`` (per modality) -> per-step encoder (flatten or small
    CNN) -> ``ModalityFusion`` (concatenate; mask a step only when every
    modality is padding) -> the shared trunk (:func:`sequence_trunk`) ->
    ``Dense``.

    Parameters
    ----------
    modalities : dict of str to tuple of int
        Per-step shape of each modality, in input order.
    encoders : dict of str to {"flatten", "conv"}
        Encoder of each modality; ``"conv"`` needs a per-step shape ``(H, W, C)``.
    conv_filters : sequence of int
        Filters of the convolutions of the ``"conv"`` encoder.
    n_outputs, spec, output_activation, loss, learning_rate, seed
        As for :func:`~attn_sklearn._architectures.build_attention_lstm`.

    Returns
    -------
    model : keras.Model
        Compiled model whose inputs are a dict keyed by modality name (each
        ``keras.Input`` carries that name).
    """
    seeds = SeedStream(seed)
    inputs, encodings, flags = {}, [], []
    for name, step_shape in modalities.items():
        step_shape = tuple(int(d) for d in step_shape)
        inputs[name] = keras.Input(shape=(None, *step_shape), name=name)
        values, real = ModalityPadding(name=f"padding_{name}")(inputs[name])
        if encoders[name] == "conv":
            encoded = _conv_encoder(values, name, step_shape, conv_filters, seeds)
        else:
            encoded = _flatten_encoder(values, name, step_shape)
        encodings.append(encoded)
        flags.append(real)
    fused = ModalityFusion(name="modality_fusion")([*encodings, *flags])
    context = sequence_trunk(fused, spec, seeds)
    try:
        return compile_head(
            inputs,
            context,
            n_outputs=n_outputs,
            output_activation=output_activation,
            loss=loss,
            learning_rate=learning_rate,
            name="multimodal_attention_lstm",
            seeds=seeds,
        )
    except ValueError as exc:
        # Keras: 'The name "output" is used 2 times in the model ...'
        clash = [name for name in modalities if f'name "{name}" is used' in str(exc)]
        if clash:
            raise ValueError(
                f"Modality name {clash[0]!r} is also the name of a layer of the network; "
                "rename the modality."
            ) from exc
        raise
