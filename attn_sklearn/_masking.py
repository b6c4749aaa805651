"""The padding marker shared by every transformer and estimator, and the one padding mask.

A time step is *padding* when every one of its values equals
:data:`MASK_VALUE`. Our transformers (``SlidingWindowTransformer``,
``SequencePadder``, ``SequenceMasker``) are the only code that writes it, and
the estimators treat nothing else as masked: a real observation whose features
are all ``0`` stays a real observation (unlike ``keras.layers.Masking(0.0)``).

``MASK_VALUE`` is ``-2**100``: exactly representable in float32 and float64
alike, so it survives the cast to Keras' float32 unchanged, and it lies far
outside any range that real or scaled data reach.
"""

from collections.abc import Mapping

import numpy as np

from ._windows import window_layout, windows_of

MASK_VALUE = -(2.0**100)


def _per_step(X):
    """View of ``X`` as ``(n_samples, n_timesteps, values per step)``."""
    return X.reshape(*X.shape[:2], -1)


def real_steps(X):
    """Return the boolean mask of real (non-padded) steps.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_timesteps, ...) or dict of such arrays
        Sequences whose padded steps hold :data:`MASK_VALUE` in every value.
        For a dict of modalities (sharing the time axis) a step is real when
        any modality is real there.

    Returns
    -------
    mask : ndarray of shape (n_samples, n_timesteps), dtype bool
        ``True`` where the step holds a real observation.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[[1.0], [0.0], [MASK_VALUE]]])
    >>> real_steps(X)
    array([[ True,  True, False]])
    """
    if isinstance(X, Mapping):
        return np.any([real_steps(values) for values in X.values()], axis=0)
    layout = window_layout(X)
    if layout is not None:  # overlapping windows: mask the series once, view it as windows
        series, hop = layout
        real = ~np.all(series == MASK_VALUE, axis=-1)
        return windows_of(real, window=X.shape[1], hop=hop, n_windows=len(X))
    return ~np.all(_per_step(X) == MASK_VALUE, axis=-1)


def real_and_partially_padded_steps(X):
    """``(real_steps(X), steps where only *some* values are padding)``, from one comparison.

    Partially padded steps are malformed: the marker must fill a whole step.
    """
    is_marker = _per_step(X) == MASK_VALUE
    padded = np.all(is_marker, axis=-1)
    return ~padded, np.any(is_marker, axis=-1) & ~padded
