"""Transformers of padded sequences: SequenceMasker (missing -> padding), SequenceScaler.

Data are in Keras order ``(n_samples, n_timesteps, n_features)``; 2-D input
holds univariate sequences. Padding is a step whose features all equal
:data:`~attn_sklearn.MASK_VALUE`. :class:`~attn_sklearn.SequencePadder`, which
writes it, lives in :mod:`attn_sklearn._padding`.
"""

from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ._docstrings import fill_doc
from ._masking import MASK_VALUE, real_steps
from ._validation import ArrayOutputMixin, check_sequences

__all__ = ["SequenceMasker", "SequenceScaler"]


class _PaddedDataMixin:
    """Validation shared by the transformers of padded data (3-D, or 2-D univariate)."""

    def _validate(self, X, *, reset, allow_nan):
        """Return a float64 ``(n_samples, n_timesteps, n_features)`` copy of ``X``."""
        return check_sequences(
            self, X, reset=reset, dtype=np.float64, copy=True, allow_nan=allow_nan,
            require_real=False,
        )


@fill_doc
class SequenceMasker(_PaddedDataMixin, ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Turn steps with missing (NaN) observations into padding.

    A marked step gets ``MASK_VALUE`` in every feature, so the models skip it.
    Real observations are never masked (a step whose features are all ``0``
    stays real) and existing padding is kept.

    Parameters
    ----------
    missing : {"any", "all"}, default="any"
        Mark a step when ``"any"`` of its features is NaN, or only when
        ``"all"`` are. With ``"all"``, a partially missing step raises a
        ValueError: impute it first.

    Attributes
    ----------
    %(padded_input_attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE, SequenceMasker
    >>> X = np.array([[[1.0, 0.0], [np.nan, 2.0], [0.0, 0.0]]])
    >>> Xm = SequenceMasker().fit_transform(X)
    >>> (Xm[0] == MASK_VALUE).all(axis=-1)  # padded steps
    array([False,  True, False])
    """

    _parameter_constraints: ClassVar[dict] = {"missing": [StrOptions({"any", "all"})]}

    def __init__(self, missing="any"):
        self.missing = missing

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the input shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps)
            Padded sequences; 2-D means one feature.
        y : None
            Ignored.

        Returns
        -------
        self : SequenceMasker
            The fitted transformer.
        """
        self._validate(X, reset=True, allow_nan=True)
        return self

    def transform(self, X):
        """Replace steps with missing observations by padding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps)
            Padded sequences; 2-D means one feature.

        Returns
        -------
        X_masked : ndarray of shape (n_samples, n_timesteps, n_features)
            float64 copy of ``X``.
        """
        check_is_fitted(self)
        X = self._validate(X, reset=False, allow_nan=True)
        nan = np.isnan(X)
        X[nan.any(axis=-1) if self.missing == "any" else nan.all(axis=-1)] = MASK_VALUE
        if self.missing == "all":
            bad = np.argwhere(np.isnan(X).any(axis=-1))
            if bad.size:
                i, t = bad[0]
                raise ValueError(
                    f"X[{i}, {t}] has NaN in some but not all features, and missing='all' "
                    "only masks fully missing steps; impute those values or use missing='any'."
                )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        return tags


@fill_doc
class SequenceScaler(_PaddedDataMixin, ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Standardise each feature of padded sequences, ignoring padding.

    Statistics come from real steps only; padded steps stay exactly
    ``MASK_VALUE``. Features with zero variance get a scale of 1.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the per-feature mean.
    with_std : bool, default=True
        Divide by the per-feature standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (`n_step_features_in_`,)
        Per-feature mean of the real steps (computed even when ``with_mean=False``).
    scale_ : ndarray of shape (`n_step_features_in_`,)
        Per-feature standard deviation of the real steps (1 for constant
        features, all ones when ``with_std=False``).
    %(padded_input_attributes)s

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE, SequenceScaler
    >>> X = np.array([[[1.0], [3.0], [MASK_VALUE]]])
    >>> scaler = SequenceScaler().fit(X)
    >>> scaler.mean_, scaler.scale_
    (array([2.]), array([1.]))
    >>> Xs = scaler.transform(X)
    >>> Xs[0, :2, 0], bool(Xs[0, 2, 0] == MASK_VALUE)
    (array([-1.,  1.]), True)
    """

    _parameter_constraints: ClassVar[dict] = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, with_mean=True, *, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute per-feature mean and scale over the real steps.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps)
            Padded sequences without NaN; 2-D means one feature.
        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
            The fitted transformer.
        """
        X = self._validate(X, reset=True, allow_nan=False)
        real = X[real_steps(X)]
        if len(real) == 0:
            raise ValueError("SequenceScaler: X has no real (non-padding) steps to fit on.")
        self.mean_ = real.mean(axis=0)
        scale = real.std(axis=0)
        # Exactly constant features (not just tiny variance) are left unscaled, as in sklearn.
        scale[(np.ptp(real, axis=0) == 0) | (scale == 0)] = 1.0
        self.scale_ = scale if self.with_std else np.ones_like(scale)
        return self

    def _checked_real(self, X):
        check_is_fitted(self)
        X = self._validate(X, reset=False, allow_nan=False)
        return X, real_steps(X)

    def transform(self, X):
        """Standardise the real steps, leaving padding untouched.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps)
            Padded sequences without NaN; 2-D means one feature.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_timesteps, n_features)
            float64 copy of ``X``.
        """
        X, mask = self._checked_real(X)
        mean = self.mean_ if self.with_mean else 0.0
        X[mask] = (X[mask] - mean) / self.scale_
        return X

    def inverse_transform(self, X):
        """Undo :meth:`transform` on the real steps, leaving padding untouched.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps)
            Scaled padded sequences.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_timesteps, n_features)
            float64 copy of ``X`` in the original units.
        """
        X, mask = self._checked_real(X)
        mean = self.mean_ if self.with_mean else 0.0
        X[mask] = X[mask] * self.scale_ + mean
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
