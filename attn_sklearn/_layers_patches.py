"""Grouping consecutive steps into patches, exported by :mod:`attn_sklearn.layers`."""

import keras
from keras import ops

from ._layers_base import check_positive_int
from ._masking import MASK_VALUE


@keras.saving.register_keras_serializable(package="attn_sklearn")
class StepPatches(keras.layers.Layer):
    """Group every ``patch_size`` consecutive steps of a sequence into one step.

    A sequence of ``T`` steps of ``F`` values becomes ``ceil(T / patch_size)``
    steps of ``patch_size * F`` values: patch ``j`` holds steps
    ``j * patch_size`` to ``(j + 1) * patch_size - 1``, counted from the
    sequence's first real step, so a sequence gives the same patches whether
    its padding (:data:`~attn_sklearn.MASK_VALUE`) comes before or after it,
    and however much of it there is. A patch with no real step is padding
    (all ``MASK_VALUE``, for a ``Masking`` layer after it); inside a patch
    that has real steps, a padded or missing step contributes zeros.

    Parameters
    ----------
    patch_size : int
        Steps per patch; 1 leaves the sequence unchanged.
    **kwargs
        Standard layer keyword arguments (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> from attn_sklearn.layers import StepPatches
    >>> m = MASK_VALUE
    >>> x = np.array([[[1.0], [2.0], [3.0]], [[m], [4.0], [5.0]]], "float32")
    >>> patches = np.asarray(StepPatches(2)(x))
    >>> patches[0].tolist()  # the missing fourth step counts as 0
    [[1.0, 2.0], [3.0, 0.0]]
    >>> patches[1, 0].tolist(), bool(np.all(patches[1, 1] == m))  # leading padding moves nothing
    ([4.0, 5.0], True)
    >>> StepPatches(2).compute_output_shape((None, 7, 3))
    (None, 4, 6)
    """

    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = check_positive_int("patch_size", patch_size, allow_none=False)

    def call(self, inputs):
        """The patched sequences.

        Parameters
        ----------
        inputs : tensor of shape (batch, n_timesteps, n_features)
            Padded sequences, padding marked with ``MASK_VALUE``.

        Returns
        -------
        patches : tensor of shape (batch, ceil(n_timesteps / patch_size), patch_size * n_features)
        """
        size = self.patch_size
        if size == 1:
            return inputs
        marker = ops.cast(MASK_VALUE, inputs.dtype)
        real = ops.logical_not(ops.all(ops.equal(inputs, marker), axis=-1))
        batch, n_steps, n_features = ops.shape(inputs)[0], ops.shape(inputs)[1], inputs.shape[-1]
        n_patches = (n_steps + size - 1) // size
        # Read each row from its first real step on, so leading padding moves no boundary.
        first_real = ops.argmax(ops.cast(real, "int32"), axis=1)
        positions = ops.arange(n_patches * size)[None, :] + ops.cast(first_real, "int32")[:, None]
        inside = positions < n_steps
        positions = ops.minimum(positions, n_steps - 1)
        values = ops.take_along_axis(inputs, positions[..., None], axis=1)
        # Padding, and the positions past the end (clipped onto the last step), become 0.
        real = ops.logical_and(ops.take_along_axis(real, positions, axis=1), inside)
        values = ops.where(real[..., None], values, ops.zeros_like(values))
        patches = ops.reshape(values, (batch, n_patches, size * n_features))
        real_patch = ops.any(ops.reshape(real, (batch, n_patches, size)), axis=-1)
        return ops.where(real_patch[..., None], patches, marker)

    def compute_output_shape(self, input_shape):
        batch, n_steps, n_features = input_shape
        n_patches = None if n_steps is None else -(-n_steps // self.patch_size)
        return (batch, n_patches, self.patch_size * n_features)

    def get_config(self):
        return {**super().get_config(), "patch_size": self.patch_size}
