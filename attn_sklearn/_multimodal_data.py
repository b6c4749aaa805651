"""Multimodal sequence input: packing, conversion and validation.

A multimodal ``X`` holds several *modalities* that share one time axis, e.g. a
sequence of images and a sequence of tabular features per sample. Three
containers are accepted:

* a dict ``{name: array of shape (n_samples, n_timesteps, ...)}``;
* a numpy *structured* array with one sub-array field per modality (one record
  per sample), as built by :func:`pack_modalities`. scikit-learn's splitters,
  ``cross_val_score``, ``GridSearchCV`` and ``Pipeline`` index it like any
  array, which a dict does not allow;
* one plain array of shape ``(n_samples, n_timesteps, ...)``: a single
  modality named ``"x"`` (2-D input holds one value per step).

A modality is *padding* at a step when all of its values there equal
:data:`~attn_sklearn.MASK_VALUE`; a step is padding when every modality is.
"""

import math
from collections.abc import Mapping

import numpy as np
from scipy import sparse
from sklearn.utils.validation import _check_feature_names

from ._masking import real_steps
from ._validation import (
    NUMERIC_KINDS,
    as_sequence_array,
    check_has_real_steps,
    check_steps,
    record_input_shape,
)

SINGLE_MODALITY = "x"


def _check_name(name):
    if not isinstance(name, str) or not name or "/" in name:
        raise TypeError(
            "Modality names must be non-empty strings without '/'; "
            f"received a modality named {name!r}."
        )
    return name


def check_aligned(shapes):
    """Check that modalities share the number of samples and of time steps.

    Parameters
    ----------
    shapes : dict of str to tuple
        Full array shape of each modality, ``(n_samples, n_timesteps, ...)``.

    Raises
    ------
    ValueError
        Naming the first modality that disagrees with the first one.
    """
    (first, first_shape), *others = shapes.items()
    for name, shape in others:
        if shape[0] != first_shape[0]:
            raise ValueError(
                f"Modality {name!r} has {shape[0]} samples, but modality {first!r} has "
                f"{first_shape[0]}; every modality needs one sequence per sample."
            )
        if shape[1] != first_shape[1]:
            raise ValueError(
                f"Modality {name!r} has {shape[1]} time steps, but modality {first!r} has "
                f"{first_shape[1]}; all modalities share one time axis (pad the shorter "
                "ones with MASK_VALUE)."
            )


def pack_modalities(**arrays):
    """Pack per-modality arrays into one structured array, one record per sample.

    The result can be indexed, split and cross-validated by scikit-learn like
    any array (``train_test_split``, ``cross_val_score``, ``GridSearchCV``),
    and :class:`~attn_sklearn.MultimodalAttentionClassifier` reads each field
    as one modality.

    Parameters
    ----------
    **arrays : array-like of shape (n_samples, n_timesteps, ...)
        One numeric array per modality, keyword = modality name. All must have
        the same number of samples and of time steps; the per-step shapes may
        differ (e.g. images ``(H, W, C)`` and features ``(hours, w_features)``).

    Returns
    -------
    X : ndarray of shape (n_samples,), structured dtype
        Field ``name`` holds ``arrays[name]``, with its dtype and per-sample
        shape ``(n_timesteps, ...)``.

    Raises
    ------
    ValueError
        When no array is given, an array has fewer than 2 dimensions or the
        modalities disagree on the number of samples or time steps.
    TypeError
        When an array is not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> from attn_sklearn import pack_modalities
    >>> X = pack_modalities(images=np.zeros((5, 12, 8, 8, 1)), extra=np.zeros((5, 12, 4, 3)))
    >>> X.shape, X["images"].shape, X["extra"].shape
    ((5,), (5, 12, 8, 8, 1), (5, 12, 4, 3))
    >>> X[[0, 2]]["extra"].shape  # rows are samples
    (2, 12, 4, 3)
    """
    if not arrays:
        raise ValueError(
            "pack_modalities needs at least one modality, e.g. "
            "pack_modalities(images=images, extra=extra)."
        )
    checked = {}
    for name, values in arrays.items():
        values = np.asarray(values)
        if values.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(
                f"Modality {name!r} must be numeric; received an array of dtype {values.dtype}."
            )
        if values.ndim < 2:
            raise ValueError(
                f"Modality {name!r} must have shape (n_samples, n_timesteps, ...); received an "
                f"array of shape {values.shape}."
            )
        checked[name] = values
    check_aligned({name: values.shape for name, values in checked.items()})
    dtype = np.dtype([(name, values.dtype, values.shape[1:]) for name, values in checked.items()])
    packed = np.empty(len(next(iter(checked.values()))), dtype=dtype)
    for name, values in checked.items():
        packed[name] = values
    return packed


def as_modality_dict(X):
    """Split a multimodal ``X`` into ``({name: raw array}, kind)``, without copying.

    ``kind`` is ``"dict"``, ``"structured"`` or ``"array"`` (one modality
    named :data:`SINGLE_MODALITY`).
    """
    if sparse.issparse(X):  # some sparse formats are Mappings too
        raise TypeError(
            "Sparse data was passed for X, but dense data is required; received "
            f"{type(X).__name__}. Use X.toarray() to convert it."
        )
    if isinstance(X, Mapping):
        if len(X) == 0:
            raise ValueError("X is an empty dict; it needs at least one modality.")
        return {_check_name(name): values for name, values in X.items()}, "dict"
    if isinstance(X, np.ndarray) and X.dtype.names is not None:
        if X.ndim != 1:
            raise ValueError(
                "A structured X must be 1-D, one record per sample; received an array of shape "
                f"{X.shape}."
            )
        modalities = {}
        for name in X.dtype.names:
            values = X[name]
            if values.ndim < 2:
                raise ValueError(
                    f"Field {name!r} of the structured X must be a sub-array of shape "
                    f"(n_timesteps, ...) per sample; received a scalar field of dtype "
                    f"{X.dtype[name]}. Build X with pack_modalities."
                )
            modalities[_check_name(name)] = values
        return modalities, "structured"
    return {SINGLE_MODALITY: X}, "array"


def _check_modality_names(owner, raw):
    expected, received = sorted(owner.modalities_), sorted(raw)
    missing = [name for name in expected if name not in raw]
    extra = [name for name in received if name not in owner.modalities_]
    if missing or extra:
        problem = (
            f"is missing modality {missing[0]!r}"
            if missing
            else f"has modality {extra[0]!r}, which was not seen in fit"
        )
        raise ValueError(
            f"X {problem}: {type(owner).__name__} was fitted with modalities {expected}; "
            f"received {received}."
        )


def _check_step_shapes(owner, arrays):
    for name, values in arrays.items():
        expected = tuple(owner.modalities_[name])
        if values.shape[2:] != expected:
            raise ValueError(
                f"Modality {name!r} has per-step shape {values.shape[2:]}, but "
                f"{type(owner).__name__} was fitted with per-step shape {expected}."
            )


def check_modalities(owner, X, *, reset):
    """Validate multimodal ``X`` for ``owner``; return a dict of float32 arrays, sorted by name.

    Each modality goes through the same checks as single-modality sequences,
    with messages naming it (``X['images']``). With ``reset`` the shape
    attributes are recorded: ``modalities_`` (per-step shape by name) and
    those of ``record_input_shape`` (``n_features_in_``, ...); otherwise
    ``X`` is checked against them.
    """
    _check_feature_names(owner, X, reset=reset)
    raw, kind = as_modality_dict(X)
    if not reset:
        _check_modality_names(owner, raw)
    arrays, ndims = {}, {}
    for name in sorted(raw):
        arrays[name], ndims[name] = as_sequence_array(raw[name], name=f"X[{name!r}]", max_ndim=None)
    check_aligned({name: values.shape for name, values in arrays.items()})
    if reset:
        owner.modalities_ = {name: values.shape[2:] for name, values in arrays.items()}
    else:
        _check_step_shapes(owner, arrays)
    record_input_shape(
        owner,
        # Only plain 2-D input has a fixed number of steps (scikit-learn's rule).
        ndim=2 if kind == "array" and ndims[SINGLE_MODALITY] == 2 else None,
        n_timesteps=next(iter(arrays.values())).shape[1],
        n_step_values=sum(math.prod(values.shape[2:]) for values in arrays.values()),
        reset=reset,
    )
    for name, values in arrays.items():
        check_steps(
            values,
            name=f"X[{name!r}]",
            padded_rule="a padded step of a modality must hold MASK_VALUE in all its values",
            missing_hint="mark a missing observation of a modality by filling its step with "
            "MASK_VALUE",
        )
    check_has_real_steps(real_steps(arrays), detail="every step of every modality is padding")
    return arrays
