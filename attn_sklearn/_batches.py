"""Rows and batches of estimator input: counting and selecting rows, training and predicting.

Input is an array-like or, for the multimodal classifier, a dict of per-modality
arrays that share the sample axis.
"""

import itertools

import numpy as np
import tensorflow as tf
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from ._tensorflow import no_retracing_warnings

_PREDICT_BATCH_SIZE = 1024


def n_samples(X):
    """Number of samples of array-like or dict-of-modalities ``X``; ``None`` when not knowable.

    ``len`` of a dict would count modalities. ``None`` (say, for a scalar)
    leaves the explanation to validation.
    """
    try:
        return _num_samples(next(iter(X.values())) if isinstance(X, dict) else X)
    except (TypeError, ValueError, StopIteration):
        return None


def take_rows(data, rows):
    """Rows of array-like data (arrays, lists, DataFrames), or of every array of a dict."""
    if isinstance(data, dict):
        return {name: values[rows] for name, values in data.items()}
    if isinstance(data, np.ndarray):
        return data[rows]
    return _safe_indexing(data, rows)


def predict_in_batches(model, X, batch_size=_PREDICT_BATCH_SIZE):
    """``model``'s outputs for validated ``X``, a list with one array per output.

    ``predict_on_batch`` on fixed-size chunks skips the ``tf.data`` set-up that
    ``Model.predict`` pays on every call (about 0.1 s), which dominates for the
    small inputs of interactive use, cross-validation and scikit-learn's checks.
    """
    with no_retracing_warnings():
        chunks = [
            model.predict_on_batch(take_rows(X, slice(start, start + batch_size)))
            for start in range(0, n_samples(X), batch_size)
        ]
    chunks = [chunk if isinstance(chunk, list | tuple) else [chunk] for chunk in chunks]
    return [np.concatenate([np.asarray(c[i]) for c in chunks]) for i in range(len(chunks[0]))]


def training_batches(arrays, batch_size, seed, first_epoch):
    """Mini-batches of aligned ``(X, y, sample_weight)``, reshuffled every epoch.

    Each epoch's order is a NumPy permutation keyed on ``(seed, epoch)``:
    ``tf.data``'s own ``shuffle`` mixes in TensorFlow's global seed, so a
    user's ``tf.random.set_seed`` would silently change our fits.
    """
    n_rows = len(arrays[1])
    epochs = itertools.count(first_epoch)

    def index_batches():  # called once per pass over the data
        order = np.random.default_rng([seed, next(epochs)]).permutation(n_rows)
        for start in range(0, n_rows, batch_size):
            yield order[start : start + batch_size]

    tensors = tf.nest.map_structure(tf.convert_to_tensor, arrays)
    n_batches = -(-n_rows // batch_size)
    indices = tf.data.Dataset.from_generator(
        index_batches, output_signature=tf.TensorSpec(shape=(None,), dtype=tf.int64)
    ).apply(tf.data.experimental.assert_cardinality(n_batches))  # Keras then knows the epoch
    gather = lambda rows: tf.nest.map_structure(lambda t: tf.gather(t, rows), tensors)  # noqa: E731
    return indices.map(gather).prefetch(tf.data.AUTOTUNE)


def evaluation_batches(arrays):
    """Unshuffled batches for validation losses."""
    return tf.data.Dataset.from_tensor_slices(arrays).batch(_PREDICT_BATCH_SIZE)


def split_rows(arrays, train, validation):
    """``(train, validation)``: the rows ``train`` and ``validation`` of each of ``arrays``."""
    return tuple(tuple(take_rows(data, rows) for data in arrays) for rows in (train, validation))
