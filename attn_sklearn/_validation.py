"""Validation of sequence input: shapes, the padding marker and finite values."""

import numpy as np
from sklearn.utils.validation import _check_feature_names, _check_n_features, check_array

from ._masking import partially_padded_steps, step_mask


def check_sequences(estimator, X, *, reset):
    """Validate ``X`` and return it as float32 ``(n_samples, n_timesteps, n_features)``.

    With ``reset`` the shape attributes of ``estimator`` are recorded
    (``n_features_in_``, ``X_ndim_``, ``n_timesteps_in_``, ``n_step_features_in_``);
    otherwise ``X`` is checked against them. 2-D input means univariate sequences.
    """
    _check_feature_names(estimator, X, reset=reset)
    X = check_array(X, allow_nd=True, dtype="numeric", ensure_all_finite=False, input_name="X")
    if X.ndim > 3:
        raise ValueError(
            "X must be 2-D (n_samples, n_timesteps) or 3-D (n_samples, n_timesteps, "
            f"n_features); received an array of shape {X.shape}."
        )
    if X.ndim == 3 and 0 in X.shape[1:]:
        raise ValueError(
            f"X must have at least one time step and one feature; received shape {X.shape}."
        )
    if X.ndim == 2 and (reset or estimator.X_ndim_ == 2):
        # 2-D input has a fixed number of steps: scikit-learn's own check and message.
        _check_n_features(estimator, X, reset=reset)
    elif reset:
        estimator.n_features_in_ = X.shape[1]
    if reset:
        estimator.X_ndim_ = X.ndim
    if X.dtype.itemsize > 4 or X.dtype.kind in "iu":
        finite = np.isfinite(X)
        if np.any(np.abs(X[finite]) > np.finfo(np.float32).max):
            raise ValueError(
                "X has values beyond the float32 range the network computes in "
                f"(+-{np.finfo(np.float32).max:.3g}); received a largest magnitude of "
                f"{np.abs(X[finite]).max():.3g}. Scale X first (e.g. with StandardScaler)."
            )
    X = np.asarray(X, dtype=np.float32)
    if X.ndim == 2:
        X = X[:, :, np.newaxis]
    if reset:
        estimator.n_timesteps_in_ = X.shape[1]
        estimator.n_step_features_in_ = X.shape[2]
    elif X.shape[2] != estimator.n_step_features_in_:
        raise ValueError(
            f"X has {X.shape[2]} features per time step, but {type(estimator).__name__} was "
            f"fitted with {estimator.n_step_features_in_}."
        )
    check_padding_and_values(X)
    return X


def check_step_values(
    X,
    *,
    name="X",
    padded_rule="a padded step must hold MASK_VALUE in every feature",
    missing_hint="mark missing observations with attn_sklearn.SequenceMasker, which turns "
    "them into padding",
):
    """Reject partially padded steps and NaN or infinity in real steps; return the real steps.

    ``X`` is ``(n_samples, n_timesteps, n_features)``; ``name`` is how the
    errors refer to it (say ``X['images']`` for one modality).
    """
    partial = partially_padded_steps(X)
    if np.any(partial):
        sample, step = np.argwhere(partial)[0]
        raise ValueError(
            f"{name}[{sample}, {step}] mixes the padding marker MASK_VALUE with real values; "
            f"{padded_rule}."
        )
    real = step_mask(X)
    bad = real & ~np.all(np.isfinite(X), axis=-1)
    if np.any(bad):
        sample, step = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains NaN or infinity in {int(bad.sum())} real (non-padded) time "
            f"step(s), the first at {name}[{sample}, {step}]. Expected finite values; "
            f"{missing_hint}."
        )
    return real


def check_padding_and_values(X):
    """Reject partially padded steps, non-finite real values and all-padding sequences."""
    empty = ~np.any(check_step_values(X), axis=1)
    if np.any(empty):
        raise ValueError(
            f"X[{int(np.argmax(empty))}] has no real time steps (every step is padding); "
            "each sequence needs at least one observation."
        )
