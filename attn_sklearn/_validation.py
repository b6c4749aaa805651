"""The one validation path for sequence input, used by every estimator and transformer.

Sequences are arrays ``(n_samples, n_timesteps, ...)`` in Keras order; 2-D input
holds univariate sequences. The rules, each written once:

* :func:`as_sequence_array`: numeric, dense, regular (not ragged), at least one
  step and one value per step, within float32 range when the network computes
  in float32; 2-D gains a feature axis;
* :func:`record_input_shape`: scikit-learn's ``n_features_in_`` rule for 2-D
  input (as many time steps as in ``fit``), the dimensions and the values per
  step seen in ``fit``;
* :func:`check_steps`: padding fills whole steps, real steps are finite;
* :func:`check_observations`: raw observations (before padding) hold neither
  infinity nor the padding marker.

:func:`check_sequences` chains them for one array, and the multimodal
classifier calls the same functions once per modality.
"""

import numbers

import numpy as np
from sklearn.utils.validation import _check_feature_names, check_array

from ._masking import MASK_VALUE, real_and_partially_padded_steps
from ._windows import (
    first_window_holding,
    recast_windows,
    window_layout,
    windows_holding,
    windows_of,
)

NUMERIC_KINDS = "biuf"
_MISSING_HINT = "mark missing observations with SequenceMasker first, which turns them into padding"


def is_int(value):
    """Whether ``value`` is an integer (NumPy's too), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(value, name, minimum=1):
    """``value`` as an int, or a ValueError naming ``name`` (for functions' arguments)."""
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; received {name}={value!r}.")
    return int(value)


def check_numeric_columns(X, name="X"):
    """Reject a DataFrame with non-numeric columns, naming them (others pass untouched)."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns"):
        return
    bad = [column for column, dtype in dtypes.items() if dtype.kind not in NUMERIC_KINDS]
    if bad:
        raise ValueError(
            f"{name} has non-numeric column(s) {bad[:10]}; expected numbers only. Encode them "
            "(e.g. with OneHotEncoder) or drop them before this step."
        )


def as_sequence_array(X, *, name="X", max_ndim=3, dtype=np.float32, copy=False):
    """``X`` as an ndarray ``(n_samples, n_timesteps, ...)`` of ``dtype``, and its input ndim.

    ``max_ndim=None`` allows any number of dimensions per step (an image
    modality, say). NaN and the padding marker pass: :func:`check_steps` judges them.
    """
    if isinstance(X, list | tuple) or (isinstance(X, np.ndarray) and X.dtype == object):
        try:
            np.asarray(list(X))
        except ValueError:
            raise ValueError(
                f"{name} holds sequences of different lengths; expected padded sequences of "
                "equal length. Pad them with SequencePadder first."
            ) from None
    check_numeric_columns(X, name)
    X = check_array(
        X, allow_nd=True, dtype="numeric", ensure_all_finite=False, copy=copy, input_name=name
    )
    if max_ndim is not None and X.ndim > max_ndim:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_timesteps) or 3-D (n_samples, n_timesteps, "
            f"n_features); received an array of shape {X.shape}."
        )
    if 0 in X.shape[1:]:
        raise ValueError(
            f"{name} must have at least one time step and one value per step; received shape "
            f"{X.shape}."
        )
    ndim = X.ndim
    X = X[:, :, np.newaxis] if ndim == 2 else X
    # Overlapping windows are checked and cast through their series: no copy per window.
    layout = window_layout(X) if not copy else None
    values = X if layout is None else layout[0]
    if np.dtype(dtype).itemsize < X.dtype.itemsize or X.dtype.kind in "iu":
        finite = np.abs(values[np.isfinite(values)])
        largest = finite.max(initial=0.0)
        if largest > np.finfo(dtype).max:
            raise ValueError(
                f"{name} has values beyond the {np.dtype(dtype).name} range the network computes "
                f"in (+-{np.finfo(dtype).max:.3g}); received a largest magnitude of "
                f"{largest:.3g}. Scale X first (e.g. with StandardScaler)."
            )
    if layout is not None:
        return recast_windows(X, layout, dtype), ndim
    return X.astype(dtype, copy=False), ndim


def record_input_shape(owner, *, ndim, n_timesteps, n_step_values, reset):
    """Record (``reset``) or check the input shape attributes of ``owner``.

    ``n_features_in_`` is ``X.shape[1]``, scikit-learn's definition: for 2-D
    (univariate) input the number of time steps, which later calls must then
    match; 3-D input may change its length. ``n_timesteps_in_`` (the same
    number), ``X_ndim_`` and ``n_step_features_in_`` (values per step) are
    recorded too.
    """
    if reset:
        owner.n_features_in_ = n_timesteps
        owner.n_timesteps_in_ = n_timesteps
        owner.X_ndim_ = ndim
        owner.n_step_features_in_ = n_step_values
        return
    if ndim == 2 and owner.X_ndim_ == 2 and n_timesteps != owner.n_features_in_:
        # scikit-learn's own message for 2-D input.
        raise ValueError(
            f"X has {n_timesteps} features, but {type(owner).__name__} is expecting "
            f"{owner.n_features_in_} features as input."
        )
    if n_step_values != owner.n_step_features_in_:
        raise ValueError(
            f"X has {n_step_values} features per time step, but {type(owner).__name__} was "
            f"fitted with {owner.n_step_features_in_}."
        )


def check_steps(
    X,
    *,
    name="X",
    allow_nan=False,
    padded_rule="a padded step must hold MASK_VALUE in every feature",
    missing_hint=_MISSING_HINT,
):
    """Reject partially padded steps and non-finite real steps; return X's real-step mask.

    ``X`` is ``(n_samples, n_timesteps, ...)``; ``name`` is how the errors
    refer to it (say ``X['images']`` for one modality). With ``allow_nan``,
    NaN (a missing observation) may stand in real steps; infinity never.
    """
    # Overlapping windows are checked once per observation of their series, which is
    # treated as one long sequence; positions are reported in the windows.
    layout = window_layout(X)
    values = X if layout is None else layout[0][np.newaxis]
    real, partial = real_and_partially_padded_steps(values)
    if np.any(partial):
        sample, step = _first_position(partial, X, layout)
        raise ValueError(
            f"{name}[{sample}, {step}] mixes the padding marker MASK_VALUE with real values; "
            f"{padded_rule}."
        )
    per_step = values.reshape(*values.shape[:2], -1)
    if allow_nan:
        bad = real & np.any(np.isinf(per_step), axis=-1)
        what, expected = "infinity", "finite values or NaN (missing)"
    else:
        bad = real & ~np.all(np.isfinite(per_step), axis=-1)
        what, expected = "NaN or infinity", f"finite values; {missing_hint}"
    if np.any(bad):
        sample, step = _first_position(bad, X, layout)
        count = int(bad.sum())
        if layout is not None:  # each bad observation appears once in every window holding it
            holding = windows_holding(
                np.flatnonzero(bad[0]), window=X.shape[1], hop=layout[1], n_windows=len(X)
            )
            count = int(holding.sum())
        raise ValueError(
            f"{name} contains {what} in {count} real (non-padded) time step(s), the "
            f"first at {name}[{sample}, {step}]. Expected {expected}."
        )
    if layout is None:
        return real
    return windows_of(real[0], window=X.shape[1], hop=layout[1], n_windows=len(X))


def _first_position(flags, X, layout):
    """``(sample, step)`` of the first flagged step, in ``X``'s own coordinates."""
    sample, step = (int(i) for i in np.argwhere(flags)[0])
    if layout is None:
        return sample, step
    return first_window_holding(step, window=X.shape[1], hop=layout[1])


def check_has_real_steps(real, *, detail="every step is padding"):
    """Reject samples without a single real step (``real``: the real-step mask of X)."""
    empty = ~np.any(real, axis=1)
    if np.any(empty):
        raise ValueError(
            f"X[{int(np.argmax(empty))}] has no real time steps ({detail}); each sequence needs "
            "at least one observation."
        )


def check_observations(values, name):
    """Reject infinity and the padding marker in raw observations (NaN means missing)."""
    if np.isinf(values).any():
        raise ValueError(
            f"{name} contains infinity; only finite values and NaN (missing) are allowed."
        )
    if (values == MASK_VALUE).any():
        raise ValueError(
            f"{name} contains MASK_VALUE (-2**100), which is reserved for padding and cannot "
            "appear in real observations; rescale or clip the data."
        )


def check_sequences(
    owner, X, *, reset, dtype=np.float32, copy=False, allow_nan=False, require_real=True
):
    """Validate padded sequences for ``owner`` (an estimator or transformer).

    Returns ``X`` as ``(n_samples, n_timesteps, n_features)`` of ``dtype``,
    recording (``reset``) or checking the shape attributes of
    :func:`record_input_shape`. ``require_real`` rejects all-padding sequences.
    """
    _check_feature_names(owner, X, reset=reset)
    checked, ndim = as_sequence_array(X, dtype=dtype, copy=copy)
    n_timesteps, n_step_values = checked.shape[1:]
    record_input_shape(
        owner, ndim=ndim, n_timesteps=n_timesteps, n_step_values=n_step_values, reset=reset
    )
    real = check_steps(checked, allow_nan=allow_nan)
    if require_real:
        check_has_real_steps(real)
    return checked


class ArrayOutputMixin:
    """``set_output`` for transformers whose output is 3-D, which pandas cannot hold.

    The call is accepted, so that ``pipeline.set_output(transform="pandas")``
    works on pipelines holding these transformers, and their output stays an
    ndarray ``(n_samples, n_timesteps, n_features)``.
    """

    def set_output(self, *, transform=None):
        """Accept scikit-learn's output configuration; 3-D output stays an ndarray.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            The container a pipeline asks its steps for. Steps after this one
            receive a 3-D ndarray whatever is chosen.

        Returns
        -------
        self : object
            This transformer.
        """
        if transform not in (None, "default", "pandas", "polars"):
            raise ValueError(
                "Expected transform to be one of {'default', 'pandas', 'polars', None}. "
                f"Received: transform={transform!r}"
            )
        return self
