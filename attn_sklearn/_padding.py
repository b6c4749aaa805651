"""SequencePadder: ragged sequences (lists, arrays, long DataFrames) -> padded 3-D arrays.

Data are in Keras order ``(n_samples, n_timesteps, n_features)``. Padding is a
step whose features all equal :data:`~attn_sklearn.MASK_VALUE`.
"""

import numbers
from collections.abc import Hashable
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._masking import MASK_VALUE
from ._validation import NUMERIC_KINDS, ArrayOutputMixin, check_observations


def _as_sequence(seq, label):
    """Convert one element of a collection to a float64 (T, n_features) array."""
    try:
        arr = np.asarray(seq)
    except (TypeError, ValueError) as exc:  # e.g. inner lists of unequal length
        raise ValueError(f"{label} could not be converted to an array: {exc}") from None
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{label} is non-numeric (dtype object).") from None
    if arr.dtype.kind not in NUMERIC_KINDS:
        raise ValueError(f"{label} is non-numeric: expected a numeric dtype, received {arr.dtype}.")
    if arr.ndim == 1:  # one feature
        arr = arr[:, np.newaxis]
    if arr.ndim != 2:
        raise ValueError(
            f"{label} must be 1-D (n_timesteps,) or 2-D (n_timesteps, n_features); "
            f"received an array of shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{label} is empty (0 time steps); every sequence needs at least one.")
    arr = arr.astype(np.float64, copy=False)
    check_observations(arr, label)
    return arr


class SequencePadder(ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Pad ragged sequences into a 3-D array, marking padding with ``MASK_VALUE``.

    Padded steps hold :data:`~attn_sklearn.MASK_VALUE` in every
    feature, which the estimators skip. NaN values are kept as they are: they
    mean a missing observation, which :class:`SequenceMasker` turns into padding.

    Parameters
    ----------
    maxlen : int or None, default=None
        Number of time steps of the output (before any widening, see
        ``on_overflow``). ``None`` learns the longest sequence seen in ``fit``.
    padding : {"post", "pre"}, default="post"
        Where padding goes. ``"post"`` (after the data) keeps cuDNN LSTM
        kernels usable.
    truncating : {"pre", "post"}, default="pre"
        With ``on_overflow="truncate"``, which steps to drop from sequences
        longer than ``maxlen_``: ``"pre"`` drops the oldest steps and keeps
        the most recent, ``"post"`` keeps the first ``maxlen_`` steps.
    on_overflow : {"extend", "truncate", "raise"}, default="extend"
        What ``transform`` does when a sequence is longer than ``maxlen_``.
        ``"extend"`` keeps every real step: that call's output has as many
        steps as its longest sequence, and the others get more padding. The
        package's estimators take any number of steps and ignore padding
        exactly, so nothing is lost and the other sequences' predictions do
        not change. ``"truncate"`` cuts to ``maxlen_`` (see ``truncating``),
        for a model that needs a fixed width (e.g. a flattening scikit-learn
        estimator); ``"raise"`` refuses the input.
    id_column : hashable or None, default=None
        For a long-format DataFrame ``X`` (one row per observation): the column
        holding the sequence id. Sequences are ordered by first appearance of
        their id. Required when ``X`` is a DataFrame.
    time_column : hashable or None, default=None
        For a DataFrame ``X``: column to sort the rows of each sequence by
        (stable). ``None`` keeps the row order. All columns other than
        ``id_column`` and ``time_column`` are features and must be numeric.

    Attributes
    ----------
    maxlen_ : int
        Number of time steps of the output (more where ``on_overflow="extend"``
        meets a longer sequence).
    n_features_in_ : int
        Number of features per step.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature column names. Only defined when ``X`` was a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import MASK_VALUE, SequencePadder
    >>> X = [np.array([1.0, 2.0, 3.0]), np.array([4.0])]
    >>> Xp = SequencePadder().fit_transform(X)
    >>> Xp.shape
    (2, 3, 1)
    >>> (Xp != MASK_VALUE).any(axis=-1)  # real steps
    array([[ True,  True,  True],
           [ True, False, False]])
    >>> Xp[1, 0, 0]
    np.float64(4.0)
    """

    _parameter_constraints: ClassVar[dict] = {
        "maxlen": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"post", "pre"})],
        "truncating": [StrOptions({"pre", "post"})],
        "on_overflow": [StrOptions({"extend", "truncate", "raise"})],
        "id_column": [Hashable, None],
        "time_column": [Hashable, None],
    }

    def __init__(
        self,
        maxlen=None,
        *,
        padding="post",
        truncating="pre",
        on_overflow="extend",
        id_column=None,
        time_column=None,
    ):
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.on_overflow = on_overflow
        self.id_column = id_column
        self.time_column = time_column

    def _from_dataframe(self, X, fitting):
        """Split a long-format DataFrame into per-sequence arrays."""
        if self.id_column is None:
            raise ValueError(
                "X is a DataFrame, so id_column must name its sequence id column; "
                "received id_column=None."
            )
        for param in ("id_column", "time_column"):
            col = getattr(self, param)
            if col is not None and col not in X.columns:
                raise ValueError(
                    f"{param}={col!r} is not a column of X; columns: {list(X.columns)}."
                )
        if len(X) == 0:
            raise ValueError("X is empty; expected at least one row.")
        special = {self.id_column, self.time_column} - {None}
        features = [c for c in X.columns if c not in special]
        if not features:
            raise ValueError("X has no feature columns besides id_column and time_column.")
        if not fitting and hasattr(self, "feature_names_in_"):
            missing = [c for c in self.feature_names_in_ if c not in features]
            extra = [c for c in features if c not in set(self.feature_names_in_)]
            if missing or extra:
                raise ValueError(
                    f"X's feature columns differ from those seen in fit: missing {missing}, "
                    f"unexpected {extra}."
                )
            features = list(self.feature_names_in_)  # fit's column order
        non_numeric = [c for c in features if X[c].dtype.kind not in NUMERIC_KINDS]
        if non_numeric:
            raise ValueError(
                f"Feature columns must be numeric; non-numeric columns: {non_numeric}. "
                "Drop or encode them first."
            )
        ids = X[self.id_column]
        if ids.isna().any():
            raise ValueError(f"id_column={self.id_column!r} contains missing ids.")
        codes, uniques = pd.factorize(ids, sort=False)  # first-appearance order
        order = np.argsort(codes, kind="stable")
        groups = np.split(order, np.cumsum(np.bincount(codes))[:-1])
        if self.time_column is not None:
            times = X[self.time_column]
            if times.isna().any():
                raise ValueError(f"time_column={self.time_column!r} contains missing values.")
            times = times.to_numpy()
            groups = [g[np.argsort(times[g], kind="stable")] for g in groups]
        values = X[features].to_numpy(dtype=np.float64, na_value=np.nan)
        seqs = []
        for i, (g, uid) in enumerate(zip(groups, uniques, strict=True)):
            seq = values[g]
            check_observations(seq, f"Sequence {i} (id={uid!r})")
            seqs.append(seq)
        return seqs, np.asarray(features, dtype=object)

    def _to_sequences(self, X, fitting):
        """Return (list of float64 (T_i, n_features) arrays, feature names or None)."""
        if isinstance(X, pd.DataFrame):
            return self._from_dataframe(X, fitting)
        if isinstance(X, np.ndarray) and X.dtype.kind != "O" and X.ndim != 3:
            raise ValueError(
                "X must be a list of sequences, a 3-D array of equal-length sequences or a "
                f"long-format DataFrame; received an array of shape {X.shape}. Wrap a single "
                "sequence in a list ([X]); pass equal-length univariate sequences as "
                "X[..., np.newaxis]."
            )
        if not isinstance(X, (list, tuple, np.ndarray)):
            raise TypeError(
                "X must be a list or tuple of sequences, a 3-D array or a long-format "
                f"DataFrame; received {type(X).__name__}."
            )
        if len(X) == 0:
            raise ValueError("X is empty; expected at least one sequence.")
        seqs = [_as_sequence(seq, f"X[{i}]") for i, seq in enumerate(X)]
        n_features = seqs[0].shape[1]
        for i, seq in enumerate(seqs):
            if seq.shape[1] != n_features:
                raise ValueError(
                    f"X[{i}] has {seq.shape[1]} features, but X[0] has {n_features}; "
                    "all sequences must have the same number of features."
                )
        return seqs, None

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn ``maxlen_`` and the number of features.

        Parameters
        ----------
        X : list of array-like, 3-D ndarray or DataFrame
            Sequences of shape (n_timesteps_i, n_features) or (n_timesteps_i,),
            or a long-format DataFrame (see ``id_column``).
        y : None
            Ignored.

        Returns
        -------
        self : SequencePadder
            The fitted transformer.
        """
        seqs, names = self._to_sequences(X, fitting=True)
        self.n_features_in_ = seqs[0].shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.maxlen_ = int(self.maxlen) if self.maxlen is not None else max(map(len, seqs))
        return self

    def transform(self, X):
        """Pad sequences to ``maxlen_`` steps (longer ones as ``on_overflow`` says).

        Parameters
        ----------
        X : list of array-like, 3-D ndarray or DataFrame
            Sequences, as in ``fit``.

        Returns
        -------
        X_padded : ndarray of shape (n_sequences, n_timesteps, n_features)
            float64 array; padded steps hold ``MASK_VALUE`` in every feature.
            ``n_timesteps`` is ``maxlen_``, or the longest sequence of ``X``
            when that is longer and ``on_overflow="extend"``.
        """
        check_is_fitted(self)
        seqs, _ = self._to_sequences(X, fitting=False)
        if seqs[0].shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {seqs[0].shape[1]} features per time step, but SequencePadder was "
                f"fitted with {self.n_features_in_}."
            )
        maxlen = self.maxlen_
        if self.on_overflow == "extend":
            maxlen = max(maxlen, *map(len, seqs))
        out = np.full((len(seqs), maxlen, self.n_features_in_), MASK_VALUE)
        for i, seq in enumerate(seqs):
            if len(seq) > maxlen:
                if self.on_overflow == "raise":
                    raise ValueError(
                        f"Sequence {i} has {len(seq)} steps, more than maxlen_={maxlen}; "
                        "set on_overflow='extend' to keep every step, 'truncate' to cut, or a "
                        "larger maxlen."
                    )
                seq = seq[-maxlen:] if self.truncating == "pre" else seq[:maxlen]
            if self.padding == "post":
                out[i, : len(seq)] = seq
            else:
                out[i, maxlen - len(seq) :] = seq
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        return tags
