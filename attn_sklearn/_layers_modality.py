"""Padding-aware layers of multimodal networks, exported by :mod:`attn_sklearn.layers`."""

import keras
from keras import ops

from ._masking import MASK_VALUE


@keras.saving.register_keras_serializable(package="attn_sklearn")
class ModalityPadding(keras.layers.Layer):
    """Split one raw modality into padding-free values and per-step "real" flags.

    A step of the modality is padding when all its values equal
    :data:`~attn_sklearn.MASK_VALUE`. The marker (``-2**100``) must never
    reach a weight: it is replaced by 0 so that encoders (a convolution, say)
    see only ordinary numbers, and the flags tell :class:`ModalityFusion`
    which steps were real.

    Parameters
    ----------
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    ModalityFusion : Concatenates the encoded modalities using these flags.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import ModalityPadding
    >>> x = np.array([[[1.0, 2.0], [MASK_VALUE, MASK_VALUE]]], "float32")
    >>> values, real = ModalityPadding()(x)
    >>> np.asarray(values).tolist(), np.asarray(real).tolist()
    ([[[1.0, 2.0], [0.0, 0.0]]], [[1.0, 0.0]])
    >>> ModalityPadding().compute_output_shape((None, 7, 4, 4, 3))
    ((None, 7, 4, 4, 3), (None, 7))
    """

    def call(self, inputs):
        """Replace the padding marker by 0 and flag the real steps.

        Parameters
        ----------
        inputs : tensor of shape (batch, n_timesteps, ...)
            One modality, a step per row of axis 1.

        Returns
        -------
        values : tensor of the shape of ``inputs``
            ``inputs`` with every ``MASK_VALUE`` replaced by 0.
        real : tensor of shape (batch, n_timesteps)
            1.0 where the step holds a real observation, 0.0 on padding.
        """
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

    Parameters
    ----------
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    See Also
    --------
    ModalityPadding : Gives the values to encode and the flags of each modality.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn.layers import ModalityFusion
    >>> a, b = np.ones((1, 3, 2), "float32"), np.ones((1, 3, 1), "float32")
    >>> real_a = np.array([[1.0, 0.0, 0.0]], "float32")
    >>> real_b = np.array([[1.0, 1.0, 0.0]], "float32")
    >>> layer = ModalityFusion()
    >>> np.asarray(layer([a, b, real_a, real_b]))[0].tolist()
    [[1.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    >>> np.asarray(layer.compute_mask([a, b, real_a, real_b])).tolist()
    [[True, True, False]]
    >>> layer.compute_output_shape([(None, 3, 2), (None, 3, 1), (None, 3), (None, 3)])
    (None, 3, 3)
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
        """Concatenate the encodings, zeroing each modality where it is padding.

        Parameters
        ----------
        inputs : list of 2 * n_modalities tensors
            The encodings, each of shape (batch, n_timesteps, d_m), followed
            by the matching real flags of :class:`ModalityPadding`, each of
            shape (batch, n_timesteps).

        Returns
        -------
        fused : tensor of shape (batch, n_timesteps, sum of d_m)
            With a Keras mask of shape (batch, n_timesteps): ``True`` where
            any modality is real.
        """
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
