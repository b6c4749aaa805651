"""What a built network holds: its layers read back by name.

The builders in :mod:`._architectures` name the layers; persistence checks,
``explain`` and inference read a fitted (or loaded) network through these
functions instead of the estimator's parameters, so a network is described
by what it is.
"""

import keras

from ._architectures import (
    DECODER_LAYER_NAME,
    PATCHES_LAYER_NAME,
    POOLED_NORM_LAYER_NAME,
    POOLING_LAYER_NAME,
    SELF_ATTENTION_LAYER_NAME,
    STEP_ENCODING_LAYER_NAME,
)


def has_layer(model, name):
    """Whether ``model`` has a layer called ``name``."""
    return any(layer.name == name for layer in model.layers)


def has_attention(model):
    """Whether ``model`` pools with attention (``False`` for ``attention="none"``)."""
    return has_layer(model, POOLING_LAYER_NAME)


def has_pooled_norm(model):
    """Whether ``model`` batch-normalises its pooled vector (``batch_norm`` on)."""
    return has_layer(model, POOLED_NORM_LAYER_NAME)


def has_self_attention(model):
    """Whether ``model`` has a self-attention block (``"self"`` or ``"multihead"``)."""
    return has_layer(model, SELF_ATTENTION_LAYER_NAME)


def has_decoder(model):
    """Whether ``model`` forecasts with an attending decoder (weights ``(batch, H, T)``)."""
    return has_layer(model, DECODER_LAYER_NAME)


def patch_size_of(model):
    """Steps per patch of ``model``'s input (1 when it has no :class:`StepPatches`)."""
    if not has_layer(model, PATCHES_LAYER_NAME):
        return 1
    return model.get_layer(PATCHES_LAYER_NAME).patch_size


def has_step_encoding(model):
    """Whether ``model``'s pooling scores a per-step encoding of its input (``"inputs"``)."""
    return has_layer(model, STEP_ENCODING_LAYER_NAME)


def attention_model(model):
    """A model from the inputs of ``model`` to its attention weights.

    Its outputs are the pooling weights ``(batch, T)`` and, when the network
    has self-attention, the self-attention weights ``(batch, heads, T, T)``.
    It shares its layers (and so its trained weights) with ``model``.
    """
    outputs = [model.get_layer(POOLING_LAYER_NAME).output[1]]
    if has_self_attention(model):
        outputs.append(model.get_layer(SELF_ATTENTION_LAYER_NAME).output[1])
    return keras.Model(model.inputs, outputs, name="attention_weights")
