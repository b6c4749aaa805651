"""Rows and batches of estimator input: counting rows, and the input pipelines of training.

Input is an array-like or, for the multimodal classifier, a dict of per-modality
arrays that share the sample axis.
"""

import itertools

import numpy as np
import tensorflow as tf
from sklearn.utils.validation import _num_samples

from ._windows import window_layout


def n_samples(X):
    """Number of samples of array-like or dict-of-modalities ``X``; ``None`` when not knowable.

    ``len`` of a dict would count modalities. ``None`` (say, for a scalar)
    leaves the explanation to validation.
    """
    try:
        return _num_samples(next(iter(X.values())) if isinstance(X, dict) else X)
    except (TypeError, ValueError, StopIteration):
        return None


def take_rows(X, rows):
    """Rows ``rows`` of ``X``, an array or a dict of arrays that share the sample axis."""
    if isinstance(X, dict):
        return {name: values[rows] for name, values in X.items()}
    return X[rows]


def row_gatherer(X):
    """A function from an int64 tensor of row indices to those rows of ``X``, as tensors.

    ``X`` goes to TensorFlow once here; a fit's training and validation
    pipelines share the one gatherer, so they share that copy. Overlapping
    windows (see ``_windows.py``) go as their series and each batch is
    gathered from it, so the input pipeline holds the series once instead of
    every window.
    """
    layout = None if isinstance(X, dict) else window_layout(X)
    if layout is None:
        tensors = tf.nest.map_structure(tf.convert_to_tensor, X)
        return lambda rows: tf.nest.map_structure(lambda t: tf.gather(t, rows), tensors)
    series, hop = layout
    series = tf.convert_to_tensor(np.ascontiguousarray(series))
    offsets = tf.range(X.shape[1], dtype=tf.int64)
    return lambda rows: tf.gather(series, rows[:, tf.newaxis] * hop + offsets)


def _batches_of(gather_x, rows, y, sample_weight, positions):
    """Map a dataset of position batches to ``(X[rows[p]], y[p], sample_weight[p])``."""
    rows, y, sample_weight = (tf.convert_to_tensor(a) for a in (rows, y, sample_weight))

    def batch(p):
        return gather_x(tf.gather(rows, p)), tf.gather(y, p), tf.gather(sample_weight, p)

    return positions.map(batch).prefetch(tf.data.AUTOTUNE)


def training_batches(gather_x, rows, y, sample_weight, *, batch_size, seed, first_epoch):
    """Mini-batches of ``(X[rows], y, sample_weight)``, reshuffled every epoch.

    ``gather_x`` is ``X``'s :func:`row_gatherer`; ``y`` and ``sample_weight``
    are aligned with ``rows`` (indices into ``X``).
    Each epoch's order is a NumPy permutation keyed on ``(seed, epoch)``:
    ``tf.data``'s own ``shuffle`` mixes in TensorFlow's global seed, so a
    user's ``tf.random.set_seed`` would silently change our fits.
    """
    n_rows = len(rows)
    epochs = itertools.count(first_epoch)

    def epoch_order():  # called once per pass over the data
        yield np.random.default_rng([seed, next(epochs)]).permutation(n_rows)

    n_batches = -(-n_rows // batch_size)
    positions = (
        tf.data.Dataset.from_generator(
            epoch_order, output_signature=tf.TensorSpec(shape=(n_rows,), dtype=tf.int64)
        )
        .unbatch()
        .batch(batch_size)
        .apply(tf.data.experimental.assert_cardinality(n_batches))  # Keras then knows the epoch
    )
    return _batches_of(gather_x, rows, y, sample_weight, positions)


def evaluation_batches(gather_x, rows, y, sample_weight, *, batch_size):
    """Unshuffled batches of ``(X[rows], y, sample_weight)`` for validation losses.

    The training batch size, as Keras' own default: a batch's working set
    grows with the window length, so a larger fixed size would set the peak
    memory of a fit on long windows.
    """
    positions = tf.data.Dataset.range(len(rows)).batch(batch_size)
    return _batches_of(gather_x, rows, y, sample_weight, positions)
