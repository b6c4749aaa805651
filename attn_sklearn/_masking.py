"""The padding marker shared by every transformer and estimator.

A time step is *padding* when every one of its features equals
:data:`MASK_VALUE`. Our transformers (``SlidingWindowTransformer``,
``SequencePadder``, ``SequenceMasker``) are the only code that writes it, and
the estimators treat nothing else as masked: a real observation whose features
are all ``0`` stays a real observation (unlike ``keras.layers.Masking(0.0)``).

``MASK_VALUE`` is ``-2**100``: exactly representable in float32 and float64
alike, so it survives the cast to Keras' float32 unchanged, and it lies far
outside any range that real or scaled data reach.
"""

import numpy as np

MASK_VALUE = -(2.0**100)


def step_mask(X):
    """Return the boolean mask of real (non-padded) steps.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, n_features)
        Sequences, padded steps filled with :data:`MASK_VALUE`.

    Returns
    -------
    mask : ndarray of shape (n_samples, n_timesteps), dtype bool
        ``True`` where the step holds a real observation.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE
    >>> X = np.array([[[1.0], [0.0], [MASK_VALUE]]])
    >>> step_mask(X)
    array([[ True,  True, False]])
    """
    return ~np.all(X == MASK_VALUE, axis=-1)


def partially_padded_steps(X):
    """Return a boolean mask of steps where only *some* features are padding.

    Such steps are malformed: the marker must fill a whole step.
    """
    is_marker = X == MASK_VALUE
    return np.any(is_marker, axis=-1) & ~np.all(is_marker, axis=-1)
