"""Float64 inference twins of fitted networks.

In float32, batched kernels (oneDNN's, on CPU) may move a row's output by one
unit in the last place depending on the row's position in the batch, so the
same row could get different predictions in different batches. The estimators
therefore predict and explain with a float64 copy of the trained float32
network: same graph, same weights, and rounding noise far below anything
float32 training can resolve.
"""

import weakref

import keras

from ._architectures import attention_model, has_attention

# fitted network -> (its float64 twin, the twin's attention read-out or None)
_TWINS = weakref.WeakKeyDictionary()

# TensorFlow has no float64 CPU kernels for 3-D pooling (the "conv" encoder's), so those
# layers stay float32: their inputs are rounded once per element, then max/mean each
# pooling window of one row, which involves no other row.
_FLOAT32_ONLY = (keras.layers.MaxPooling3D, keras.layers.AveragePooling3D)


def float64_twin(model):
    """An uncompiled float64 copy of ``model``'s graph, with fresh (unset) weights.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> twin = float64_twin(model)
    >>> twin.set_weights(model.get_weights())
    >>> twin.layers[0].kernel.dtype
    'float64'
    """

    def in_float64(operation):
        config = operation.get_config()
        is_layer = isinstance(operation, keras.layers.Layer)  # graph ops have no dtype
        if is_layer and not isinstance(operation, _FLOAT32_ONLY):
            config["dtype"] = "float64"
        return operation.__class__.from_config(config)

    return keras.models.clone_model(model, clone_function=in_float64)


def inference_networks(model):
    """The float64 twin of ``model`` and its attention read-out (``None`` without attention).

    The twins are built once per network, cached weakly on it (so an
    estimator's ``__dict__`` and pickles stay as they are), and take
    ``model``'s current weights on every call (a few small arrays): they are
    never stale after further training or a user's own edits of ``model``.
    """
    if model not in _TWINS:
        network = float64_twin(model)
        _TWINS[model] = (network, attention_model(network) if has_attention(network) else None)
    network, explainer = _TWINS[model]
    network.set_weights(model.get_weights())
    return network, explainer
