"""The network of :class:`~attn_sklearn.MultimodalAttentionClassifier`.

It classifies sequences of images observed together with per-step feature
tables. Each modality (say a sequence of images and a sequence of ``(hours,
w_features)`` tables) is encoded per time step, the encodings are
concatenated step by step, and the fused sequence goes through the shared
LSTM + attention trunk of :mod:`attn_sklearn._architectures`. The padding
layers it uses, :class:`~attn_sklearn.layers.ModalityPadding` and
:class:`~attn_sklearn.layers.ModalityFusion`, live in :mod:`attn_sklearn.layers`.
"""

import math

import keras

from ._architectures import SeedStream, compile_head, sequence_trunk
from .layers import ModalityFusion, ModalityPadding

__all__ = ["ENCODERS", "build_multimodal_attention_lstm"]

ENCODERS = ("flatten", "conv")


def _flatten_encoder(x, name, step_shape):
    """The image-sequence classifier's ``TimeDistributed(Flatten())``, as a reshape (no loop)."""
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


def build_multimodal_attention_lstm(*, modalities, encoders, conv_filters, spec, seed=None, **head):
    """Build and compile the multimodal network (image sequences + feature tables).

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
    spec, seed, **head
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
            inputs, context, name="multimodal_attention_lstm", seeds=seeds, **head
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
